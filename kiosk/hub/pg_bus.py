"""The hub's event stream carried by PostgreSQL: every uvicorn worker sees every event.

Same interface as kiosk.hub.events.EventBus (publish / subscribe / unsubscribe / version), so the
WebSocket route and the phone page's SSE stream need no change. How it travels:

- ``publish`` queues the event and returns (async routes publish on the event loop); one publishing
  thread takes its number from a PostgreSQL sequence (``kiosk_event_seq``) in the same statement as its
  ``pg_notify``, on a connection of its own (autocommit). Every worker therefore sees the same ``seq``
  for the same event, and ``version()`` means the same thing in every worker.
- One listener thread per process LISTENs and fans each event out to this process's subscribers exactly
  as EventBus does. The publishing process hears its own events the same way, so there is one path.
- NOTIFY payloads are limited to 8000 bytes. Events are small (ids, numbers, desks); one that is not is
  sent as several notifications of one transaction (PostgreSQL delivers them together and in order) and
  put back together by the listener. No table: a table outside db.models would show as schema drift.
- When the listener loses its connection it reconnects with a growing pause; whatever was published
  meanwhile is lost to it, so on reconnecting every local subscriber gets ``ticket.resync`` (``data``:
  ``{"reason": "reconnected"}``) with a fresh sequence number: the desk, the hall display and the phone
  pages refresh their queue on any ``ticket.*`` event.
- Channels are database-wide, sequences per schema: the channel carries the schema's name, so two hubs
  sharing a database in different schemas (the tests do) never hear each other.

The listener thread holds only a weak reference to the bus: a hub that is dropped (a test's app) closes
its connections by itself.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
import time
import weakref
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from config import clock
from kiosk.hub.events import EventBus, Subscriber, _offer

log = logging.getLogger("kiosk.hub.events")


class MissingEventSequence(RuntimeError):
    """The database was not migrated: the sequence the workers number events from is not there."""


_NEXTVAL = "SELECT nextval('kiosk_event_seq')"  # the sequence every worker numbers events from
CHANNEL = "kiosk_events"
NOTIFY_LIMIT = 7900  # bytes; PostgreSQL refuses payloads of 8000 and more
CHUNK_CHARS = 3500  # of ASCII JSON: escaped again inside its envelope it stays under the limit
RESYNC = "ticket.resync"
_BACKOFF_S = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
_POLL_S = 1.0  # how often the listener looks up from waiting: is the bus still wanted, the link alive?

_SMALL = (
    "SELECT s.seq, pg_notify(%(channel)s, '{\"seq\": ' || s.seq || ', ' || %(rest)s)"
    " FROM (SELECT nextval('kiosk_event_seq') AS seq) AS s"
)


def libpq_url(engine: Engine) -> str:
    """The engine's URL as libpq reads it (options such as search_path kept)."""
    url = make_url(str(engine.url.render_as_string(hide_password=False))).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PgBus(EventBus):
    """EventBus whose publish goes through PostgreSQL NOTIFY; see the module's docstring."""

    def __init__(self, conninfo: str, *, ready_timeout_s: float = 10.0) -> None:
        super().__init__()
        self._conninfo = conninfo
        self._publisher = psycopg.connect(conninfo, autocommit=True)
        self._publish_lock = threading.Lock()
        self.closed = False
        schema = self._setup()
        self.channel = CHANNEL if schema == "public" else f"{CHANNEL}_{schema}"[:63]
        self._listener = _Listener(weakref.ref(self), conninfo, self.channel)
        weakref.finalize(self, self._listener.stop.set)
        self._listener.start()
        self._outbox: queue.Queue[tuple[str, str]] = queue.Queue(maxsize=10_000)
        threading.Thread(
            target=_publishing,
            args=(weakref.ref(self), self._outbox),
            name="hub-event-publisher",
            daemon=True,
        ).start()
        # Events published before the LISTEN would be lost to this process: wait for it (not on the loop:
        # the bus is built with the app).
        if not self._listener.listening.wait(ready_timeout_s):
            log.warning("event listener not connected after %.0f s; it keeps trying", ready_timeout_s)

    @classmethod
    def for_engine(cls, engine: Engine) -> PgBus:
        return cls(libpq_url(engine))

    @property
    def listener_pid(self) -> int | None:
        """The listener's PostgreSQL backend pid (tests end it to see the reconnect)."""
        return self._listener.backend_pid

    def close(self) -> None:
        self.closed = True
        self._listener.stop.set()
        self.close_publisher()

    def close_publisher(self) -> None:
        """Close the publishing connection; the next event opens a fresh one."""
        with self._publish_lock:
            self._publisher.close()

    def publish(
        self, center_id: str, kind: str, data: dict[str, Any], *, to_device: str | None = None
    ) -> None:
        """Queue the event for the publishing thread and return at once: async routes publish on the
        event loop, which must not wait for PostgreSQL (nor for a reconnect when it restarts)."""
        event = {"type": kind, "center_id": center_id, "at": clock.now().isoformat(), "data": data}
        rest = json.dumps({**event, "_to": to_device}, ensure_ascii=False, default=str)[1:]
        try:
            self._outbox.put_nowait((center_id, rest))
        except queue.Full:
            # PostgreSQL has been away for long: the listener is away too and says resync on its return.
            log.warning("event outbox full; dropped a %s event", kind)

    def send_now(self, center_id: str, rest: str) -> int:
        """Number one queued event in PostgreSQL and notify every worker (the publishing thread)."""
        with self._publish_lock:
            seq = self._send(rest)
        with self._lock:
            # This worker knows at once that something moved (the phone page's board keys on it).
            self._latest[center_id] = max(self._latest.get(center_id, 0), seq)
        return seq

    def _send(self, rest: str) -> int:
        if len(rest.encode()) + 32 <= NOTIFY_LIMIT:
            row = self._execute(_SMALL, {"channel": self.channel, "rest": rest})
            return int(row[0])
        seq = int(self._execute(_NEXTVAL, {})[0])
        with self._reconnected().transaction():  # delivered together, in order, or not at all
            for envelope in chunks(seq, json.loads("{" + rest)):
                self._publisher.execute("SELECT pg_notify(%s, %s)", (self.channel, envelope))
        return seq

    def _execute(self, sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
        try:
            row = self._reconnected().execute(sql, params).fetchone()
        except psycopg.OperationalError:
            # The server restarted or the link dropped between events: one fresh try, then the error.
            self._publisher.close()
            row = self._reconnected().execute(sql, params).fetchone()
        assert row is not None
        return tuple(row)

    def _reconnected(self) -> psycopg.Connection[Any]:
        if self.closed:
            raise psycopg.OperationalError("the event bus is closed")
        if self._publisher.closed:
            self._publisher = psycopg.connect(self._conninfo, autocommit=True)
        return self._publisher

    def _setup(self) -> str:
        """The schema whose channel this bus speaks on; the sequence must be there (migration 0013)."""
        row = self._publisher.execute(
            "SELECT current_schema(), to_regclass('kiosk_event_seq') IS NOT NULL"
        ).fetchone()
        schema = str(row[0]) if row and row[0] else "public"
        if not (row and row[1]):
            raise MissingEventSequence(
                f"schema {schema!r} has no kiosk_event_seq: bring the database up to date first "
                "(`kiosk db upgrade`; `kiosk hub` makes it when it starts)"
            )
        return schema

    def next_seq(self) -> int:
        with self._publish_lock:
            return int(self._execute(_NEXTVAL, {})[0])

    # --- called by the listener thread ---------------------------------------------------------------
    def deliver(self, event: dict[str, Any]) -> None:
        """Fan one event out to this process's subscribers, as EventBus.publish does."""
        to_device = event.pop("_to", None)
        center_id = str(event.get("center_id", ""))
        seq = int(event["seq"])
        with self._lock:
            self._latest[center_id] = max(self._latest.get(center_id, 0), seq)
            targets = [
                s
                for s in self._subscribers
                if s.center_id == center_id and (to_device is None or s.device_id in (None, to_device))
            ]
        _hand_out(targets, event)

    def resync(self) -> None:
        """Tell every local subscriber that events may have been missed (see the module's docstring)."""
        with self._lock:
            centers = sorted({s.center_id for s in self._subscribers})
        for center_id in centers:
            seq = self.next_seq()
            event = {
                "seq": seq,
                "type": RESYNC,
                "center_id": center_id,
                "at": clock.now().isoformat(),
                "data": {"reason": "reconnected"},
            }
            with self._lock:
                self._latest[center_id] = max(self._latest.get(center_id, 0), seq)
                targets = [s for s in self._subscribers if s.center_id == center_id]
            _hand_out(targets, event)


def _publishing(bus_ref: weakref.ref[PgBus], outbox: queue.Queue[tuple[str, str]]) -> None:
    """The publishing thread: sends what routes queued, in their order, while the bus lives."""
    pause = 0
    while True:
        try:
            center_id, rest = outbox.get(timeout=_POLL_S)
        except queue.Empty:
            if bus_ref() is None:
                return
            continue
        bus = bus_ref()
        if bus is None or bus.closed:
            return
        try:
            bus.send_now(center_id, rest)
            pause = 0
        except psycopg.Error as exc:  # PostgreSQL away: this event is lost; the listener says resync
            log.warning("event not published (%s)", type(exc).__name__)
            with contextlib.suppress(psycopg.Error):
                bus.close_publisher()
            pause = min(pause + 1, len(_BACKOFF_S) - 1)
            time.sleep(_BACKOFF_S[pause])
        del bus


def chunks(seq: int, message: dict[str, Any]) -> list[str]:
    """An oversized event as notification payloads, each under NOTIFY_LIMIT bytes (see `Chunks`)."""
    text = json.dumps({"seq": seq, **message}, default=str)  # ASCII: pieces can be sized in characters
    pieces = [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]
    return [
        json.dumps({"chunk": seq, "part": part, "parts": len(pieces), "text": piece})
        for part, piece in enumerate(pieces)
    ]


class Chunks:
    """Puts oversized events back together; parts of an event whose sender died are dropped in time."""

    def __init__(self, keep: int = 100) -> None:
        self.keep = keep
        self._parts: dict[int, dict[int, str]] = {}

    def clear(self) -> None:
        self._parts.clear()

    def add(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """The whole event once its last part is in, else None; ValueError on a part that cannot be."""
        seq, part, parts = int(message["chunk"]), int(message["part"]), int(message["parts"])
        if not 0 <= part < parts <= 10_000:
            raise ValueError("chunk part out of range")
        got = self._parts.setdefault(seq, {})
        got[part] = str(message["text"])
        if len(got) < parts:
            while len(self._parts) > self.keep:
                self._parts.pop(min(self._parts))
            return None
        del self._parts[seq]
        whole = json.loads("".join(got[i] for i in range(parts)))
        if not isinstance(whole, dict):
            raise ValueError("not an event")
        return whole


def _hand_out(targets: list[Subscriber], event: dict[str, Any]) -> None:
    for sub in targets:
        try:
            # Each subscriber gets its own copy: a consumer that edits it cannot touch another's.
            sub.loop.call_soon_threadsafe(_offer, sub.queue, dict(event))
        except RuntimeError:  # its event loop has closed; it unsubscribes on its way out
            pass


class _Listener:
    """The process's one LISTEN connection, on a daemon thread; never on the event loop."""

    def __init__(self, bus: weakref.ref[PgBus], conninfo: str, channel: str) -> None:
        self.bus, self.conninfo, self.channel = bus, conninfo, channel
        self.stop = threading.Event()
        self.listening = threading.Event()
        self.backend_pid: int | None = None
        self._chunks = Chunks()
        self._thread = threading.Thread(target=self._run, name="hub-event-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        attempt, connected_before = 0, False
        while not self.stop.is_set() and self.bus() is not None:
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    self.backend_pid = conn.info.backend_pid
                    attempt = 0
                    if connected_before:
                        self._chunks.clear()
                        bus = self.bus()
                        if bus is not None:
                            bus.resync()
                        del bus
                    connected_before = True
                    self.listening.set()
                    self._serve(conn)
            except psycopg.Error as exc:
                self.listening.clear()
                pause = _BACKOFF_S[min(attempt, len(_BACKOFF_S) - 1)]
                attempt += 1
                log.warning("event listener lost PostgreSQL (%s); again in %.1f s", type(exc).__name__, pause)
                self.stop.wait(pause)
        self.listening.clear()

    def _serve(self, conn: psycopg.Connection[Any]) -> None:
        while not self.stop.is_set():
            for note in conn.notifies(timeout=_POLL_S):
                self._heard(note.payload)
            if self.bus() is None:
                return
            conn.execute("SELECT 1")  # a silently dead link shows here and not after hours

    def _heard(self, payload: str) -> None:
        try:
            message = json.loads(payload)
            if not isinstance(message, dict):
                raise ValueError("not an event")
            if "chunk" in message:
                message = self._chunks.add(message)
                if message is None:
                    return
            bus = self.bus()
            if bus is not None:
                bus.deliver(message)
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("event listener dropped a malformed notification (%d bytes)", len(payload))
