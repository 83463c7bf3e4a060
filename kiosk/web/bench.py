"""`kiosk bench web`: how fast the phone pages answer, and how fast a call reaches hundreds of phones.

A hub on a scratch SQLite database is served by uvicorn on 127.0.0.1 in a process of its own (one
process, as in a center; the load and the phones run in this one, so they do not share its GIL):
1. pages: ``rate`` requests/s of a ticket's "내 순서" page for ``seconds``, paced (not a burst), from
   several threads; p50/p95 of each page's time to the last byte and the bytes of the page with its
   stylesheet and script (the page budget).
2. live: ``live`` phones hold the page's event stream open on as many waiting tickets; a desk calls
   the next number and the time until each phone has its new "앞에 N명" is measured; p95 over
   ``calls`` calls.
The address budget of /m is lifted for the run (every request comes from 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

import db.models  # noqa: F401 - registers every table
from config import load_settings
from db.base import Base
from db.crypto import KeyRing
from db.session import make_engine, make_sessionmaker
from kiosk.hub.app import create_app
from kiosk.hub.bootstrap import add_counselor, ensure_center
from kiosk.hub.server import free_port, settle_heap
from kiosk.queue.tickets import issue_ticket
from kiosk.web.links import ticket_token

PASSWORD = "bench-password-1"  # noqa: S105 - a scratch account in a scratch database


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_bench(rate: int = 100, seconds: float = 10.0, live: int = 500, calls: int = 5) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="kiosk-web-bench-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'hub.db'}")
        Base.metadata.create_all(engine)
        sessions = make_sessionmaker(engine)
        tokens: list[str] = []
        with sessions() as session:
            center = ensure_center(session, "seoul-central")
            add_counselor(session, center, "bench", PASSWORD, "counselor", "벤치")
            for _ in range(live + calls + 1):
                ticket = issue_ticket(session, center.id, "B")
                session.flush()
                tokens.append(ticket_token(session, ticket))
            session.commit()
        engine.dispose()
        port = free_port()
        context = multiprocessing.get_context("spawn")
        server = context.Process(
            target=_serve, args=(str(Path(folder) / "hub.db"), port, live + 50), daemon=True
        )
        server.start()
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_up(url, server)
            pages = _pages(url, tokens[-1], rate, seconds)
            reach = _live(url, tokens[calls + 1 :], calls)
        finally:
            server.terminate()
            server.join(10)
    return {"pages": pages, "live": reach}


def _serve(db_file: str, port: int, live: int) -> None:
    """The hub process: the bench's database, the /m budget lifted (every request is from 127.0.0.1)."""
    import uvicorn

    settings = load_settings()
    web = settings.web.model_copy(update={"requests_per_minute": 10**6, "live_connections": live})
    app = create_app(
        settings.model_copy(update={"web": web}),
        make_sessionmaker(make_engine(f"sqlite:///{db_file}")),
        KeyRing.generate(),
    )
    settle_heap()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def _wait_up(url: str, server: Any, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not server.is_alive():
            raise RuntimeError("the bench hub stopped before it served")
        try:
            httpx.get(f"{url}/m/", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.1)  # polling the bench's own server until it answers, with a deadline
    raise RuntimeError("the bench hub did not start")


def _pages(url: str, token: str, rate: int, seconds: float) -> dict[str, Any]:
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    with httpx.Client(base_url=url, timeout=10) as client:
        first = client.get(f"/m/t/{token}")
        weight = len(first.content) + sum(
            len(client.get(path).content) for path in ("/m/static/m.css", "/m/static/turn.js")
        )

        def one() -> None:
            nonlocal errors
            started = time.perf_counter()
            try:
                ok = client.get(f"/m/t/{token}").status_code == 200
            except httpx.HTTPError:
                ok = False
            with lock:
                if ok:
                    times.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1

        total = int(rate * seconds)
        begin = time.perf_counter()
        with ThreadPoolExecutor(16) as pool:
            for i in range(total):
                delay = begin + i / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)  # pacing the load generator itself, not waiting for a result
                pool.submit(one)
        achieved = total / (time.perf_counter() - begin)
    return {
        "requests": total,
        "rate_per_s": round(achieved, 1),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(_percentile(times, 0.95), 1),
        "errors": errors,
        "page_bytes_with_assets": weight,
    }


def _live(url: str, tokens: list[str], calls: int) -> dict[str, Any]:
    return asyncio.run(_live_async(url, tokens, calls))


async def _live_async(url: str, tokens: list[str], calls: int) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens) + 10)
    latest: dict[int, tuple[float, str]] = {}
    opened = asyncio.Event()
    ready = 0

    async def phone(index: int, token: str, client: httpx.AsyncClient) -> None:
        nonlocal ready
        async with client.stream("GET", f"/m/t/{token}/events") as stream:
            async for line in stream.aiter_lines():
                if line.startswith("data: "):
                    if index not in latest:
                        ready += 1
                        if ready == len(tokens):
                            opened.set()
                    latest[index] = (time.perf_counter(), line)

    reach: list[float] = []
    timeout = httpx.Timeout(60.0, read=None)  # a live stream waits for news as long as it must
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as client:
        login = await client.post("/auth/login", json={"username": "bench", "password": PASSWORD})
        desk = {"Authorization": f"Bearer {login.json()['token']}"}
        tasks = [asyncio.create_task(phone(i, t, client)) for i, t in enumerate(tokens)]
        await asyncio.wait_for(opened.wait(), 120)
        for _ in range(calls):
            before = {i: line for i, (_at, line) in latest.items()}
            started = time.perf_counter()
            answer = await client.post("/queue/B/call-next", json={"desk": "1"}, headers=desk)
            answer.raise_for_status()
            deadline = started + 30
            while time.perf_counter() < deadline:
                if all(latest[i][1] != before[i] for i in before):
                    break
                await asyncio.sleep(0.005)  # polling the bench's own counters, with a deadline
            reach.extend((latest[i][0] - started) * 1000 for i in before if latest[i][1] != before[i])
        missed = sum(1 for i in before if latest[i][1] == before[i])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "connections": len(tokens),
        "calls": calls,
        "reach_p50_ms": round(statistics.median(reach), 1) if reach else None,
        "reach_p95_ms": round(_percentile(reach, 0.95), 1),
        "missed_last_call": missed,
    }
