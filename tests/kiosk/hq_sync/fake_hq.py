"""A tiny HQ for the pusher's tests: a real HTTP server (FastAPI under uvicorn on a thread) applying the
contract's rules — signature, gap, replay, conflict, audit chain, all or nothing — over an in-memory store
that outlives a restart of the server (the store is HQ's database; the server is its process)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from db.audit import GENESIS, event_hash
from kiosk.hq_sync.batch import BatchFormatError, head_message, parse_batch
from kiosk.hub.server import RunningHub, serve_in_thread


@dataclass
class HqStore:
    center: str
    public_key: bytes  # raw 32 bytes
    events: dict[int, dict[str, Any]] = field(default_factory=dict)
    audit: dict[int, dict[str, Any]] = field(default_factory=dict)
    heads: list[dict[str, Any]] = field(default_factory=list)
    stored_events: list[int] = field(
        default_factory=list
    )  # every seq the moment it was stored (a double shows)
    refusals: list[str] = field(default_factory=list)
    unavailable: int = 0  # answer this many requests 503 first (HQ "busy")

    def acks(self) -> dict[str, int]:
        return {"events_acked": _contiguous(self.events), "audit_acked": _contiguous(self.audit)}


def _contiguous(rows: dict[int, Any]) -> int:
    n = 0
    while n + 1 in rows:
        n += 1
    return n


def _verifies(store: HqStore, signature: str, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(store.public_key).verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def fake_hq_app(store: HqStore) -> FastAPI:
    app = FastAPI()

    def refuse(status: int, code: str) -> JSONResponse:
        store.refusals.append(code)
        body = {"code": code, "message_ko": "거절", "message_en": code.lower(), **store.acks()}
        return JSONResponse(body, status_code=status)

    def check(request: Request, body: bytes) -> JSONResponse | None:
        if store.unavailable > 0:
            store.unavailable -= 1
            return JSONResponse({"code": "BUSY"}, status_code=503)
        if request.headers.get("x-kiosk-center") != store.center:
            return refuse(403, "SYNC_UNKNOWN_CENTER")
        if not _verifies(store, request.headers.get("x-kiosk-signature", ""), body):
            return refuse(401, "SYNC_BAD_SIGNATURE")
        return None

    @app.get("/sync/v1/cursor")
    async def cursor(request: Request) -> JSONResponse:
        return check(request, b"") or JSONResponse(store.acks())

    @app.post("/sync/v1/batches")
    async def batches(request: Request) -> JSONResponse:
        body = await request.body()
        refused = check(request, body)
        if refused is not None:
            return refused
        try:
            doc = parse_batch(body)
        except BatchFormatError:
            return refuse(422, "SYNC_MALFORMED")
        if doc["center"] != store.center:
            return refuse(403, "SYNC_UNKNOWN_CENTER")
        acks = store.acks()
        new_events: dict[int, dict[str, Any]] = {}
        for row in doc["events"]:
            if row["seq"] in store.events:
                if store.events[row["seq"]] != row:
                    return refuse(409, "SYNC_CONFLICT")
            elif row["seq"] != acks["events_acked"] + len(new_events) + 1:
                return refuse(409, "SYNC_GAP")
            else:
                new_events[row["seq"]] = row
        new_audit: dict[int, dict[str, Any]] = {}
        prev = store.audit[acks["audit_acked"]]["hash"] if acks["audit_acked"] else GENESIS
        for row in doc["audit"]:
            if row["seq"] in store.audit:
                if store.audit[row["seq"]] != row:
                    return refuse(409, "SYNC_CONFLICT")
                continue
            if row["seq"] != acks["audit_acked"] + len(new_audit) + 1:
                return refuse(409, "SYNC_GAP")
            at = datetime.fromisoformat(row["at"])
            fields = (row["actor"], row["action"], row["target"], row["detail"])
            if (
                row["prev_hash"] != prev
                or event_hash(row["seq"], at, *fields, row["prev_hash"]) != row["hash"]
            ):
                return refuse(409, "SYNC_CHAIN_BROKEN")
            new_audit[row["seq"]] = row
            prev = row["hash"]
        head = doc["head"]
        if head is not None:
            message = head_message(store.center, head["audit_seq"], head["audit_hash"], head["signed_at"])
            known = {**store.audit, **new_audit}.get(head["audit_seq"])
            if not _verifies(store, head["signature"], message) or known is None:
                return refuse(401, "SYNC_BAD_SIGNATURE")
            if known["hash"] != head["audit_hash"]:
                return refuse(409, "SYNC_CHAIN_BROKEN")
        # All of the batch, or (above) nothing.
        store.events.update(new_events)
        store.stored_events.extend(new_events)
        store.audit.update(new_audit)
        if head is not None:
            store.heads.append(head)
        return JSONResponse(store.acks())

    return app


class FakeHq:
    """The server around a store: ``stop()`` and ``start()`` again on the same port is HQ restarting."""

    def __init__(self, store: HqStore) -> None:
        self.store = store
        self.port = 0
        self.running: RunningHub | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeHq:
        self.running = serve_in_thread(fake_hq_app(self.store), port=self.port)
        self.port = int(self.running.url.rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None


def batch_doc(body: bytes) -> dict[str, Any]:
    return dict(json.loads(body))
