"""The seam between the lobby UI and everything it drives: one object holding the services.

The UI never constructs devices or services itself; ``kiosk lobby`` builds a ``LobbyServices`` from the
configuration (real devices) or from the emulators (``--emulated``), and tests pass their own emulated
set. Any member may be ``None``: the screen that needs it then offers the honest fallback (manual entry,
QR ticket) instead of pretending.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import Settings

log = logging.getLogger(__name__)


@dataclass
class LobbyServices:
    settings: Settings
    sessions: Any = None  # sqlalchemy sessionmaker for audit events and the visit workflow
    visits: Any = None  # kiosk.visit VisitService
    questionnaire: Any = None  # kiosk.visit questionnaire (next_question(answers))
    id_reader: Any = None  # devices.id IdReader (image scanner / chip / QR)
    present_card: Callable[[], None] | None = None  # emulated scanner: lay a synthetic card on the glass
    remove_card: Callable[[], None] | None = None  # emulated scanner: take the card away again
    chip_reader: Any = None  # devices.id.pcsc PcscIdReader (passport IC chip); None: button says so
    qr_reader: Any = None  # mobile-ID QR reader on the camera/scanner frames
    present_mobile_id: Callable[[], None] | None = None  # emulated: hold a phone's mobile-ID QR up
    chip_key: Any = None  # ui.adapters.id_reader_adapter.BacKeySlot the chip reader takes its key from
    chip_unavailable: str = ""  # why the chip reader is missing (shown calmly), e.g. pcscd did not start
    pad: Any = None  # devices.signature SignaturePad
    spool: Any = None  # printers PrintSpool
    printer_status: Callable[[], str] | None = None  # "ok" | "paper_out" | "offline" | "unknown"
    test_print: Callable[[], None] | None = None
    staff_alert: Callable[[str, str], None] | None = None  # (kiosk_id, step): rings the desks
    send_ticket_sms: Callable[[str, str], None] | None = None  # (phone digits, ticket number): SMS gateway
    reload_settings: Callable[[], Settings] | None = None
    temp_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="lobby-visit-")))
    closers: list[Callable[[], None]] = field(default_factory=list)
    staff_calls: list[tuple[str, str]] = field(default_factory=list)
    voice_record_dir: Path | None = None  # write utterances as WAV files instead of playing them
    hub: Any = None  # ui.lobby.hub_link.HubLink: the visit goes to the center hub (None: local only)

    def attach_hub(self, hub: Any) -> None:
        """Send visits, steps and 직원 호출 to the center hub through ``hub`` (a started HubLink)."""
        self.hub = hub
        self.staff_alert = hub.call_help
        self.closers.append(hub.stop)

    def report_step(self, step: str, title_ko: str) -> None:
        """The desk's live mirror of this kiosk (queued; never waits on the network)."""
        if self.hub is not None:
            self.hub.report_step(step, title_ko)

    def call_staff(self, step: str) -> None:
        """직원 호출: tell the desks which kiosk needs help and at which step (never who is there)."""
        self.staff_calls.append((self.settings.lobby.kiosk_id, step))
        if self.staff_alert is not None:
            self.staff_alert(self.settings.lobby.kiosk_id, step)
        log.info("staff called to %s at step %s", self.settings.lobby.kiosk_id, step)

    def audit(self, action: str, detail: dict[str, Any]) -> None:
        """An audit event with ids only (runs on the worker thread)."""
        if self.sessions is None:
            return
        try:
            from db.audit import append_event
        except ImportError:  # pragma: no cover - the audit module is part of the data layer
            return
        with self.sessions() as session:
            append_event(session, f"kiosk:{self.settings.lobby.kiosk_id}", action, "lobby", detail)
            session.commit()

    def clear_temp(self) -> int:
        """Remove the visit's temporary files (card images, signature PNGs); returns how many."""
        removed = 0
        if self.temp_dir.exists():
            for path in self.temp_dir.rglob("*"):
                if path.is_file():
                    removed += 1
            shutil.rmtree(self.temp_dir, ignore_errors=True)
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        return removed

    def close(self) -> None:
        for closer in reversed(self.closers):
            try:
                closer()
            except Exception:
                log.exception("closing a lobby service failed")
        self.closers.clear()
        shutil.rmtree(self.temp_dir, ignore_errors=True)
