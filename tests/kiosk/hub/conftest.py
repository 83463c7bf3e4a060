"""A hub app on a real database (SQLite and PostgreSQL), with a center, staff and enrolled devices."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import load_settings
from db.crypto import KeyRing
from db.session import make_sessionmaker
from kiosk.api.trust import TlsFiles
from kiosk.hub.app import create_app
from kiosk.hub.bootstrap import add_counselor, ensure_center, issue_pairing_code
from kiosk.hub.tls import init_center_tls
from kiosk.sms.emulated import EmulatedSms

PASSWORD = "correct-horse-42"


@dataclass
class Hub:
    app: FastAPI
    http: TestClient
    sessions: sessionmaker[Session]
    keys: KeyRing
    center_id: uuid.UUID
    other_center_id: uuid.UUID
    sms: EmulatedSms | None = None  # the emulated SMSC/provider and the hub's SMS service

    def login(self, username: str, desk_token: str | None = None) -> dict[str, str]:
        r = self.http.post(
            "/auth/login", json={"username": username, "password": PASSWORD, "desk_device_token": desk_token}
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def enroll(self, kind: str, center: str = "seoul-central", label: str = "") -> tuple[dict[str, str], str]:
        with self.sessions() as s:
            _device_id, code = issue_pairing_code(s, ensure_center(s, center), kind, label or kind)
            s.commit()
        r = self.http.post("/devices/enroll", json={"code": code})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}, r.json()["token"]


def make_hub(engine: Engine, sms_backend: str | None = None) -> Iterator[Hub]:
    """``sms_backend`` ("smpp" / "http"): the hub sends SMS through that emulator (``Hub.sms``)."""
    sessions = make_sessionmaker(engine)
    keys = KeyRing.generate()
    with sessions() as s:
        center = ensure_center(s, "seoul-central")
        other = ensure_center(s, "gwanak")
        add_counselor(s, center, "kim", PASSWORD, "counselor", "김상담")
        add_counselor(s, center, "lee", PASSWORD, "counselor", "이상담")
        add_counselor(s, center, "boss", PASSWORD, "center_manager", "박센터장")
        add_counselor(s, other, "park", PASSWORD, "counselor", "다른센터")
        s.commit()
        center_id, other_id = center.id, other.id
    sms = EmulatedSms(sessions, keys, sms_backend, daytime_hours=(0, 24)) if sms_backend else None
    app = create_app(load_settings(), sessions, keys, sms=sms.service if sms else None)
    try:
        with TestClient(app) as http:
            yield Hub(app, http, sessions, keys, center_id, other_id, sms)
    finally:
        if sms is not None:
            sms.close()


@pytest.fixture
def hub(engine: Engine) -> Iterator[Hub]:
    """On SQLite and on PostgreSQL."""
    yield from make_hub(engine)


@pytest.fixture(params=["smpp", "http"])
def sms_hub(request: pytest.FixtureRequest, sqlite_engine: Engine) -> Iterator[Hub]:
    """A hub on SQLite that sends SMS through each emulated backend (``hub.sms`` is set)."""
    yield from make_hub(sqlite_engine, request.param)


@pytest.fixture
def smpp_hub(sqlite_engine: Engine) -> Iterator[Hub]:
    """A hub on SQLite that sends SMS through the emulated SMSC only (one backend is enough)."""
    yield from make_hub(sqlite_engine, "smpp")


@pytest.fixture
def hub_sqlite(sqlite_engine: Engine) -> Iterator[Hub]:
    yield from make_hub(sqlite_engine)


@dataclass(frozen=True)
class CenterTls:
    """A center CA and a hub certificate for 127.0.0.1/localhost, made by `kiosk hub tls init`'s code."""

    files: TlsFiles
    fingerprint: str

    @property
    def ca_pem(self) -> bytes:
        return self.files.ca.read_bytes()


def make_center_tls(directory: Path) -> CenterTls:
    files = TlsFiles(directory / "hub.pem", directory / "hub-key.pem", directory / "ca.pem")
    return CenterTls(files, init_center_tls(files, "seoul-central", ["127.0.0.1"]))


@pytest.fixture(scope="session")
def center_tls(tmp_path_factory: pytest.TempPathFactory) -> CenterTls:
    """One center CA per test session: the hubs the UI tests start serve HTTPS with it."""
    return make_center_tls(tmp_path_factory.mktemp("center-tls"))
