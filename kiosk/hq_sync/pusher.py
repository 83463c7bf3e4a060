"""The hub's one HQ pusher: a thread that sends the center's events and audit rows until HQ has them all.

Each pass asks HQ where it stands (GET cursor) and sends batches from there, storing HQ's answer in
``sync_cursor`` after each one. HQ is the judge of what it holds, so nothing is skipped (the hub never
moves past what HQ acknowledged) and nothing is doubled (HQ ignores a row it already has). A failed pass
(HQ down, a 5xx, a timeout, a refusal) is noted in ``sync_cursor.last_error`` and tried again after a
doubling pause, capped; a commit that numbered events wakes the pusher at once (db.sync_log).
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from config import Settings, clock
from db import sync_log
from db.models import SyncCursor
from kiosk.hq_sync.batch import Batch, build_batch
from kiosk.hq_sync.contacts import ContactSealing
from kiosk.hq_sync.keys import CenterKey

log = logging.getLogger("kiosk.hq_sync")
BATCHES_PATH = "/sync/v1/batches"
CURSOR_PATH = "/sync/v1/cursor"
MAX_BACKOFF_S = 60.0
MAX_BATCHES_PER_PASS = 10_000  # a guard against a loop, far above three days of a busy center


class HqUnreachable(Exception):
    """HQ did not answer, or answered 5xx: try again later, nothing changes."""


class HqRefused(Exception):
    """HQ refused the request (4xx with a SYNC_* code): a person may have to look (key, registration)."""

    def __init__(self, status: int, code: str, message: str, acks: tuple[int, int] | None) -> None:
        self.status, self.code, self.acks = status, code, acks
        super().__init__(f"HQ {status} {code}: {message}")


@dataclass
class PushReport:
    events_sent: int = 0
    events_acked: int = 0
    audit_sent: int = 0
    audit_acked: int = 0
    batches: int = 0

    def line(self) -> str:
        return (
            f"events sent {self.events_sent} acked {self.events_acked}, "
            f"audit sent {self.audit_sent} acked {self.audit_acked}"
        )


def _acks(doc: Any) -> tuple[int, int] | None:
    if not isinstance(doc, dict):
        return None
    events, audit = doc.get("events_acked"), doc.get("audit_acked")
    if isinstance(events, int) and isinstance(audit, int) and not isinstance(events, bool):
        return events, audit
    return None


class HqClient:
    """The two calls of the contract, signed with the center key; errors as HqUnreachable/HqRefused."""

    def __init__(
        self, url: str, center_code: str, key: CenterKey, timeout_s: float = 10.0, **client: Any
    ) -> None:
        self.url, self.center_code, self.key = url.rstrip("/"), center_code, key
        self.http = httpx.Client(timeout=timeout_s, **client)

    def close(self) -> None:
        self.http.close()

    def _headers(self, body: bytes, signature: str | None = None) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "X-Kiosk-Center": self.center_code,
            "X-Kiosk-Signature": signature or self.key.sign(body),
        }

    def _answer(self, response: httpx.Response) -> tuple[int, int]:
        try:
            doc = response.json()
        except ValueError:
            doc = None
        if response.status_code >= 500:
            raise HqUnreachable(f"HQ answered {response.status_code}")
        acks = _acks(doc)
        if response.status_code != 200 or acks is None:
            code = doc.get("code", "") if isinstance(doc, dict) else ""
            message = doc.get("message_en", "") if isinstance(doc, dict) else ""
            raise HqRefused(response.status_code, str(code), str(message), acks)
        return acks

    def cursor(self) -> tuple[int, int]:
        try:
            response = self.http.get(self.url + CURSOR_PATH, headers=self._headers(b""))
        except httpx.HTTPError as exc:
            raise HqUnreachable(f"{type(exc).__name__}") from exc
        return self._answer(response)

    def send(self, batch: Batch) -> tuple[int, int]:
        try:
            response = self.http.post(
                self.url + BATCHES_PATH,
                content=batch.body,
                headers=self._headers(batch.body, batch.signature),
            )
        except httpx.HTTPError as exc:
            raise HqUnreachable(f"{type(exc).__name__}") from exc
        return self._answer(response)


class SyncPusher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        center_id: uuid.UUID,
        center_code: str,
        client: HqClient,
        *,
        batch_events: int = 1000,
        interval_s: float = 5.0,
        max_backoff_s: float = MAX_BACKOFF_S,
        min_gap_s: float = 0.5,
        sealing: ContactSealing | None = None,
    ) -> None:
        self.sessions, self.center_id, self.center_code = sessions, center_id, center_code
        self.sealing = sealing  # None: HQ has no sealing key here, visits carry only the blind index
        self.client, self.batch_events = client, batch_events
        self.interval_s, self.max_backoff_s = interval_s, max_backoff_s
        # Between two passes at least this long, however often commits wake it: a busy hub's events go
        # in fuller batches, and the pusher's own small writes (sync_cursor) stay rare beside the hub's.
        self.min_gap_s = min(min_gap_s, interval_s)
        self.failures = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- one pass -----------------------------------------------------------------------------------
    def push_until_caught_up(self) -> PushReport:
        """Send batches from HQ's cursor until HQ holds every event and audit row; the report says what."""
        with self.sessions() as session:
            sync_log.number_unnumbered(session, self.center_id)  # only a commit around the session leaves any
            session.commit()
        report = PushReport()
        events_acked, audit_acked = self.client.cursor()  # HQ's word, not our own note, is where we stand
        report.events_acked, report.audit_acked = events_acked, audit_acked
        for _ in range(MAX_BATCHES_PER_PASS):
            with self.sessions() as session:
                batch = build_batch(
                    session,
                    self.center_id,
                    self.center_code,
                    self.client.key,
                    events_after=events_acked,
                    audit_after=audit_acked,
                    limit=self.batch_events,
                    sealing=self.sealing,
                )
            if batch.empty:
                break
            acked = self.client.send(batch)
            report.batches += 1
            report.events_sent += batch.events
            report.audit_sent += batch.audit
            if acked == (events_acked, audit_acked):
                # HQ took the batch but moved no cursor: sending it again would only loop.
                raise HqRefused(200, "SYNC_NO_PROGRESS", "HQ acknowledged nothing of the batch", acked)
            events_acked, audit_acked = acked  # HQ's word, even if it went back (it lost something)
            report.events_acked, report.audit_acked = acked
            self._note(acked)
        if report.batches == 0:
            self._note((events_acked, audit_acked))  # nothing to send: a good check all the same
        return report

    def _note(self, acks: tuple[int, int]) -> None:
        """Keep HQ's answer in sync_cursor, with the time of this good exchange."""
        with self.sessions() as session:
            cursor = self._cursor(session)
            cursor.events_acked, cursor.audit_acked = acks
            cursor.last_ok_at, cursor.last_error = clock.now(), None
            session.commit()

    def _cursor(self, session: Session) -> SyncCursor:
        cursor = session.get(SyncCursor, self.center_id)
        if cursor is None:
            cursor = SyncCursor(center_id=self.center_id, events_acked=0, audit_acked=0)
            session.add(cursor)
        return cursor

    def note_error(self, error: Exception) -> None:
        """The last problem, in words without personal data (a type, an HTTP status, a SYNC_* code)."""
        with self.sessions() as session:
            cursor = self._cursor(session)
            acks = getattr(error, "acks", None)
            if acks is not None:
                cursor.events_acked, cursor.audit_acked = acks
            cursor.last_error = f"{type(error).__name__}: {error}"[:500]
            session.commit()

    # --- the thread ---------------------------------------------------------------------------------
    def start(self) -> SyncPusher:
        sync_log.add_commit_listener(self.wake)
        self._thread = threading.Thread(target=self._run, name="hq-sync-pusher", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def close(self, timeout_s: float = 10.0) -> None:
        sync_log.remove_commit_listener(self.wake)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        self.client.close()

    def next_delay(self) -> float:
        """The pause before the next pass: the interval, doubled per failure in a row, capped."""
        if not self.failures:
            return self.interval_s
        return min(self.max_backoff_s, self.interval_s * 2 ** min(self.failures, 16))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.push_until_caught_up()
                self.failures = 0
            except Exception as exc:  # HQ down, refused, or our database busy: try again later
                self.failures += 1
                log.warning("HQ sync failed (%s); next try in %.1f s", type(exc).__name__, self.next_delay())
                try:
                    self.note_error(exc)
                except Exception:
                    log.exception("could not note the HQ sync error")
            delay = self.next_delay()
            if self.failures:
                self._stop.wait(delay)  # a wake does not cut a backoff short: HQ may be down
            elif not self._stop.wait(self.min_gap_s):
                self._wake.wait(delay - self.min_gap_s)


def pusher_from_settings(settings: Settings, sessions: sessionmaker[Session]) -> SyncPusher | None:
    """The hub's pusher (None when hq.url is empty); the center key must exist (`kiosk hq keygen`).

    When HQ's sealing public key sits beside the center key (sealing.hq_public_path), visits carry the
    person's contact sealed to HQ."""
    if not settings.hq.url:
        return None
    from kiosk.hq_sync.keys import key_path, load_key
    from kiosk.hq_sync.sealing import PersonSealer, load_hq_public
    from kiosk.hub.bootstrap import ensure_center

    key = load_key(key_path(settings))
    with sessions() as session:
        center = ensure_center(session, settings.app.center_code)
        center_id, code = center.id, center.code
        session.commit()
    client = HqClient(settings.hq.url, code, key, timeout_s=settings.hq.timeout_seconds)
    hq_public = load_hq_public(settings)
    sealing = None
    if hq_public is not None:
        from db.crypto.sources import keyring_for

        sealing = ContactSealing(PersonSealer(hq_public, code, key), keyring_for(settings))
    return SyncPusher(
        sessions,
        center_id,
        code,
        client,
        batch_events=settings.hq.batch_events,
        interval_s=settings.hq.interval_seconds,
        sealing=sealing,
    )
