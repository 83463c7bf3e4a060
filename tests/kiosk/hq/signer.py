"""A stand-in for a hub's pusher, written from the contract alone: it keeps an audit chain and signs.

Tests build batches here instead of importing the hub's code, so HQ is tested against the contract.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session, sessionmaker

from db.audit import GENESIS, event_hash

T0 = datetime(2026, 11, 2, 0, 30, tzinfo=UTC)  # 09:30 in Seoul, a Monday


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass
class FakeCenter:
    code: str
    name: str
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    events: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)

    @property
    def public_pem(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def register(self, sessions: sessionmaker[Session]) -> None:
        from kiosk.hq.centers import add_center

        with sessions.begin() as session:
            add_center(session, self.code, self.name, self.public_pem)

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body)).decode()

    def headers(self, body: bytes) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "X-Kiosk-Center": self.code,
            "X-Kiosk-Signature": self.sign(body),
        }

    # --- what the hub records -------------------------------------------------------------
    def event(self, type_: str, at: datetime, **data: Any) -> dict[str, Any]:
        row = {"seq": len(self.events) + 1, "type": type_, "at": iso(at), "data": data}
        self.events.append(row)
        return row

    def audit_row(self, action: str, at: datetime, target: str = "", **detail: Any) -> dict[str, Any]:
        seq = len(self.audit) + 1
        prev = self.audit[-1]["hash"] if self.audit else GENESIS
        digest = event_hash(seq, at, "hub", action, target, detail, prev)
        row = {
            "seq": seq,
            "at": iso(at),
            "actor": "hub",
            "action": action,
            "target": target,
            "detail": detail,
            "prev_hash": prev,
            "hash": digest,
        }
        self.audit.append(row)
        return row

    def ticket(self, at: datetime, line: str = "A", counselor: str | None = None, wait_min: int = 10) -> str:
        """A ticket issued at `at`, called after wait_min minutes and done 15 minutes later."""
        ticket_id = str(uuid.uuid4())
        called = at + timedelta(minutes=wait_min)
        done = called + timedelta(minutes=15)
        self.event(
            "ticket.issued",
            at,
            ticket_id=ticket_id,
            line=line,
            display=f"{line}001",
            service_date=at.date().isoformat(),
            issued_at=iso(at),
        )
        self.event(
            "ticket.called",
            called,
            ticket_id=ticket_id,
            desk="1",
            counselor_id=counselor or str(uuid.uuid4()),
            called_at=iso(called),
        )
        self.event("ticket.done", done, ticket_id=ticket_id, done_at=iso(done))
        return ticket_id

    def head(self, seq: int | None = None, signed_at: datetime = T0) -> dict[str, Any]:
        seq = len(self.audit) if seq is None else seq
        digest = self.audit[seq - 1]["hash"] if seq else GENESIS
        text = iso(signed_at)
        message = f"{self.code}:{seq}:{digest}:{text}".encode()
        return {
            "audit_seq": seq,
            "audit_hash": digest,
            "signed_at": text,
            "signature": base64.b64encode(self.key.sign(message)).decode(),
        }

    def body(
        self,
        events: slice = slice(None),
        audit: slice = slice(None),
        head: dict[str, Any] | None = None,
    ) -> bytes:
        return self.raw_body(self.events[events], self.audit[audit], head)

    def raw_body(
        self, events: list[dict[str, Any]], audit: list[dict[str, Any]], head: dict[str, Any] | None = None
    ) -> bytes:
        payload = {
            "v": 1,
            "center": self.code,
            "sent_at": iso(T0),
            "events": events,
            "audit": audit,
            "head": head,
        }
        return json.dumps(payload, ensure_ascii=False).encode()
