"""`kiosk bench hub`: intake submission and ticket issuing with N concurrent clients, per engine.

The hub runs in its own process (uvicorn with uvloop and httptools, as in production) on 127.0.0.1;
the clients are coroutines of one asyncio process (aiohttp), each with its own keep-alive connection,
so they cost the shared cores little. Request counts are bounded; nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from db.session import Synchronous
from kiosk.hub.server import free_port, settle_heap


def _serve(db_url: str, port: int, keys_json: str, synchronous: Synchronous = "FULL") -> None:

    import uvicorn

    from config import load_settings
    from db.crypto import parse_document
    from db.session import make_engine, make_sessionmaker
    from kiosk.hub.app import create_app

    keys = parse_document(json.loads(keys_json), "bench")
    engine = make_engine(db_url, synchronous=synchronous)
    app = create_app(load_settings(), make_sessionmaker(engine), keys)
    settle_heap()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", access_log=False)


def _prepare(db_url: str) -> tuple[str, str]:
    """Fresh tables, a center and a lobby device; returns (one-time code, key-ring JSON)."""

    import db.models  # noqa: F401
    from db.base import Base
    from db.crypto import KeyRing
    from db.session import make_engine, make_sessionmaker
    from kiosk.hub.bootstrap import ensure_center, issue_pairing_code

    engine = make_engine(db_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with make_sessionmaker(engine)() as session:
        _id, code = issue_pairing_code(session, ensure_center(session, "seoul-central"), "lobby", "bench")
        session.commit()
    engine.dispose()
    return code, json.dumps(KeyRing.generate().to_document())


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# Untimed requests per client before the timed run: connections, the token cache and the database
# layer's statement caches are set up once per server life, not once per request.
WARMUP_PER_CLIENT = 2


async def _load_async(url: str, token: str, clients: int, total: int, make: Any) -> dict[str, Any]:
    import aiohttp

    latencies: list[float] = []
    error_codes: dict[str, int] = {}
    per_client = max(1, total // clients)
    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(
        base_url=url, headers=headers, connector=connector, timeout=aiohttp.ClientTimeout(total=30)
    ) as http:

        async def client(index: int, numbers: range, timed: bool = True) -> None:
            for n in numbers:
                method, path, body, extra = make(index, n)
                start = time.perf_counter()
                async with http.request(method, path, json=body, headers=extra) as response:
                    payload = await response.read()
                if not timed:
                    continue
                latencies.append((time.perf_counter() - start) * 1000)
                if response.status != 200:
                    code = f"{response.status} {_error_code(payload)}"
                    error_codes[code] = error_codes.get(code, 0) + 1

        warmup = range(per_client, per_client + WARMUP_PER_CLIENT)
        await asyncio.gather(*(client(i, warmup, timed=False) for i in range(clients)))
        start = time.perf_counter()
        await asyncio.gather(*(client(i, range(per_client)) for i in range(clients)))
        wall = time.perf_counter() - start
    return {
        "requests": len(latencies),
        "throughput_rps": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "errors": sum(error_codes.values()),
        "error_codes": error_codes,
        "wall_s": round(wall, 2),
    }


def _load(url: str, token: str, clients: int, total: int, make: Any, server_pid: int) -> dict[str, Any]:
    """N concurrent clients as coroutines of one asyncio process (one keep-alive connection each).

    The clients share the machine's cores with the hub, so the CPU seconds each side used are reported:
    a bench whose client eats the cores measures the client, not the hub.
    """
    server_before, client_before = _cpu_seconds(server_pid), time.process_time()
    result = asyncio.run(_load_async(url, token, clients, total, make))
    result["server_cpu_s"] = round(_cpu_seconds(server_pid) - server_before, 2)
    result["client_cpu_s"] = round(time.process_time() - client_before, 2)
    return result


def _cpu_seconds(pid: int) -> float:
    """User+system CPU time of a process, from /proc (Linux); 0 where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _error_code(payload: bytes) -> str:
    try:
        return str(json.loads(payload)["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return "?"


def _submission(index: int, n: int) -> dict[str, Any]:
    return {
        "visit_id": str(uuid.uuid4()),
        "path": "consult",
        "identity": {
            "method": "manual",
            "document_kind": "none",
            "result": "unverified",
            "name": f"벤치{index}",
            "rrn": f"{80 + index % 20:02d}0101-1{n:06d}",
        },
        "intake": {"answers": {"purpose": "debt", "annual_income": 24_000_000}},
        "match": {
            "catalogue_version": "bench",
            "engine_version": "bench",
            "verdicts": [{"id": "ccrs.pre_workout", "verdict": "eligible", "reasons": []}],
        },
    }


def bench_engine(
    name: str, db_url: str, clients: int, requests: int, synchronous: Synchronous = "FULL"
) -> list[dict[str, Any]]:
    code, keys_json = _prepare(db_url)
    port = free_port()
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_serve, args=(db_url, port, keys_json, synchronous), daemon=True)
    proc.start()
    pid = proc.pid
    assert pid is not None
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                token = httpx.post(f"{url}/devices/enroll", json={"code": code}, timeout=2).json()["token"]
                break
            except (httpx.TransportError, KeyError):
                if time.monotonic() > deadline or not proc.is_alive():
                    raise RuntimeError(f"bench hub did not start for {name}") from None
                time.sleep(0.1)
        results = []
        visits: list[str] = []

        def intake(index: int, n: int) -> tuple[str, str, dict[str, Any], dict[str, str]]:
            body = _submission(index, n)
            visits.append(body["visit_id"])
            return "POST", "/visits", body, {}

        results.append(
            {
                "engine": name,
                "operation": "intake_submit",
                **_load(url, token, clients, requests, intake, pid),
            }
        )
        iterator = iter(list(visits))

        def ticket(index: int, n: int) -> tuple[str, str, dict[str, Any], dict[str, str]]:
            visit = next(iterator, None)
            line = "ABC"[(index + n) % 3]
            return (
                "POST",
                "/tickets",
                {"line": line, "visit_id": visit},
                {"Idempotency-Key": f"bench-{uuid.uuid4()}"},
            )

        results.append(
            {"engine": name, "operation": "ticket_issue", **_load(url, token, clients, requests, ticket, pid)}
        )
        # The hash chain must still hold after the load: every submission appended to it concurrently.
        chain = _verify_audit(db_url)
        for row in results:
            row["audit_chain_ok"], row["audit_events"] = chain
        return results
    finally:
        proc.terminate()
        proc.join(10)


def _verify_audit(db_url: str) -> tuple[bool, int]:
    """`kiosk audit verify` on the bench database: (chain intact, number of events)."""
    from db.audit import verify_chain
    from db.session import make_engine, make_sessionmaker

    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as session:
            report = verify_chain(session)
    finally:
        engine.dispose()
    return report.ok, report.count


def run_bench(
    clients: int = 20,
    requests: int = 600,
    postgres_url: str | None = None,
    sqlite_synchronous: Synchronous = "FULL",
) -> dict[str, Any]:
    """`sqlite_synchronous`: the hub's SQLite mode (FULL as in production; NORMAL to see what FULL costs)."""
    if sqlite_synchronous not in ("FULL", "NORMAL"):
        raise ValueError(f"sqlite_synchronous must be FULL or NORMAL, not {sqlite_synchronous!r}")
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("KIOSK_APP__DATA_DIR", tmp)
        database = f"sqlite:///{Path(tmp) / 'bench.db'}"
        results += bench_engine("sqlite", database, clients, requests, sqlite_synchronous)
    notes = []
    if postgres_url:
        try:
            results += _bench_postgres(postgres_url, clients, requests)
        except Exception as exc:  # no server here: say so instead of failing the SQLite figures
            notes.append(f"postgres skipped: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    return {
        "clients": clients,
        "requests_per_operation": requests,
        "untimed_warmup_requests_per_client": WARMUP_PER_CLIENT,
        "cpu_count": os.cpu_count(),
        "sqlite_synchronous": sqlite_synchronous,
        "targets": {"p95_ms": 50, "sqlite_throughput_rps": 300},
        "results": results,
        "notes": notes,
    }


@contextmanager
def scratch_schema(admin_url: str, prefix: str) -> Iterator[str]:
    """A PostgreSQL URL on a schema of its own, dropped afterwards: a bench never touches anyone's
    tables (the hub bench and the fault bench both run in one)."""
    from sqlalchemy import text

    from db.session import make_engine

    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.commit()
    sep = "&" if "?" in admin_url else "?"
    try:
        yield f"{admin_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.commit()
        admin.dispose()


def _bench_postgres(admin_url: str, clients: int, requests: int) -> list[dict[str, Any]]:
    with scratch_schema(admin_url, "bench_hub") as url:
        return bench_engine("postgres", url, clients, requests)
