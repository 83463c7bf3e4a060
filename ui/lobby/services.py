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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config import Settings
from db.audit import append_event

if TYPE_CHECKING:  # the types of the members only; building them is the CLI's and emulated.py's job
    from sqlalchemy.orm import Session, sessionmaker

    from devices.id.model import IdReader
    from devices.signature.pad import SignaturePad
    from kiosk.visit.questionnaire import Questionnaire
    from kiosk.visit.service import VisitService
    from printers.escpos.spool import PrintSpool
    from ui.adapters.id_reader_adapter import BacKeySlot
    from ui.lobby.hub_link import HubLink

log = logging.getLogger(__name__)


@dataclass
class LobbyServices:
    settings: Settings
    sessions: sessionmaker[Session] | None = None  # audit events and the visit workflow
    visits: VisitService | None = None
    questionnaire: Questionnaire | None = None
    id_reader: IdReader | None = None  # the image scanner
    present_card: Callable[[], None] | None = None  # emulated scanner: lay a synthetic card on the glass
    remove_card: Callable[[], None] | None = None  # emulated scanner: take the card away again
    chip_reader: IdReader | None = None  # devices.id.pcsc PcscIdReader (passport IC chip); None: says so
    qr_reader: IdReader | None = None  # devices.id.mobile MobileIdReader on the camera/scanner frames
    present_mobile_id: Callable[[], None] | None = None  # emulated: hold a phone's mobile-ID QR up
    chip_key: BacKeySlot | None = None  # where the chip reader takes its BAC key from
    chip_unavailable: str = ""  # why the chip reader is missing (shown calmly), e.g. pcscd did not start
    pad: SignaturePad | None = None
    spool: PrintSpool | None = None
    printer_status: Callable[[], str] | None = None  # "ok" | "paper_out" | "offline" | "unknown"
    test_print: Callable[[], None] | None = None
    staff_alert: Callable[[str, str], None] | None = None  # (kiosk_id, step): rings the desks
    # (ticket id, phone digits, calls, send_number) -> the masked number the hub keeps; worker thread only.
    # None: no SMS at all. sms_offered (worker thread) says whether the center offers it right now.
    send_ticket_sms: Callable[[str, str, bool, bool], str] | None = None
    sms_offered: Callable[[], bool] | None = None
    reload_settings: Callable[[], Settings] | None = None
    temp_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="lobby-visit-")))
    closers: list[Callable[[], None]] = field(default_factory=list)
    staff_calls: list[tuple[str, str]] = field(default_factory=list)
    voice_record_dir: Path | None = None  # write utterances as WAV files instead of playing them
    hub: HubLink | None = None  # the visit goes to the center hub (None: local only)
    # The emulated devices by name ("printer", "pad", ...) for tests, the tour and the demo; empty with
    # real devices.
    emulators: dict[str, Any] = field(default_factory=dict)

    def attach_hub(self, hub: HubLink) -> None:
        """Send visits, steps and 직원 호출 to the center hub through ``hub`` (a started HubLink)."""
        self.hub = hub
        self.staff_alert = hub.call_help
        self.sms_offered = hub.sms_offered

        def send_ticket_sms(ticket_id: str, phone: str, calls: bool, send_number: bool) -> str:
            return hub.send_ticket_sms(ticket_id, phone, calls=calls, send_number=send_number).to_masked

        self.send_ticket_sms = send_ticket_sms
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

    def audit(self, action: str, detail: Mapping[str, str | int]) -> None:
        """An audit event with ids only (runs on the worker thread)."""
        if self.sessions is None:
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
