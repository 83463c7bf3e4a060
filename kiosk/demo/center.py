"""Start a demo center: the hub on 127.0.0.1 with SQLite, a demo counselor, enrolled lobby/desk/counter
and a hall display.

Keys live only in memory (KeyRing.generate): the demo database holds ciphertext nobody can read after
the run, which is what a demo of "RRNs encrypted at rest" should leave behind. The PAdES certificate is
a throwaway demo CA (printers.documents.demo_cert), never written to disk.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

import db.models  # noqa: F401  - registers every table
from config import Settings
from db.base import Base
from db.crypto import KeyRing
from db.session import make_engine, make_sessionmaker
from kiosk.aftercare.reminders import ReminderJob
from kiosk.api.trust import TlsFiles, enrollment_string, fingerprint
from kiosk.client import HubClient
from kiosk.hub.app import create_app
from kiosk.hub.bootstrap import add_counselor, ensure_center, issue_pairing_code
from kiosk.hub.server import RunningHub, free_port, serve_in_thread
from kiosk.sms.emulated import EmulatedSms
from printers.documents.demo_cert import make_demo_credentials
from printers.documents.pades import DocumentSigner

DEMO_COUNSELOR = "demo"


@dataclass
class DemoCenter:
    out: Path
    hub: RunningHub
    engine: Any
    sessions: Any
    keys: KeyRing
    trust_roots_pem: tuple[bytes, ...]
    app: FastAPI
    lobby_token: str
    desk_token: str
    counter_token: str
    counselor_password: str
    display_token: str  # the waiting hall's display (numbers and desks only)
    sms: EmulatedSms | None = None  # the emulated SMSC and the center's SMS service (None: no SMS)
    reminders: ReminderJob | None = None  # after-care reminders by SMS and their replies

    @property
    def url(self) -> str:
        return self.hub.url

    @property
    def ca_pem(self) -> bytes | None:
        """The center CA the enrolled clients pinned (None when the demo hub speaks plain HTTP)."""
        return self.hub.ca_pem

    def desk_client(self) -> HubClient:
        """A desk client with the demo counselor logged in at the enrolled desk."""
        client = HubClient(self.url, ca_pem=self.ca_pem)
        client.login(DEMO_COUNSELOR, self.counselor_password, desk_device_token=self.desk_token)
        return client

    def stop_hub(self) -> None:
        """Take the hub off the network (the offline-lobby part of the demo)."""
        self.hub.stop()

    def restart_hub(self) -> None:
        """The same hub back on the same address."""
        port = int(self.url.rsplit(":", 1)[1])
        self.hub = serve_in_thread(self.app, port=port, tls=self.hub.tls)

    def close(self) -> None:
        self.hub.stop()
        if self.reminders is not None:
            self.reminders.close()
        if self.sms is not None:
            self.sms.close()
        self.engine.dispose()


def start_demo_center(
    settings: Settings,
    out: Path,
    *,
    port: int = 0,
    db_name: str = "center.db",
    tls: TlsFiles | None = None,
    sms: str | None = "smpp",
) -> DemoCenter:
    """`tls`: serve HTTPS with these files; the clients enroll with the CA fingerprint and pin it.
    `sms`: the emulated gateway the center sends through ("smpp" or "http"; None: no SMS offered)."""
    out.mkdir(parents=True, exist_ok=True)
    db_file = out / db_name
    if db_file.exists():
        db_file.unlink()  # a demo starts from an empty center
    engine = make_engine(f"sqlite:///{db_file}")
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    keys = KeyRing.generate()
    credentials = make_demo_credentials(settings.app.center_code)
    signer = DocumentSigner.from_demo(credentials)
    hub_settings = settings.hub.model_copy(update={"archive_dir": str(out / "archive")})
    # The phone links on the slips (내 순서) point at this demo hub's own address.
    port = port or free_port()
    scheme = "https" if tls is not None else "http"
    web_settings = settings.web.model_copy(
        update={"public_url": settings.web.public_url or f"{scheme}://127.0.0.1:{port}"}
    )
    # A demo runs at any hour: reminders are not held for the daytime window there.
    emulated_sms = EmulatedSms(sessions, keys, sms, daytime_hours=(0, 24)) if sms else None
    app = create_app(
        settings.model_copy(update={"hub": hub_settings, "web": web_settings}),
        sessions,
        keys,
        document_signer=signer,
        sms=emulated_sms.service if emulated_sms else None,
    )
    password = secrets.token_urlsafe(12)
    with sessions() as session:
        center = ensure_center(session, settings.app.center_code)
        add_counselor(session, center, DEMO_COUNSELOR, password, "counselor", "시연 상담사")
        codes = {
            kind: issue_pairing_code(session, center, kind, label)[1]
            for kind, label in (
                ("lobby", "로비 키오스크 1"),
                ("desk", "상담석 3"),
                ("counter", "창구 화면 3"),
                ("display", "대기실 안내 화면"),
            )
        }
        session.commit()
    hub = serve_in_thread(app, port=port, tls=tls)
    if tls is not None:
        ca_fingerprint = fingerprint(tls.ca.read_bytes())
        codes = {kind: enrollment_string(code, ca_fingerprint) for kind, code in codes.items()}
    tokens = {kind: HubClient(hub.url).enroll(code).token for kind, code in codes.items()}
    center_demo = DemoCenter(
        out,
        hub,
        engine,
        sessions,
        keys,
        (credentials.ca_cert_pem,),
        app,
        tokens["lobby"],
        tokens["desk"],
        tokens["counter"],
        password,
        tokens["display"],
        emulated_sms,
        ReminderJob.for_hub(app.state.hub).start() if emulated_sms else None,
    )
    # Pair the counter with the desk the way staff do: the desk shows a code, the counter types it.
    desk = center_demo.desk_client()
    HubClient(hub.url, tokens["counter"], ca_pem=hub.ca_pem).pair_counter(desk.counter_code().code)
    desk.close()
    return center_demo
