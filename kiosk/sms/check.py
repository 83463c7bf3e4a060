"""`kiosk sms check --emulated`: one SMS and one LMS through each backend, via the outbox, to its emulator.

Each backend's emulator is started on 127.0.0.1 (any free port), the messages go through a real
``SmsOutbox`` on a temporary SQLite database (migrated like a center's), and the check waits — with a
deadline — for the delivery reports. One line per message: backend, type, bytes, message id, delivery
status. All four ``DELIVRD`` or the check fails.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing
from db.migrate import upgrade
from db.session import make_engine, make_sessionmaker
from kiosk.sms.gateway import SmsGateway
from kiosk.sms.outbox import SmsOutbox

SENDER = "0215880000"  # registered with the HTTP emulator; the SMSC takes any sender
TEST_PHONE = "01012345678"  # the emulated phone (never a real one: the emulators deliver nowhere)
SYSTEM_ID, PASSWORD = "kiosk", "secret"  # the SMSC emulator's own test account
API_KEY, API_SECRET = "k", "s"  # the provider emulator's own test account
BACKENDS = ("smpp", "http")
CHECK_MESSAGES = (
    ("ticket_called", {"ticket": "A-12", "window": "3"}),  # SMS
    (
        "aftercare_reminder",
        {"masked_name": "홍*동", "due_date": "12월 3일(목)", "topic": "상환 계획", "link": ""},
    ),  # LMS
)


class EmulatedBackend:
    """One backend and its emulator, started together; stopped with ``stop``."""

    def __init__(self, name: str, dlr_delay_s: float = 0.0, window: int = 10, reports: str = "poll") -> None:
        # reports: how the HTTP backend learns delivery results — "poll" (it asks the provider) or
        # "webhook" (the provider posts them to a receiver of ours, as when the hub is reachable).
        self.name, self.dlr_delay_s, self.window, self.reports = name, dlr_delay_s, window, reports
        self.emulator: Any = None
        self.address: Any = None
        self.gateway: SmsGateway | None = None

    def start(self) -> SmsGateway:
        """Start the emulator, then connect a backend to it."""
        if self.name == "smpp":
            from kiosk.sms.smpp.emulator import SmscEmulator

            self.emulator = SmscEmulator(system_id=SYSTEM_ID, password=PASSWORD, dlr_delay_s=self.dlr_delay_s)
        elif self.name == "http":
            from kiosk.sms.http.emulator import ProviderEmulator

            self.emulator = ProviderEmulator(api_key=API_KEY, api_secret=API_SECRET, senders={SENDER})
            if hasattr(self.emulator, "dlr_delay_s"):
                self.emulator.dlr_delay_s = self.dlr_delay_s
        else:
            raise ValueError(f"unknown SMS backend {self.name!r}")
        self.address = self.emulator.start()
        return self.connect()

    def connect(self) -> SmsGateway:
        """A new backend to the running emulator (the old one closed): what a restarted process does."""
        if self.gateway is not None:
            self.gateway.close()
        if self.name == "smpp":
            from kiosk.sms.smpp.backend import SmppGateway

            host, port = self.address
            self.gateway = SmppGateway(
                host, port, SYSTEM_ID, PASSWORD, window=self.window, source_addr=SENDER
            )
        else:
            from kiosk.sms.http.backend import HttpGateway, ReportMode

            mode: ReportMode = "webhook" if self.reports == "webhook" else "poll"
            gateway = HttpGateway(str(self.address), API_KEY, API_SECRET, reports=mode)
            if self.reports == "webhook":
                self.emulator.webhook_url = gateway.serve_webhook()
            self.gateway = gateway
        return self.gateway

    def phone_texts(self, number: str = TEST_PHONE) -> list[str]:
        """What the emulated phone ``number`` shows (one entry per message delivered, parts put together)."""
        inbox = getattr(self.emulator, "inbox", None)
        if inbox is None:
            return []
        if callable(inbox):  # the provider emulator: texts per phone number
            return [str(text) for text in inbox(number)]
        return [str(m.text) for m in list(inbox) if m.to == number]  # the SMSC: PhoneMessage list

    def reply_from(self, number: str, text: str) -> None:
        """The emulated phone ``number`` answers (an SMPP ``deliver_sm`` / the provider's inbound webhook)."""
        self.emulator.reply_from(number, text)

    def stop(self) -> None:
        if self.gateway is not None:
            self.gateway.close()
            self.gateway = None
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None


@contextmanager
def scratch_database() -> Iterator[sessionmaker[Session]]:
    """A temporary SQLite database with the center's schema (migrated), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="kiosk-sms-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'sms.db'}")
        try:
            upgrade(engine)
            yield make_sessionmaker(engine)
        finally:
            engine.dispose()


@dataclass(frozen=True)
class CheckLine:
    backend: str
    kind: str
    byte_length: int
    message_id: str
    status: str

    @property
    def delivered(self) -> bool:
        return self.status == "DELIVRD"

    def __str__(self) -> str:
        return (
            f"{self.backend:<5} {self.kind.upper():<4} {self.byte_length:>5} bytes  {self.message_id}  "
            f"{self.status}"
        )


def run_check(timeout_s: float = 15.0, backends: tuple[str, ...] = BACKENDS) -> list[CheckLine]:
    """Send the check messages through each backend; one line per message (status ``TIMEOUT`` when no
    report came in time, the outbox's status when it never reached the gateway)."""
    lines: list[CheckLine] = []
    keys = KeyRing.generate()
    with scratch_database() as sessions:
        for name in backends:
            backend = EmulatedBackend(name)
            outbox: SmsOutbox | None = None
            try:
                gateway = backend.start()
                # A check runs at any hour: the reminder template's daytime rule is not what it tests.
                outbox = SmsOutbox(sessions, gateway, keys, sender=SENDER, daytime_hours=(0, 24))
                ids = [outbox.enqueue(t, values, TEST_PHONE) for t, values in CHECK_MESSAGES]
                report = outbox.drain(timeout_s)
                views = outbox.wait_final(ids, timeout_s)
                for view in views:
                    status = view.delivery_status or (
                        "AUTH" if report.auth_error else "TIMEOUT" if view.gateway_id else view.status.value
                    )
                    lines.append(CheckLine(name, view.kind, view.byte_length, view.id, status))
            finally:
                if outbox is not None:
                    outbox.close()
                backend.stop()
    return lines
