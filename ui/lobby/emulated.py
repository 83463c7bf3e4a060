"""Build the lobby's services: real devices from the configuration, or every device emulated.

Emulated: the receipt printer emulator and the signature pad emulator each on a pty (real bytes, real
baud rate), the virtual ID scanner feeding synthetic cards to the image reader, the visit workflow on
the configured database. A device that does not open leaves its member ``None`` and the screens offer
their fallback (and staff mode shows it); a module of ours that fails to import is a bug and raises.
"""

from __future__ import annotations

import logging
from typing import Any

from config import Settings, load_settings
from devices.id.pcsc.reader import PcscIdReader  # pyscard itself is imported only when a reader polls
from ui.lobby.services import LobbyServices

log = logging.getLogger(__name__)


def _sessions(ctx: Any, create_tables: bool) -> Any:
    if create_tables:
        import db.models  # noqa: F401 - registers every table
        from db.base import Base

        Base.metadata.create_all(ctx.engine)
    return ctx.sessions


def _workflow(services: LobbyServices) -> None:
    # Imported when the services are built, like the device modules, so importing this module stays
    # cheap; a broken kiosk.visit raises here instead of leaving a lobby that stores no visits.
    from kiosk.visit import VisitService, load_questionnaire

    services.questionnaire = load_questionnaire()
    settings = services.settings
    sessions = services.sessions
    if sessions is None:  # emulated_services opens the database before it builds anything on it
        raise RuntimeError("emulated lobby without a database")
    services.visits = VisitService(
        sessions,
        center_code=settings.app.center_code,
        keys=_keys(settings),
        questions=services.questionnaire,
    )


def _keys(settings: Settings) -> Any:
    """The field-encryption key ring, so identified persons are stored encrypted (None: not stored)."""
    from db.crypto import keyring_for

    try:
        return keyring_for(settings)
    except Exception as exc:  # no key ring configured: visits keep only masked data and ids
        log.warning("no key ring for person records: %s", exc)
        return None


def _printer(services: LobbyServices, port: str, model: str) -> None:
    from printers.escpos.spool import PrintSpool
    from printers.escpos.transport import ReceiptPrinter

    printer = ReceiptPrinter.open(port, model)
    give_up = services.settings.printer.give_up_after_s
    sessions = services.sessions
    if sessions is None:  # emulated_services opens the database before it builds anything on it
        raise RuntimeError("emulated lobby without a database")
    spool = PrintSpool(sessions, printer, give_up_after_s=give_up).start()
    spool.health.start()
    services.spool = spool
    services.printer_status = lambda: str(spool.health.current.state)
    services.test_print = lambda: _submit_test(spool)
    services.closers.append(printer.close)
    services.closers.append(spool.health.stop)
    services.closers.append(spool.stop)


def _submit_test(spool: Any) -> None:
    spool.submit("ticket", _test_ticket_fields())


def _test_ticket_fields() -> dict[str, Any]:
    return {
        "center_name": "시험 인쇄 TEST",
        "service_line_ko": "시험",
        "service_line_en": "Test",
        "ticket_number": "T-000",
        "people_ahead": 0,
        "wait_minutes": 0,
        "wait_ko": "바로 차례예요",
        "wait_en": "You're next",
        "lookup_url": "paperless-kiosk:test",
        "issued_at": "시험 인쇄 (test print)",
    }


def emulated_services(
    settings: Settings, ctx: Any, *, printer_model: str = "bixolon-srp-350iii"
) -> LobbyServices:
    """Every device emulated on this machine; ``services.emulators`` keeps them for tests and the demo."""
    services = LobbyServices(settings=settings, sessions=_sessions(ctx, create_tables=True))
    services.reload_settings = lambda: load_settings(ctx.config_file)
    emulators = services.emulators
    from devices.signature.emulator import EmulatedPad
    from devices.signature.pad import SignaturePad
    from printers.escpos.emulator import EmulatedPrinter

    try:  # a pty that does not open leaves the printer None; the ticket screen offers QR instead
        printer = EmulatedPrinter(printer_model).start()
        emulators["printer"] = printer
        services.closers.append(printer.stop)
        _printer(services, printer.port_name, printer_model)
    except Exception:
        log.exception("printer emulator unavailable")
    try:
        pad_emulator = EmulatedPad(settings=settings.signature)
        emulators["pad"] = pad_emulator
        services.closers.append(pad_emulator.disconnect)
        services.pad = SignaturePad(pad_emulator.port_name, settings.signature)
    except Exception:
        log.exception("signature pad emulator unavailable")
    _scanner(services, emulators)
    _passport_chip(services, emulators)
    _workflow(services)
    return services


def _passport_chip(services: LobbyServices, emulators: dict[str, Any]) -> None:
    reader = EmulatedPassportReader()
    emulators["passport"] = reader
    services.chip_reader = reader
    services.chip_key = reader.key
    services.closers.append(reader.close)


class ScannerGlass:
    """The glass of the emulated ID scanner: the frame the reader sees (None when nothing lies on it).

    ``present()`` renders a synthetic card with the virtual scanner (``devices.id.emulators``); the
    kiosk's ImageIdReader reads it exactly as it reads camera frames.
    """

    def __init__(self, kind: str = "resident_card", level: str = "clean", seed: int = 7) -> None:
        import threading

        self.kind, self.level, self.seed = kind, level, seed
        self._frame: Any = None
        self._lock = threading.Lock()
        self.presented = 0

    def __call__(self) -> Any:
        with self._lock:
            return self._frame

    def present(self) -> None:
        """Lay the next synthetic card on the glass (rendering takes a moment: call it off the GUI)."""
        from devices.id.emulators.card_render import Perturbation, render_card
        from devices.id.emulators.identities import identities
        from devices.id.model import DocumentKind

        identity = identities(self.presented + 1, seed=self.seed)[-1]
        frame = render_card(identity, DocumentKind(self.kind), Perturbation.level(self.level, seed=self.seed))
        with self._lock:
            self._frame = frame
        self.presented += 1

    def present_mobile_id(self) -> None:
        """Hold a phone showing a signed demo mobile-ID QR to the camera (synthetic identity)."""
        from devices.id.emulators.identities import identities
        from devices.id.mobile import EmulatedMobileIdVerifier, render_mobile_id

        identity = identities(self.presented + 1, seed=self.seed)[-1]
        payload = EmulatedMobileIdVerifier().sign(identity.name, identity.birth_date)
        frame = render_mobile_id(payload)
        with self._lock:
            self._frame = frame
        self.presented += 1

    def take_away(self) -> None:
        with self._lock:
            self._frame = None


def _scanner(services: LobbyServices, emulators: dict[str, Any]) -> None:
    from devices.id.image.reader import ImageIdReader  # OpenCV loads only when a scanner is emulated

    glass = ScannerGlass()
    emulators["scanner"] = glass
    services.id_reader = ImageIdReader(glass)
    services.present_card = glass.present
    services.remove_card = glass.take_away
    services.closers.append(services.id_reader.stop)
    from ui.adapters.id_reader_adapter import mobile_id_reader

    services.qr_reader = mobile_id_reader(glass)
    services.present_mobile_id = glass.present_mobile_id
    services.closers.append(services.qr_reader.stop)


def attach_hub(
    services: LobbyServices,
    url: str,
    token: str,
    *,
    sync_interval_s: float = 2.0,
    ca_pem: bytes | None = None,
) -> Any:
    """Link the lobby to a center hub with its enrolled device token (visits, ticket numbers, mirror);
    `ca_pem` is the center CA pinned at enrollment when the hub is https."""
    from ui.lobby.hub_link import HubLink

    keys = _keys(services.settings)  # the outbox encrypts what it keeps with the site's field keys
    link = HubLink.connect(
        url, token, services.sessions, keys=keys, ca_pem=ca_pem, sync_interval_s=sync_interval_s
    ).start()
    services.attach_hub(link)
    if services.spool is not None:  # the printer's paper / cover / offline reach the hub's fleet view
        services.closers.append(services.spool.health.subscribe(link.report_printer))
        link.report_printer(services.spool.health.current)
    return link


def real_services(settings: Settings, ctx: Any) -> LobbyServices:
    """Devices from the configuration (printer port and model, pad port, ID reader)."""
    services = LobbyServices(settings=settings, sessions=_sessions(ctx, create_tables=False))
    services.reload_settings = lambda: load_settings(ctx.config_file)
    port = getattr(settings.printer, "port", "")
    if port:
        try:
            _printer(services, port, getattr(settings.printer, "model", "bixolon-srp-350iii"))
        except Exception as exc:  # unplugged: the ticket screen offers QR / SMS
            log.warning("printer %s did not open: %s", port, exc)
    pad_port = getattr(settings.signature, "port", "")
    if pad_port:
        from devices.signature.pad import SignaturePad

        services.pad = SignaturePad(pad_port, settings.signature)
    _workflow(services)
    if settings.lobby.hub_url:
        from kiosk.client.pinned_ca import read_pinned_ca

        token = read_device_token(settings.lobby.device_token_file)
        attach_hub(services, settings.lobby.hub_url, token, ca_pem=read_pinned_ca(settings))
    return services


def read_device_token(path: str) -> str:
    """The enrolled device token from its own file (kept out of the TOML); ConfigError when unusable."""
    from pathlib import Path

    from config import ConfigError

    key, allowed = "lobby.device_token_file", "a readable file holding the enrolled device token"
    try:
        token = Path(path).expanduser().read_text(encoding="utf-8").strip()
    except OSError:
        raise ConfigError("lobby settings", key, path, allowed) from None
    if not token or any(c.isspace() for c in token):
        raise ConfigError("lobby settings", key, path, allowed + " (one token, no spaces)")
    return token


class EmulatedPassportReader(PcscIdReader):
    """The chip reader of ``--emulated``: the real PcscIdReader on pcscd's vpcd reader, with the virtual
    ePassport (synthetic holder) placed on it while a read is wanted.

    pcscd starts lazily in ``start()``, which the Qt adapter calls off the GUI thread; when it cannot
    start, the adapter reports ``pcscd_not_running`` and the visitor uses the scanner or types it in.
    """

    READER = "Virtual PCD"

    def __init__(self, holder: Any = None, fault: str = "") -> None:
        from devices.id.emulators.vicc import PassportHolder
        from devices.id.pcsc.service import PcscdProcess
        from ui.adapters.id_reader_adapter import BacKeySlot

        self.key = BacKeySlot()
        super().__init__(self.key, reader_filter=self.READER)
        self.holder = holder if holder is not None else PassportHolder()
        self.fault = fault
        self.daemon = PcscdProcess()
        self._card: Any = None

    def start(self) -> None:
        from devices.id.emulators.vicc import VirtualPassport, VpcdCard

        self.daemon.ensure_running(wait_for_reader=self.READER, timeout=15)
        if self._card is None:
            card = VpcdCard(VirtualPassport(self.holder, fault=self.fault))
            card.insert()
            self._card = card
        super().start()

    def stop(self) -> None:
        super().stop()
        if self._card is not None:
            self._card.remove()
            self._card = None

    def close(self) -> None:
        self.stop()
        self.daemon.stop()  # only a pcscd this reader launched
