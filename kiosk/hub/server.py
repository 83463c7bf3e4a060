"""Run the hub under uvicorn: in the foreground (`kiosk hub`) or on a thread (demo, tests, bench)."""

from __future__ import annotations

import gc
import socket
import threading
import time
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI


def settle_heap() -> None:
    """Call once the app is built, before serving: a long-lived server's startup objects (routes,
    pydantic schemas, SQLAlchemy metadata) are moved out of the collector's reach, so the full
    collections that ORM-heavy requests trigger stop re-scanning them (they showed as latency spikes).
    """
    gc.collect()
    gc.freeze()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningHub:
    server: uvicorn.Server
    thread: threading.Thread
    url: str

    def stop(self, timeout_s: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout_s)


def serve_in_thread(
    app: FastAPI, host: str = "127.0.0.1", port: int = 0, *, ready_timeout_s: float = 20.0
) -> RunningHub:
    """Start uvicorn on a daemon thread and return once it accepts connections."""
    port = port or free_port(host)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", lifespan="off", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="hub-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + ready_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"hub did not start on {host}:{port}")
        time.sleep(0.02)
    return RunningHub(server, thread, f"http://{host}:{port}")
