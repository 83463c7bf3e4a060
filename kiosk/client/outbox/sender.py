"""`LobbyOutbox`: what the lobby calls, and the sync that sends what waits, each entry on its own.

- The direct paths never wait for the outbox: a visit and its ticket go straight to the hub whenever
  it answers, whatever else is queued, and reserved numbers are topped up all the same.
- Nothing waits behind an entry that fails (each has its own retry clock, see ``rules``); order is kept
  only where it matters: a claim of a reserved number waits for its own visit's entry.
- 401/403 means this kiosk's token is refused (revoked, or unknown to the hub). Entries are held
  (`held_auth`), not failed, and the lobby stops asking; as soon as the client carries another token
  (the kiosk was enrolled again) they flow, claims of the reserved numbers people hold included.
- A lost answer: the fallback claim of a reserved number carries the same Idempotency-Key as the
  direct ticket request that failed (`ticket:<visit id>`), and the hub settles the key to one ticket
  (kiosk.hub.ticket_store.settle_claim_key), whichever of the two reached it.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db.crypto import KeyRing
from db.models import OutboxEntry, OutboxKind, OutboxStatus
from kiosk.api import VisitSubmission
from kiosk.client.errors import HubRefused, HubUnavailable
from kiosk.client.hub_client import HubClient
from kiosk.client.outbox.reservations import OfflineTicket, TicketReservations, ticket_from
from kiosk.client.outbox.rules import (
    QUARANTINE_AFTER,
    RetryPolicy,
    Unexpected,
    classify,
    is_auth,
    token_digest,
)
from kiosk.client.outbox.staff import OutboxHealth, outbox_health
from kiosk.client.outbox.store import OutboxStore

log = logging.getLogger("kiosk.client")

Outcome = Literal["sent", "failed", "stop", "auth"]


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
        self.store = OutboxStore(sessions, keys)
        self.reservations = TicketReservations(sessions, self.store)
        self.lines, self.reserve_per_line = lines, reserve_per_line
        self.policy = RetryPolicy(quarantine_after, backoff_s, max_backoff_s)
        self._lock = threading.Lock()  # one flush at a time
        self._refused_token: str | None = None  # digest of the token the hub refused (401/403)
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
                if not is_auth(exc):
                    raise
                self._token_refused()
        visit_id = str(submission.visit_id)
        self.store.enqueue(
            OutboxKind.VISIT,
            f"visit:{visit_id}",
            visit_id,
            submission.model_dump(mode="json"),
            held=self.auth_refused(),
        )
        return False

    def take_ticket(self, visit_id: uuid.UUID, line: str) -> OfflineTicket:
        """A ticket for a submitted visit (ticket-only visits are submitted too, with path ticket_only).

        Direct from the hub whenever it answers and has the visit; otherwise a reserved number, claimed
        later under the same idempotency key, so a direct request whose answer was lost still ends as
        one ticket for the visit.
        """
        key = f"ticket:{visit_id}"
        if not self.auth_refused() and not self.store.visit_queued(str(visit_id)):
            try:
                return ticket_from(self.client.issue_ticket(line, visit_id, key))
            except HubUnavailable:
                pass
            except HubRefused as exc:
                if not is_auth(exc):
                    raise
                self._token_refused()
        return self.reservations.take(visit_id, line, key, held=self.auth_refused())

    def replenish(self) -> int:
        """Top up reserved numbers for today's lines (online only). Returns how many were added."""
        if self.auth_refused():
            return 0
        added = 0
        for line in self.lines:
            have = self.reservations.unused(line)
            if have >= self.reserve_per_line:
                continue
            try:
                reserved = self.client.reserve_tickets(line, self.reserve_per_line - have)
            except HubRefused as exc:
                if not is_auth(exc):
                    raise
                self._token_refused()
                return added
            added += self.reservations.keep(reserved)
        return added

    def pending_count(self) -> int:
        """Entries still to be sent by the background sync (held and quarantined ones not counted)."""
        return self.store.pending_count()

    def health(self) -> OutboxHealth:
        return outbox_health(self.sessions)

    def auth_refused(self) -> bool:
        """True while the hub refuses the token the client carries now."""
        return self._refused_token is not None and self._refused_token == token_digest(self.client.token)

    def flush(self) -> int:
        """Send the entries that are due, each on its own; returns how many the hub acknowledged."""
        sent = 0
        with self._lock:
            self.store.seal_legacy_rows()
            self._release_held()
            with self.sessions() as session:
                unsent_visits = self.store.unsent_visit_ids(session)
                due = self.store.due(session, clock.now())
                # Visits first: a claim may go in the same pass as the visit it waits for.
                for entry in sorted(due, key=_is_claim):
                    if entry.kind == OutboxKind.CLAIM and entry.visit_id in unsent_visits:
                        continue  # its visit is not at the hub yet (pending, held or quarantined)
                    outcome = self._attempt(session, entry)
                    session.commit()
                    if outcome == "sent":
                        sent += 1
                        if entry.kind == OutboxKind.VISIT:
                            unsent_visits.discard(entry.visit_id)
                    elif outcome in ("stop", "auth"):
                        break
        if sent:
            self.store.checkpoint()
        return sent

    # --- background sync ------------------------------------------------------------------------------
    def start(self, interval_s: float = 2.0) -> None:
        self._thread = threading.Thread(
            target=self._sync, args=(interval_s,), name="lobby-outbox", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _sync(self, interval_s: float) -> None:
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

    # --- one entry --------------------------------------------------------------------------------------
    def _attempt(self, session: Session, entry: OutboxEntry) -> Outcome:
        try:
            self._send(entry)
        except Exception as exc:
            verdict, code = classify(exc)
            entry.last_error = code
            if verdict == "stop":
                return "stop"
            if verdict == "auth":
                self._refused_token = token_digest(self.client.token)
                entry.status = OutboxStatus.HELD_AUTH
                session.flush()
                self.store.hold_pending(session)
                log.warning("outbox: the hub refused this kiosk's token (%s); entries held", code)
                return "auth"
            entry.attempts += 1
            if self.policy.quarantines(verdict, entry.attempts):
                entry.status, entry.next_attempt_at = OutboxStatus.QUARANTINED, None
                log.warning(
                    "outbox entry %s (%s) quarantined after %d tries: %s",
                    entry.id,
                    entry.kind,
                    entry.attempts,
                    code,
                )
            else:
                delay = self.policy.delay_s(entry.attempts)
                entry.next_attempt_at = clock.now() + timedelta(seconds=delay)
            return "failed"
        entry.attempts += 1
        self.store.mark_sent(session, entry)
        return "sent"

    def _send(self, entry: OutboxEntry) -> None:
        payload = self.store.open(entry)
        if entry.kind == OutboxKind.VISIT:
            try:
                submission = VisitSubmission.model_validate(payload)
            except ValueError:
                raise Unexpected("invalid_payload") from None  # pydantic's text would quote the values
            self.client.submit_visit(submission)
        elif entry.kind == OutboxKind.CLAIM:
            self.client.claim_ticket(payload["ticket_id"], payload["visit_id"], entry.idempotency_key)
        else:
            raise Unexpected("unknown_kind")

    # --- the refused token ------------------------------------------------------------------------------
    def _token_refused(self) -> None:
        self._refused_token = token_digest(self.client.token)
        self.store.hold_all_pending()
        log.warning("outbox: the hub refused this kiosk's token; entries held until it is enrolled again")

    def _release_held(self) -> None:
        """Held entries flow again once the client carries a token the hub has not refused."""
        if self.auth_refused():
            return
        self._refused_token = None
        released = self.store.release_held()
        if released:
            log.info("outbox: %d held entries released (the device token changed)", released)


def _is_claim(entry: OutboxEntry) -> bool:
    return entry.kind == OutboxKind.CLAIM
