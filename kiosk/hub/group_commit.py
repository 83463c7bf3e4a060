"""Group commit: requests of one kind that arrive together are written in one transaction.

A request hands its checked item to `GroupCommit.submit` and awaits its own answer. The first item
of a quiet moment starts a writer task; whatever else has arrived by the time the writer gets the
database (its turn, on SQLite) is written with it, up to `max_batch` items. Nothing waits on a
timer: a lone request is written at once, and under load the batches grow by themselves.

Where it is written: on PostgreSQL, on a worker thread. On SQLite, on the event loop itself, while
the batch holds this hub's write turn: a batch is a few milliseconds of work, and on a worker thread
the loop and the writer took turns for the GIL, which cost a fifth of the throughput (measured with
`kiosk bench hub`). The loop can then only wait for another *process* holding SQLite's write lock (an
admin's purge or key rotation); that wait is bounded (`INLINE_BUSY_MS`), after which the batch is
answered 503 `hub_busy` and the lobbies' outboxes send it again a little later.

`write(session, items)` writes and commits a batch and returns one answer per item: a result or the
HubError that item gets. If it raises instead, the batch is rolled back and every item is written
again on its own, so one bad item only fails itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kiosk.hub.errors import HubError

T = TypeVar("T")
R = TypeVar("R")
# How long a batch written on the event loop may wait for another process's SQLite write lock.
INLINE_BUSY_MS = 250
_BUSY = text(f"PRAGMA busy_timeout={INLINE_BUSY_MS}")
_BUSY_DEFAULT = text("PRAGMA busy_timeout=10000")  # db.session's default, for the pooled connection


def _hub_busy() -> HubError:
    return HubError(
        503,
        "hub_busy",
        "센터 서버가 잠시 바빠요. 잠시 후 자동으로 다시 보내요.",
        "The hub's database is busy; the request will be sent again shortly.",
    )


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        state: Any,  # kiosk.hub.deps.HubState (sessions, write_turn, serialize_writes)
        write: Callable[[Session, list[T]], list[R | HubError]],
        max_batch: int = 32,
    ) -> None:
        self.state, self.write, self.max_batch = state, write, max_batch
        # One queue and writer per event loop (a test client may bring its own loop).
        self._queues: dict[asyncio.AbstractEventLoop, list[tuple[T, asyncio.Future[R]]]] = {}
        self._writers: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}

    async def submit(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._queues.setdefault(loop, []).append((item, future))
        writer = self._writers.get(loop)
        if writer is None or writer.done():
            self._writers[loop] = loop.create_task(self._drain(loop))
        return await future

    async def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        queue = self._queues[loop]
        while queue:
            batch = self._take(queue)
            try:
                if self.state.serialize_writes:
                    # SQLite: one writer at a time; wait for this hub's write turn, so the batch never
                    # meets a writer of this hub in SQLite's busy handler.
                    async with self.state.write_turn():
                        outcome = self._settle(batch, inline=True)
                else:
                    outcome = await run_in_threadpool(self._settle, batch)
            except BaseException as exc:  # cancelled while waiting: no caller may wait forever
                for _item, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                raise
            for (_item, future), answer in zip(batch, outcome, strict=True):
                if future.done():  # the caller went away; its rows are written all the same
                    continue
                if isinstance(answer, BaseException):
                    future.set_exception(answer)
                else:
                    future.set_result(answer)

    def _take(self, queue: list[tuple[T, asyncio.Future[R]]]) -> list[tuple[T, asyncio.Future[R]]]:
        batch = queue[: self.max_batch]
        del queue[: len(batch)]
        return batch

    def _settle(
        self, batch: list[tuple[T, asyncio.Future[R]]], inline: bool = False
    ) -> list[R | BaseException]:
        items = [item for item, _future in batch]
        try:
            return self._write(items, inline)
        except Exception as exc:
            if inline and isinstance(exc, OperationalError) and "locked" in str(exc):
                # Another process holds the write lock: one at a time would only wait again, each.
                return [_hub_busy() for _ in items]
            if len(items) == 1:
                return [exc]
        answers: list[R | BaseException] = []
        for item in items:  # the batch failed as a whole: each item on its own, failing only itself
            try:
                answers.append(self._write([item], inline)[0])
            except Exception as exc:
                answers.append(exc)
        return answers

    def _write(self, items: list[T], inline: bool) -> list[R | BaseException]:
        if not inline:
            with self.state.sessions() as session:
                return list(self.write(session, items))
        # The bounded wait is set on one connection held for the whole batch, then put back.
        bind = self.state.sessions.kw["bind"]
        with bind.connect() as conn:
            conn.execute(_BUSY)
            conn.commit()  # so the session below begins (and commits) its own transaction
            try:
                with self.state.sessions(bind=conn) as session:
                    return list(self.write(session, items))
            finally:
                conn.rollback()  # a no-op after the batch's commit; ends a failed one
                conn.execute(_BUSY_DEFAULT)
                conn.commit()
