"""An aiohttp application served on 127.0.0.1 from its own event loop in a daemon thread.

The emulator and the stand-alone webhook receiver both run this way: ``start()`` returns the base URL once
the port (0 = any free one) accepts connections; ``stop()`` runs the app's shutdown and cleanup hooks and
ends the thread. ``submit(coro)`` runs a coroutine on the loop from any other thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from aiohttp import web

T = TypeVar("T")


class LoopServer:
    def __init__(self, app: web.Application, name: str) -> None:
        self.app = app
        self.name = name
        self.base_url = ""
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    def start(self, port: int = 0, timeout_s: float = 10.0) -> str:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self.loop = loop
            try:
                loop.run_until_complete(self._serve(port))
            except BaseException as exc:  # handed to start()
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()
        if not ready.wait(timeout_s) or failure:
            raise RuntimeError(f"{self.name} did not start: {failure[0] if failure else 'timeout'}")
        return self.base_url

    async def _serve(self, port: int) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        host, bound = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{bound}"

    @property
    def running(self) -> bool:
        return self.loop is not None and self.loop.is_running()

    def submit(self, coro: Coroutine[Any, Any, T], timeout_s: float = 10.0) -> T:
        if self.loop is None or not self.loop.is_running():
            coro.close()
            raise RuntimeError(f"{self.name} is not running")
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout_s)

    def call_soon(self, callback: Any, *args: Any) -> None:
        if self.loop is not None and self.loop.is_running():
            self.loop.call_soon_threadsafe(callback, *args)

    def stop(self, timeout_s: float = 10.0) -> None:
        loop, thread, runner = self.loop, self._thread, self._runner
        if loop is None or thread is None or not loop.is_running():
            return
        if runner is not None:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout_s)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout_s)
        self.loop = self._thread = self._runner = None
