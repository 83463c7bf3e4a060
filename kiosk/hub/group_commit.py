"""Group commit: requests of one kind that arrive together are written in one transaction.

A request hands its checked item to `GroupCommit.submit` and awaits its own answer. The first item
of a quiet moment starts a writer task; whatever else has arrived by the time the writer gets the
database (its turn, on SQLite) is written with it, up to `max_batch` items. Nothing waits on a
timer: a lone request is written at once, and under load the batches grow by themselves.

The batch is written on a worker thread: the event loop never waits on the database, and one thread
hop per batch (not per request) costs next to nothing.

`write(session, items)` writes and commits a batch and returns one answer per item: a result or the
HubError that item gets. If it raises instead, the batch is rolled back and every item is written
again on its own, so one bad item only fails itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from kiosk.hub.errors import HubError

T = TypeVar("T")
R = TypeVar("R")


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
                        outcome = await run_in_threadpool(self._settle, batch)
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

    def _settle(self, batch: list[tuple[T, asyncio.Future[R]]]) -> list[R | BaseException]:
        items = [item for item, _future in batch]
        try:
            with self.state.sessions() as session:
                return list(self.write(session, items))
        except Exception as exc:
            if len(items) == 1:
                return [exc]
        answers: list[R | BaseException] = []
        for item in items:  # the batch failed as a whole: each item on its own, failing only itself
            try:
                with self.state.sessions() as session:
                    answers.append(self.write(session, [item])[0])
            except Exception as exc:
                answers.append(exc)
        return answers
