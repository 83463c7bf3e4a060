"""Group commit: requests of one kind that arrive together are written in one transaction.

A request hands its checked item to `GroupCommit.submit` and awaits its own answer. The first item
of a quiet moment starts a writer task; whatever else has arrived by the time the writer gets the
database (its turn, on SQLite) is written with it, up to `max_batch` items. Nothing waits on a
timer: a lone request is written at once, and under load the batches grow by themselves.

Where it is written: on PostgreSQL, on a worker thread, commit included. On SQLite, the statements
run on the event loop itself, while the batch holds this hub's write turn: a batch is a few
milliseconds of work, and on a worker thread the loop and the writer took turns for the GIL, which
cost a fifth of the throughput (measured with `kiosk bench hub`). Only the COMMIT — with
`synchronous=FULL`, the fsync that makes the batch durable — runs on a thread of its own
(`_COMMITTER`), still under the write turn: sqlite3 lets go of the GIL while it waits for the disk, so
the loop goes on reading requests and the next batch forms meanwhile. It is written as soon as the
commit returns, never before (SQLite has one writer, and each caller is answered only after the
commit that holds its rows). One thread hop per batch, not per request.

The loop can then only wait for another *process* holding SQLite's write lock (an admin's purge or
key rotation); that wait is bounded (`INLINE_BUSY_MS`), after which the batch is answered 503
`hub_busy` and the lobbies' outboxes send it again a little later.

`write(session, items)` runs a batch's statements and returns one answer per item — a result or the
HubError that item gets — either as a list, or as a function that gives that list and is called only
once the batch is committed (for answers that may only be true of committed rows). GroupCommit
commits. If the write or the commit raises instead, the batch is rolled back and every item is
written again on its own, so one bad item only fails itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent import futures
from typing import Any, Generic, TypeAlias, TypeVar

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kiosk.api.errors import HUB_BUSY
from kiosk.hub.errors import HubError

T = TypeVar("T")
R = TypeVar("R")
Answers: TypeAlias = list[R | HubError]
# What a write returns: the answers, or how to make them once the commit is durable.
Written: TypeAlias = Answers[R] | Callable[[], Answers[R]]
# How long a batch written on the event loop may wait for another process's SQLite write lock.
INLINE_BUSY_MS = 250
_BUSY = text(f"PRAGMA busy_timeout={INLINE_BUSY_MS}")
_BUSY_DEFAULT = text("PRAGMA busy_timeout=10000")  # db.session's default, for the pooled connection
# SQLite commits, one at a time (the write turn already makes them so). A thread of their own, not the
# shared pool, so a commit never queues behind a slow sync route.
_COMMITTER = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-sqlite-commit")


def _hub_busy() -> HubError:
    return HubError(
        503,
        HUB_BUSY,
        "센터 서버가 잠시 바빠요. 잠시 후 자동으로 다시 보내요.",
        "The hub's database is busy; the request will be sent again shortly.",
    )


def _locked(exc: Exception) -> bool:
    return isinstance(exc, OperationalError) and "locked" in str(exc)


def _answers(written: Written[R]) -> list[R | BaseException]:
    return list(written() if callable(written) else written)


async def _commit_off_loop(session: Session) -> None:
    """Commit on the committer thread; the loop serves requests until the commit is durable."""
    done = _COMMITTER.submit(session.commit)
    try:
        await asyncio.wrap_future(done)
    except asyncio.CancelledError:
        # A commit already running owns the connection until it returns: only then may the caller
        # roll back and hand the connection back. (One not yet started is cancelled and never runs.)
        futures.wait([done])
        raise


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        state: Any,  # kiosk.hub.deps.HubState (sessions, write_turn, serialize_writes)
        write: Callable[[Session, list[T]], Written[R]],
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
                    # meets a writer of this hub in SQLite's busy handler. The turn is held through the
                    # commit: the next batch's statements start only once this one is durable.
                    async with self.state.write_turn():
                        outcome = await self._settle_inline([item for item, _future in batch])
                else:
                    outcome = await run_in_threadpool(self._settle_pooled, [item for item, _ in batch])
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

    async def _settle_inline(self, items: list[T]) -> list[R | BaseException]:
        try:
            return await self._write_inline(items)
        except Exception as exc:
            if _locked(exc):
                # Another process holds the write lock: one at a time would only wait again, each.
                return [_hub_busy() for _ in items]
            if len(items) == 1:
                return [exc]
        answers: list[R | BaseException] = []
        for item in items:  # the batch failed as a whole: each item on its own, failing only itself
            try:
                answers.extend(await self._write_inline([item]))
            except Exception as exc:
                answers.append(exc)
        return answers

    def _settle_pooled(self, items: list[T]) -> list[R | BaseException]:
        try:
            return self._write_pooled(items)
        except Exception as exc:
            if len(items) == 1:
                return [exc]
        answers: list[R | BaseException] = []
        for item in items:  # as above
            try:
                answers.extend(self._write_pooled([item]))
            except Exception as exc:
                answers.append(exc)
        return answers

    def _write_pooled(self, items: list[T]) -> list[R | BaseException]:
        with self.state.sessions() as session:
            written = self.write(session, items)
            session.commit()
            return _answers(written)

    async def _write_inline(self, items: list[T]) -> list[R | BaseException]:
        # The bounded wait is set on one connection held for the whole batch, then put back.
        bind = self.state.sessions.kw["bind"]
        with bind.connect() as conn:
            conn.execute(_BUSY)
            conn.commit()  # so the session below begins (and commits) its own transaction
            try:
                with self.state.sessions(bind=conn) as session:
                    written = self.write(session, items)
                    session.flush()  # every statement on the loop: the committer thread only commits
                    await _commit_off_loop(session)
                    return _answers(written)
            finally:
                conn.rollback()  # a no-op after the batch's commit; ends a failed one
                conn.execute(_BUSY_DEFAULT)
                conn.commit()
