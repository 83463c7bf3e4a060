"""The lobby's local outbox: a visit and its ticket are never lost while the hub is unreachable.

How offline lobbies number tickets (decided here, enforced by both databases):
- While online, the lobby reserves a few *real* tickets per line at the hub (`POST /tickets/reserve`,
  status `reserved`, invisible to call-next). They are ordinary rows of the hub's ticket table, so the
  hub's unique (center, day, line, number) constraint guarantees no number is ever issued twice —
  online or offline, by this kiosk or another.
- The lobby keeps them in its local `ticket_reservation` table. Handing one out sets
  `used_by_visit_id`, which is UNIQUE, in the same local transaction that queues the outbox entries;
  a reservation row can be used once, so a number is never handed out twice by the kiosk either.
- With no reservation left and no hub, `take_ticket` raises `HubUnavailable`: the kiosk says to ask
  the staff (it never invents a number).

Why it never wedges (issue 13):
- Each entry has its own retry clock (`attempts`, `next_attempt_at`, `last_error` — a code such as
  `http_500`, never a body), backing off exponentially. Nothing waits behind an entry that fails; order
  is kept only where it matters: a claim of a reserved number waits for its own visit's entry.
- An entry the hub keeps failing (a 5xx other than 503 `hub_busy`, or an error of ours such as a
  payload that no longer decrypts) is quarantined after `quarantine_after` tries; a 4xx refusal
  (invalid data, a conflict) at once, since sending it again cannot help. Staff see it (`health()`,
  the lobby's staff screen, `kiosk outbox list`) and may send it again (`kiosk outbox retry ID`).
- A hub that cannot be reached (connection refused, timeout) or is busy (503) ends the pass and
  charges nothing: an hour-long outage must not quarantine anything.
- 401/403 means this kiosk's token is refused (revoked, or unknown to the hub). Entries are held
  (`held_auth`), not failed, and the lobby stops asking; as soon as the client carries another token
  (the kiosk was enrolled again) they flow, claims of the reserved numbers people hold included.
- The direct paths never wait for the outbox: a visit and its ticket go straight to the hub whenever
  it answers, whatever else is queued, and reserved numbers are topped up all the same.
- A lost answer: the fallback claim of a reserved number carries the same Idempotency-Key as the
  direct ticket request that failed (`ticket:<visit id>`), and the hub settles the key to one ticket
  (kiosk.hub.ticket_store.settle_claim_key), whichever of the two reached it.

What it holds: the whole request of an entry is one ciphertext (db.crypto field cipher, context
"outbox.payload"); routing columns (kind, key, visit id, status, retry clock) are not personal. Once
the hub acknowledges an entry, only its id, the sha256 of its payload and its status stay; on SQLite
the freed bytes are zeroed (secure_delete) and the WAL is checkpointed, so the file keeps no copy.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db.crypto import DecryptionError, KeyRing
from db.models import OutboxEntry, OutboxKind, OutboxStatus, TicketReservation
from kiosk.api import TicketOut, VisitSubmission
from kiosk.client.errors import HubRefused, HubUnavailable
from kiosk.client.hub_client import HubClient

log = logging.getLogger("kiosk.client")

PAYLOAD_CONTEXT = "outbox.payload"
QUARANTINE_AFTER = 8  # tries: with the default backoff, about four minutes of a hub failing this entry
PENDING, SENT, HELD_AUTH, QUARANTINED = (
    OutboxStatus.PENDING,
    OutboxStatus.SENT,
    OutboxStatus.HELD_AUTH,
    OutboxStatus.QUARANTINED,
)
VISIT, CLAIM = OutboxKind.VISIT, OutboxKind.CLAIM


@dataclass(frozen=True)
class OfflineTicket:
    """The ticket a person gets; `offline` says it still has to reach the hub."""

    line: str
    number: int
    display: str
    ticket_id: str
    offline: bool
    wait_minutes: int | None = None


@dataclass(frozen=True)
class OutboxHealth:
    """What staff need to know about the outbox: counts only, and what to do about them."""

    pending: int
    held_auth: int
    quarantined: int

    @property
    def ok(self) -> bool:
        return not (self.held_auth or self.quarantined)

    @property
    def message_ko(self) -> str:
        parts = []
        if self.held_auth:
            parts.append(
                f"허브가 이 키오스크를 인증하지 않아요: {self.held_auth}건을 보관 중이에요. "
                "키오스크를 다시 등록하면 자동으로 보내요."
            )
        if self.quarantined:
            parts.append(
                f"계속 실패한 {self.quarantined}건을 따로 두었어요. "
                "`kiosk outbox list`로 확인하고 `kiosk outbox retry ID`로 다시 보내세요."
            )
        if self.pending:
            parts.append(f"허브로 보낼 {self.pending}건이 자동으로 다시 보내질 차례를 기다려요.")
        return " ".join(parts) or "허브로 보낼 항목이 없어요."

    @property
    def message_en(self) -> str:
        parts = []
        if self.held_auth:
            parts.append(
                f"the hub refuses this kiosk's token: {self.held_auth} held until it is enrolled again."
            )
        if self.quarantined:
            parts.append(
                f"{self.quarantined} set aside after repeated failures: see `kiosk outbox list`, "
                "send again with `kiosk outbox retry ID`."
            )
        if self.pending:
            parts.append(f"{self.pending} waiting to be sent again automatically.")
        return " ".join(parts) or "nothing waiting for the hub."

    @property
    def message(self) -> str:
        return f"{self.message_ko} ({self.message_en})"


@dataclass(frozen=True)
class EntryView:
    """One outbox entry as staff may see it: routing and retry state, no personal data."""

    id: str
    kind: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime


class _Unexpected(Exception):
    """Our side could not make the request (payload unreadable, unknown kind): counts as a failure."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _is_auth(exc: HubRefused) -> bool:
    return exc.status in (401, 403)


def _classify(exc: Exception) -> tuple[str, str]:
    """(verdict, code). Verdicts: stop (hub unreachable/busy: end the pass, charge nothing), auth
    (token refused: hold), refused (4xx: quarantine now), retry (charged: back off, then quarantine)."""
    if isinstance(exc, HubRefused):
        if _is_auth(exc):
            return "auth", f"http_{exc.status}"
        if exc.status in (408, 425, 429):  # "try later" answers
            return "retry", f"http_{exc.status}"
        return "refused", f"http_{exc.status}_{exc.code}"[:60]
    if isinstance(exc, HubUnavailable):
        if isinstance(exc.__cause__, httpx.TimeoutException):
            return "stop", "timeout"
        if isinstance(exc.__cause__, httpx.TransportError):
            return "stop", "unreachable"
        if exc.status is None:
            return "stop", "unavailable"
        return ("stop" if exc.status == 503 else "retry"), f"http_{exc.status}"
    if isinstance(exc, _Unexpected):
        return "retry", exc.code
    return "retry", f"error_{type(exc).__name__}"[:60]


def _token_digest(token: str | None) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


class LobbyOutbox:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: HubClient,
        *,
        keys: KeyRing | None = None,
        lines: tuple[str, ...] = ("A", "B", "C"),
        reserve_per_line: int = 5,
        quarantine_after: int = QUARANTINE_AFTER,
        backoff_s: float = 2.0,
        max_backoff_s: float = 300.0,
    ) -> None:
        self.sessions, self.client = sessions, client
        if keys is None:
            # Never in clear: without the site's key ring, a ring in memory. Entries queued under it
            # cannot be read after a restart (they are then quarantined with `decrypt_failed`).
            log.warning("outbox: no key ring given; queued entries are readable by this process only")
            keys = KeyRing.generate()
        self.keys = keys
        self.lines, self.reserve_per_line = lines, reserve_per_line
        self.quarantine_after, self.backoff_s, self.max_backoff_s = quarantine_after, backoff_s, max_backoff_s
        self._lock = threading.Lock()  # one flush at a time
        self._refused_token: str | None = None  # digest of the token the hub refused (401/403)
        self._sealed_legacy = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- what the lobby calls -----------------------------------------------------------------------
    def submit_visit(self, submission: VisitSubmission) -> bool:
        """Send the visit now, or keep it for later. True when the hub has it."""
        if not self.auth_refused():
            try:
                self.client.submit_visit(submission)
                return True
            except HubUnavailable:
                pass
            except HubRefused as exc:
                if not _is_auth(exc):
                    raise
                self._token_refused()
        visit_id = str(submission.visit_id)
        self._enqueue(VISIT, f"visit:{visit_id}", visit_id, submission.model_dump(mode="json"))
        return False

    def take_ticket(self, visit_id: uuid.UUID, line: str) -> OfflineTicket:
        """A ticket for a submitted visit (ticket-only visits are submitted too, with path ticket_only).

        Direct from the hub whenever it answers and has the visit; otherwise a reserved number, claimed
        later under the same idempotency key, so a direct request whose answer was lost still ends as
        one ticket for the visit.
        """
        key = f"ticket:{visit_id}"
        if not self.auth_refused() and not self._visit_queued(str(visit_id)):
            try:
                return ticket_from(self.client.issue_ticket(line, visit_id, key))
            except HubUnavailable:
                pass
            except HubRefused as exc:
                if not _is_auth(exc):
                    raise
                self._token_refused()
        return self._use_reservation(visit_id, line, key)

    def replenish(self) -> int:
        """Top up reserved numbers for today's lines (online only). Returns how many were added."""
        if self.auth_refused():
            return 0
        today = clock.today()
        added = 0
        with self.sessions() as session:
            for line in self.lines:
                have = session.scalar(
                    select(func.count(TicketReservation.id)).where(
                        TicketReservation.service_date == today,
                        TicketReservation.line == line,
                        TicketReservation.used_by_visit_id.is_(None),
                    )
                )
                if (have or 0) >= self.reserve_per_line:
                    continue
                try:
                    reserved = self.client.reserve_tickets(line, self.reserve_per_line - (have or 0))
                except HubRefused as exc:
                    if not _is_auth(exc):
                        raise
                    self._token_refused()
                    return added
                for out in reserved:
                    session.add(
                        TicketReservation(
                            hub_ticket_id=str(out.id),
                            service_date=out.service_date,
                            line=out.line,
                            number=out.number,
                            display=out.display,
                        )
                    )
                    added += 1
                session.commit()
        return added

    def pending_count(self) -> int:
        """Entries still to be sent by the background sync (held and quarantined ones not counted)."""
        with self.sessions() as session:
            return (
                session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.status == PENDING)) or 0
            )

    def health(self) -> OutboxHealth:
        with self.sessions() as session:
            counts = dict(
                session.execute(
                    select(OutboxEntry.status, func.count(OutboxEntry.id)).group_by(OutboxEntry.status)
                ).all()
            )
        return OutboxHealth(counts.get(PENDING, 0), counts.get(HELD_AUTH, 0), counts.get(QUARANTINED, 0))

    def auth_refused(self) -> bool:
        """True while the hub refuses the token the client carries now."""
        return self._refused_token is not None and self._refused_token == _token_digest(self.client.token)

    def flush(self) -> int:
        """Send the entries that are due, each on its own; returns how many the hub acknowledged."""
        sent = 0
        with self._lock:
            self._seal_legacy_rows()
            self._release_held()
            now = clock.now()
            with self.sessions() as session:
                unsent_visits = set(
                    session.scalars(
                        select(OutboxEntry.visit_id).where(
                            OutboxEntry.kind == VISIT, OutboxEntry.status != SENT
                        )
                    )
                )
                due = session.scalars(
                    select(OutboxEntry)
                    .where(
                        OutboxEntry.status == PENDING,
                        (OutboxEntry.next_attempt_at.is_(None)) | (OutboxEntry.next_attempt_at <= now),
                    )
                    .order_by(OutboxEntry.created_at, OutboxEntry.id)
                ).all()
                # Visits first: a claim may go in the same pass as the visit it waits for.
                for entry in sorted(due, key=lambda e: e.kind == CLAIM):
                    if entry.kind == CLAIM and entry.visit_id in unsent_visits:
                        continue  # its visit is not at the hub yet (pending, held or quarantined)
                    verdict = self._attempt(session, entry)
                    session.commit()
                    if verdict == "sent":
                        sent += 1
                        if entry.kind == VISIT:
                            unsent_visits.discard(entry.visit_id)
                    elif verdict in ("stop", "auth"):
                        break
        if sent:
            self._checkpoint()
        return sent

    # --- background sync ------------------------------------------------------------------------------
    def start(self, interval_s: float = 2.0) -> None:
        def loop() -> None:
            while not self._stop.wait(interval_s):
                for step in (self.flush, self.replenish):
                    try:
                        step()
                    except HubUnavailable:
                        continue
                    except HubRefused as exc:  # its English text may quote the hub's answer: code only
                        log.warning("outbox sync refused: %s %s", exc.status, exc.code)
                    except Exception:
                        log.exception("outbox sync failed")

        self._thread = threading.Thread(target=loop, name="lobby-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    # --- internals ------------------------------------------------------------------------------------
    def _attempt(self, session: Session, entry: OutboxEntry) -> str:
        try:
            self._send(entry)
        except Exception as exc:
            verdict, code = _classify(exc)
            entry.last_error = code
            if verdict == "stop":
                return verdict
            if verdict == "auth":
                self._refused_token = _token_digest(self.client.token)
                entry.status = HELD_AUTH
                session.flush()
                self._hold_pending(session)
                log.warning("outbox: the hub refused this kiosk's token (%s); entries held", code)
                return verdict
            entry.attempts += 1
            if verdict == "refused" or entry.attempts >= self.quarantine_after:
                entry.status, entry.next_attempt_at = QUARANTINED, None
                log.warning(
                    "outbox entry %s (%s) quarantined after %d tries: %s",
                    entry.id,
                    entry.kind,
                    entry.attempts,
                    code,
                )
            else:
                delay = min(self.max_backoff_s, self.backoff_s * 2 ** (entry.attempts - 1))
                entry.next_attempt_at = clock.now() + timedelta(seconds=delay)
            return "failed"
        entry.attempts += 1
        if session.get_bind().dialect.name == "sqlite":
            # Zero the freed bytes of the payload instead of leaving them in the file's free space.
            session.connection().exec_driver_sql("PRAGMA secure_delete=ON")
        entry.status, entry.sent_at = SENT, clock.now()
        entry.payload_enc, entry.body = None, {}
        entry.last_error, entry.next_attempt_at = None, None
        return "sent"

    def _send(self, entry: OutboxEntry) -> None:
        payload = self._open(entry)
        if entry.kind == VISIT:
            try:
                submission = VisitSubmission.model_validate(payload)
            except ValueError:
                raise _Unexpected("invalid_payload") from None  # pydantic's text would quote the values
            self.client.submit_visit(submission)
        elif entry.kind == CLAIM:
            self.client.claim_ticket(payload["ticket_id"], payload["visit_id"], entry.idempotency_key)
        else:
            raise _Unexpected("unknown_kind")

    def _seal(self, payload: dict[str, Any]) -> tuple[bytes, str]:
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return self.keys.encrypt_text(text, PAYLOAD_CONTEXT), hashlib.sha256(text.encode()).hexdigest()

    def _open(self, entry: OutboxEntry) -> dict[str, Any]:
        if entry.payload_enc is None:
            raise _Unexpected("payload_missing")
        try:
            payload: dict[str, Any] = json.loads(self.keys.decrypt_text(entry.payload_enc, PAYLOAD_CONTEXT))
        except DecryptionError:
            raise _Unexpected("decrypt_failed") from None
        return payload

    def _new_entry(self, kind: OutboxKind, key: str, visit_id: str, payload: dict[str, Any]) -> OutboxEntry:
        sealed, digest = self._seal(payload)
        return OutboxEntry(
            kind=kind,
            idempotency_key=key,
            visit_id=visit_id,
            payload_enc=sealed,
            payload_sha256=digest,
            body={},
            status=HELD_AUTH if self.auth_refused() else PENDING,
        )

    def _enqueue(self, kind: OutboxKind, key: str, visit_id: str, payload: dict[str, Any]) -> None:
        with self.sessions() as session:
            if (
                session.scalars(select(OutboxEntry.id).where(OutboxEntry.idempotency_key == key)).first()
                is None
            ):
                session.add(self._new_entry(kind, key, visit_id, payload))
                session.commit()

    def _visit_queued(self, visit_id: str) -> bool:
        """The visit waits in the outbox: the hub does not know it, so it cannot issue its ticket."""
        with self.sessions() as session:
            return (
                session.scalars(
                    select(OutboxEntry.id).where(
                        OutboxEntry.kind == VISIT,
                        OutboxEntry.visit_id == visit_id,
                        OutboxEntry.status != SENT,
                    )
                ).first()
                is not None
            )

    def _use_reservation(self, visit_id: uuid.UUID, line: str, key: str) -> OfflineTicket:
        holder = str(visit_id)
        with self.sessions() as session:
            held = session.scalars(
                select(TicketReservation).where(TicketReservation.used_by_visit_id == holder)
            ).first()
            if held is not None:  # asked twice for the same visit: the same number
                return OfflineTicket(held.line, held.number, held.display, held.hub_ticket_id, True)
            candidates = session.scalars(
                select(TicketReservation)
                .where(
                    TicketReservation.service_date == clock.today(),
                    TicketReservation.line == line,
                    TicketReservation.used_by_visit_id.is_(None),
                )
                .order_by(TicketReservation.number)
            ).all()
            for reservation in candidates:
                # Conditional update: only one caller can take a given row, even across processes.
                taken = session.execute(
                    update(TicketReservation)
                    .where(
                        TicketReservation.id == reservation.id, TicketReservation.used_by_visit_id.is_(None)
                    )
                    .values(used_by_visit_id=holder, used_at=clock.now())
                ).rowcount  # type: ignore[attr-defined]
                if taken != 1:
                    continue
                payload = {"ticket_id": reservation.hub_ticket_id, "visit_id": holder}
                session.add(self._new_entry(CLAIM, key, holder, payload))
                session.commit()
                return OfflineTicket(
                    line, reservation.number, reservation.display, reservation.hub_ticket_id, True
                )
        raise HubUnavailable("no hub and no reserved ticket number left")

    def _token_refused(self) -> None:
        self._refused_token = _token_digest(self.client.token)
        with self.sessions() as session:
            self._hold_pending(session)
            session.commit()
        log.warning("outbox: the hub refused this kiosk's token; entries held until it is enrolled again")

    def _hold_pending(self, session: Session) -> None:
        session.execute(update(OutboxEntry).where(OutboxEntry.status == PENDING).values(status=HELD_AUTH))

    def _release_held(self) -> None:
        """Held entries flow again once the client carries a token the hub has not refused."""
        if self.auth_refused():
            return
        self._refused_token = None
        with self.sessions() as session:
            held = session.scalars(select(OutboxEntry.id).where(OutboxEntry.status == HELD_AUTH)).all()
            if not held:
                return  # the usual case: no write every sync
            session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id.in_(held), OutboxEntry.status == HELD_AUTH)
                .values(status=PENDING, next_attempt_at=None)
            )
            session.commit()
        log.info("outbox: %d held entries released (the device token changed)", len(held))

    def _seal_legacy_rows(self) -> None:
        """Rows from before revision 0002 hold their request in clear in `body`: encrypt them once."""
        if self._sealed_legacy:
            return
        with self.sessions() as session:
            rows = session.scalars(
                select(OutboxEntry).where(OutboxEntry.payload_enc.is_(None), OutboxEntry.status != SENT)
            ).all()
            for row in rows:
                if row.body:
                    row.payload_enc, row.payload_sha256 = self._seal(dict(row.body))
                    row.visit_id = row.visit_id or str(row.body.get("visit_id") or "") or None
                    row.body = {}
            if rows:
                if session.get_bind().dialect.name == "sqlite":
                    session.connection().exec_driver_sql("PRAGMA secure_delete=ON")
                session.commit()
        if rows:
            self._checkpoint()  # the clear bodies must not live on in the WAL either
        self._sealed_legacy = True

    def _checkpoint(self) -> None:
        """SQLite: move the WAL into the file and truncate it, so no old page keeps a sent payload.

        Best effort and brief: it waits at most 200 ms for a reader of the lobby to finish (a checkpoint
        holds back writers meanwhile); otherwise the next sync that sends something tries again."""
        with self.sessions() as session:
            if session.get_bind().dialect.name == "sqlite":
                conn = session.connection()
                conn.exec_driver_sql("PRAGMA busy_timeout=200")
                try:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    conn.exec_driver_sql("PRAGMA busy_timeout=10000")  # db.session's default


# --- staff tools (kiosk outbox list / retry): no hub client needed -----------------------------------
def list_entries(sessions: sessionmaker[Session], *, include_sent: bool = False) -> list[EntryView]:
    with sessions() as session:
        query = select(OutboxEntry).order_by(OutboxEntry.created_at, OutboxEntry.id)
        if not include_sent:
            query = query.where(OutboxEntry.status != SENT)
        return [_view(e) for e in session.scalars(query)]


class UnknownEntry(LookupError):
    pass


def retry_entry(sessions: sessionmaker[Session], entry_id: str) -> EntryView:
    """Send a held or quarantined entry again from the next sync on, with a fresh count of tries.

    ``entry_id``: the full id or an unambiguous prefix of at least 6 characters, as `list` shows it.
    Raises UnknownEntry when nothing (or more than one entry) matches.
    """
    wanted = entry_id.strip().lower()
    if len(wanted) < 6:
        raise UnknownEntry(entry_id)
    with sessions() as session:
        matches = [i for i in session.scalars(select(OutboxEntry.id)) if str(i).startswith(wanted)]
        if len(matches) != 1:
            raise UnknownEntry(entry_id)
        entry = session.get_one(OutboxEntry, matches[0])
        if entry.status != SENT:
            entry.status, entry.attempts, entry.next_attempt_at = PENDING, 0, None
            session.commit()
        return _view(entry)


def _view(entry: OutboxEntry) -> EntryView:
    return EntryView(
        str(entry.id),
        entry.kind,
        entry.status,
        entry.attempts,
        entry.last_error,
        entry.next_attempt_at,
        entry.created_at,
    )


def ticket_from(out: TicketOut) -> OfflineTicket:
    return OfflineTicket(out.line, out.number, out.display, str(out.id), False, out.wait_minutes)
