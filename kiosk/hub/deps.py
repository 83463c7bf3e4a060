"""Request dependencies: the hub's state, a database session per request, and the caller.

The dependencies are coroutines on purpose: FastAPI runs every plain `def` dependency on a worker
thread of its own, and those hops (with the GIL handed back and forth each time) cost more than the
checks themselves. Only the route body — the database work — runs on a worker thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from db.models import IdempotencyRecord
from kiosk.api import TicketOut, VisitReceipt
from kiosk.hub.auth import (
    UNAUTHENTICATED,
    Principal,
    TokenCache,
    hash_token,
    resolve_token,
)
from kiosk.hub.errors import forbidden, idempotency_conflict, other_center
from kiosk.hub.events import EventBus
from kiosk.hub.group_commit import GroupCommit
from kiosk.hub.throttle import Guards
from kiosk.hub.ticket_store import TicketRequest, stage_tickets
from kiosk.hub.visit_store import PreparedVisit, stage_visits


@dataclass
class HubState:
    """Everything the routes share; built once by create_app."""

    settings: Settings
    sessions: sessionmaker[Session]
    keys: Any  # db.crypto.KeyRing: encrypts RRN/phone, makes blind indexes
    archive_dir: Path
    document_signer: Any = None  # printers.documents PAdES signer; None: archive without PAdES
    ca_fingerprint: str | None = None  # the center CA's SHA-256 when serving TLS: pairing codes carry it
    sms: Any = None  # kiosk.sms.service.SmsService; None: sms.backend = off, no SMS is offered
    bus: EventBus = field(default=None)  # type: ignore[assignment]  # None: chosen by the dialect
    tokens: TokenCache = field(default_factory=TokenCache)
    guards: Guards = field(default_factory=Guards)  # guessing limits on logins and pairing codes
    mirrors: dict[uuid.UUID, Any] = field(default_factory=dict)
    ticket_lock: threading.Lock = field(default_factory=threading.Lock)
    _turns: dict[asyncio.AbstractEventLoop, asyncio.Lock] = field(default_factory=dict)
    # Lobby submissions and ticket requests: written by group commit (kiosk.hub.group_commit).
    visit_batches: GroupCommit[PreparedVisit, VisitReceipt] = field(init=False)
    ticket_batches: GroupCommit[TicketRequest, TicketOut] = field(init=False)

    def __post_init__(self) -> None:
        if self.bus is None:
            self.bus = event_bus_for(self.sessions)
        self.visit_batches = GroupCommit(self, stage_visits)  # GroupCommit commits: off the loop
        self.ticket_batches = GroupCommit(self, stage_tickets)

    @property
    def serialize_writes(self) -> bool:
        bind = self.sessions.kw.get("bind")
        return bind is not None and bind.dialect.name == "sqlite"

    def write_turn(self) -> asyncio.Lock:
        """The SQLite writers' queue of the running event loop (a test client may bring its own loop)."""
        loop = asyncio.get_running_loop()
        turn = self._turns.get(loop)
        if turn is None:
            turn = self._turns[loop] = asyncio.Lock()
        return turn


def event_bus_for(sessions: sessionmaker[Session]) -> EventBus:
    """PostgreSQL: events go through LISTEN/NOTIFY, so several workers share them (kiosk.hub.pg_bus);
    SQLite (one process): the in-process bus."""
    bind = sessions.kw.get("bind")
    if bind is not None and bind.dialect.name == "postgresql":
        from kiosk.hub.pg_bus import PgBus

        return PgBus.for_engine(bind)
    return EventBus()


async def hub_state(request: Request) -> HubState:
    state: HubState = request.app.state.hub
    return state


async def db_session(state: Annotated[HubState, Depends(hub_state)]) -> AsyncIterator[Session]:
    if state.serialize_writes:
        # SQLite has one writer at a time; its busy handler sleeps in growing steps while it waits,
        # which turns 20 concurrent kiosks into long tail latencies. Taking turns here costs nothing
        # (the writes were serial anyway) and keeps every request's wait short and fair. The queue
        # is an asyncio lock, so waiting requests park on the event loop instead of holding threads.
        async with state.write_turn():
            with state.sessions() as session:
                yield session
        return
    with state.sessions() as session:
        yield session


_bearer = HTTPBearer(auto_error=False, description="counselor session token (c_…) or device token (d_…)")


async def caller(
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    state: Annotated[HubState, Depends(hub_state)],
) -> Principal:
    if creds is None or not creds.credentials:
        raise UNAUTHENTICATED
    cached = state.tokens.get(hash_token(creds.credentials))
    if cached is not None:
        return cached
    # A token not seen in the last seconds: look it up in the database, off the event loop, in a
    # read-only session of its own (not the request's, so it neither waits for nor holds a write turn).
    return await run_in_threadpool(_resolve, state, creds.credentials)


def _resolve(state: HubState, token: str) -> Principal:
    with state.sessions() as session:
        return resolve_token(session, token, state.tokens)


StateDep = Annotated[HubState, Depends(hub_state)]
SessionDep = Annotated[Session, Depends(db_session)]
CallerDep = Annotated[Principal, Depends(caller)]


def counselor(min_role: str = "counselor") -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    async def check(principal: CallerDep) -> Principal:
        if not principal.is_counselor(min_role):
            raise forbidden(
                "상담사 권한이 필요해요." if min_role == "counselor" else "센터 관리자 권한이 필요해요.",
                f"Requires the {min_role} role.",
            )
        return principal

    return check


def device(*kinds: str) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    async def check(principal: CallerDep) -> Principal:
        if not principal.is_device(*kinds):
            raise forbidden(
                "이 기기에서는 할 수 없는 작업이에요.", f"Only {'/'.join(kinds)} devices may do this."
            )
        return principal

    return check


def staff_or_device(*kinds: str) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    async def check(principal: CallerDep) -> Principal:
        if not (principal.is_counselor() or principal.is_device(*kinds)):
            raise forbidden()
        return principal

    return check


CounselorDep = Annotated[Principal, Depends(counselor())]
ManagerDep = Annotated[Principal, Depends(counselor("center_manager"))]
LobbyDep = Annotated[Principal, Depends(device("lobby"))]
CounterDep = Annotated[Principal, Depends(device("counter"))]


def check_center(principal: Principal, center_id: uuid.UUID | None) -> None:
    if not principal.may_see_center(center_id):
        raise other_center()


def body_sha256(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


# Built once: these run on every keyed request.
_IDEMPOTENCY = IdempotencyRecord.__table__
_REPLAY = select(_IDEMPOTENCY.c.principal, _IDEMPOTENCY.c.request_sha256, _IDEMPOTENCY.c.response).where(
    _IDEMPOTENCY.c.scope == bindparam("scope"), _IDEMPOTENCY.c.key == bindparam("key")
)
_REMEMBER = insert(IdempotencyRecord)


def replayed(
    session: Session, scope: str, key: str, principal: Principal, request_sha: str
) -> dict[str, Any] | None:
    """The stored answer for a repeated key, or None; the same key with another body is a 409."""
    record = session.connection().execute(_REPLAY, {"scope": scope, "key": key}).first()
    if record is None:
        return None
    if record.principal != principal.actor or record.request_sha256 != request_sha:
        raise idempotency_conflict()
    return dict(record.response)


def commit_or_replay(
    session: Session,
    scope: str,
    key: str,
    principal: Principal,
    request_sha: str,
    response: dict[str, Any],
) -> dict[str, Any] | None:
    """Store the answer under the key and commit; if a concurrent request with the same key won,
    roll back (nothing of this request stays) and return the winner's answer instead."""
    try:
        session.connection().execute(
            _REMEMBER,
            {
                "id": uuid.uuid4(),
                "scope": scope,
                "key": key,
                "principal": principal.actor,
                "request_sha256": request_sha,
                "status_code": 200,
                "response": response,
            },
        )
        session.commit()
        return None
    except IntegrityError:
        session.rollback()
        answer = replayed(session, scope, key, principal, request_sha)
        if answer is None:
            raise
        return answer
