"""Run the hub under uvicorn: in the foreground (`kiosk hub`) or on a thread (demo, tests, bench)."""

from __future__ import annotations

import gc
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI

from kiosk.api.trust import TlsFiles
from kiosk.logging_setup import uvicorn_log_config


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


def uvicorn_options(tls: TlsFiles | None) -> dict[str, Any]:
    """What every hub server shares: masked logging, no access log, the sans-io WebSocket, TLS files."""
    options: dict[str, Any] = {
        "log_level": "warning",
        "log_config": uvicorn_log_config(),
        "access_log": False,
        "ws": "websockets-sansio",
    }
    if tls is not None:
        options.update(ssl_certfile=str(tls.cert), ssl_keyfile=str(tls.key))
    return options


@dataclass
class RunningHub:
    server: uvicorn.Server
    thread: threading.Thread
    url: str
    tls: TlsFiles | None = None

    @property
    def ca_pem(self) -> bytes | None:
        """The center CA a client pins for this hub (None on plain HTTP)."""
        return self.tls.ca.read_bytes() if self.tls else None

    def stop(self, timeout_s: float = 10.0, grace_s: float = 1.0) -> None:
        """Stop serving: a graceful shutdown, forced after ``grace_s`` - an open event stream (a desk's
        WebSocket) otherwise keeps uvicorn waiting for the whole timeout at every stop."""
        self.server.should_exit = True
        self.thread.join(min(grace_s, timeout_s))
        if self.thread.is_alive():
            self.server.force_exit = True
            self.thread.join(max(timeout_s - grace_s, 0.0))


def serve_in_thread(
    app: FastAPI,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    tls: TlsFiles | None = None,
    ready_timeout_s: float = 20.0,
) -> RunningHub:
    """Start uvicorn on a daemon thread and return once it accepts connections (HTTPS with `tls`)."""
    port = port or free_port(host)
    config = uvicorn.Config(app, host=host, port=port, lifespan="off", **uvicorn_options(tls))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="hub-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + ready_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"hub did not start on {host}:{port}")
        time.sleep(0.02)
    scheme = "https" if tls else "http"
    return RunningHub(server, thread, f"{scheme}://{host}:{port}", tls)
