"""`kiosk bench hq`: HQ at the agencies' scale, in a scratch PostgreSQL schema.

History is generated straight into hq_event with COPY (≈ 26 visits a center a day: 2.2 M visits for
47 centers over 5 years; each visit has its ticket's issue, call and end, most an outcome, some a
follow-up), then hq_day and hq_month are built from it (aggregate.rebuild). On top of that:
- ingest: signed batches of 1,000 events through the HTTP app, as a hub sends them (events/s);
- the report queries: a year × all centers by month, one center's month by counselor;
- the dashboard's first page: the queries it runs for this month (stats, wait bands, device health);
- sync lag: simulated centers post small signed batches to a running HQ (uvicorn) at a steady pace;
  lag = from an event's time to HQ's 200.

The schema (default hq_bench, in the database of --scratch-db, created when missing) is dropped and
made afresh; --keep leaves it for a look afterwards. Only that schema is touched, but still: point
it at a scratch database, never at one whose contents matter.
"""

from __future__ import annotations

import base64
import io
import json
import os
import random
import socket
import statistics as pystats
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from config import clock
from kiosk.hq.aggregate import rebuild
from kiosk.hq.centers import add_center
from kiosk.hq.migrate import upgrade
from kiosk.hq.stats import statistics

DEFAULT_SCRATCH = "postgresql+psycopg://postgres@127.0.0.1:5432/kiosk_hq_bench"
VISITS_PER_DAY = 26  # 2.2 M visits / (5 years × 365 days × 47 centers)
TARGETS = {
    "ingest_events_per_s": 5000,
    "year_by_month_ms": 1000,
    "center_month_by_counselor_ms": 200,
    "dashboard_first_page_ms": 500,
    "sync_lag_p95_ms": 5000,
}
SEOUL = clock.named_zone(clock.DEFAULT_TIMEZONE)
PROGRAMS = ["ccrs.pre_workout", "ccrs.individual_workout", "sunshine.loan", "job.link", "welfare.basic"]
OUTCOMES = ["referred", "counselled", "declined", "loan_applied"]


@dataclass
class Options:
    scratch_db: str = DEFAULT_SCRATCH
    schema: str = "hq_bench"
    years: float = 1.0
    centers: int = 47
    visits_per_day: int = VISITS_PER_DAY
    ingest_batches: int = 20
    lag_seconds: float = 10.0
    keep: bool = False
    seed: int = 20


@dataclass
class SimCenter:
    code: str
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    center_id: uuid.UUID | None = None
    seq: int = 0
    counselors: list[str] = field(default_factory=list)

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body)).decode()


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _schema_url(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = urlencode({"options": f"-csearch_path={schema}"})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = create_engine(
        urlunsplit((parts.scheme, parts.netloc, "/postgres", "", "")), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            if (
                conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
                is None
            ):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def _check_names(options: Options) -> None:
    if not options.schema.replace("_", "").isalnum() or not options.schema[:1].isalpha():
        raise ValueError("--schema: letters, digits and _ only")
    if options.schema in ("public", "pg_catalog", "information_schema"):
        raise ValueError("--schema: a scratch schema of the bench's own, not public")
    name = urlsplit(options.scratch_db).path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise ValueError("--scratch-db: a plain database name")


@contextmanager
def scratch(options: Options) -> Iterator[Engine]:
    _check_names(options)
    _ensure_database(options.scratch_db)
    base = create_engine(options.scratch_db, isolation_level="AUTOCOMMIT")
    with base.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{options.schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{options.schema}"'))
    engine = create_engine(_schema_url(options.scratch_db, options.schema), pool_size=8, max_overflow=56)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if not options.keep:
            with base.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{options.schema}" CASCADE'))
        base.dispose()


# --- history, by COPY --------------------------------------------------------------------------


def _visit_events(
    center: SimCenter, rng: random.Random, day: date
) -> Iterator[tuple[str, datetime, dict[str, Any]]]:
    local = datetime(day.year, day.month, day.day, 9, tzinfo=SEOUL) + timedelta(
        seconds=rng.randint(0, 8 * 3600)
    )
    issued = local.astimezone(UTC)
    ticket_id, visit_id, line = str(uuid.uuid4()), str(uuid.uuid4()), rng.choice("AAB")
    counselor = rng.choice(center.counselors)
    yield (
        "ticket.issued",
        issued,
        {
            "ticket_id": ticket_id,
            "line": line,
            "display": f"{line}{rng.randint(1, 999):03d}",
            "service_date": day.isoformat(),
            "issued_at": _iso(issued),
        },
    )
    eligible = rng.sample(PROGRAMS, rng.randint(0, 2))
    data: dict[str, Any] = {
        "visit_id": visit_id,
        "path": "walk_in",
        "line": line,
        "programs_eligible": eligible,
        "programs_maybe": rng.sample(PROGRAMS, rng.randint(0, 1)),
        "person_bi": f"{rng.getrandbits(256):064x}",
    }
    yield "visit.submitted", issued + timedelta(minutes=2), data
    called = issued + timedelta(seconds=rng.randint(60, 75 * 60))
    yield (
        "ticket.called",
        called,
        {"ticket_id": ticket_id, "desk": "1", "counselor_id": counselor, "called_at": _iso(called)},
    )
    if rng.random() < 0.08:
        yield "ticket.no_show", called + timedelta(minutes=3), {"ticket_id": ticket_id}
        return
    done = called + timedelta(seconds=rng.randint(5 * 60, 40 * 60))
    yield "ticket.done", done, {"ticket_id": ticket_id, "done_at": _iso(done)}
    if rng.random() < 0.85:
        yield (
            "case.outcome",
            done,
            {"visit_id": visit_id, "counselor_id": counselor, "outcome": rng.choice(OUTCOMES)},
        )
    if rng.random() < 0.3:
        due = day + timedelta(days=rng.randint(7, 30))
        follow_up_id = str(uuid.uuid4())
        yield (
            "followup.planned",
            done,
            {"follow_up_id": follow_up_id, "visit_id": visit_id, "kind": "call", "due_date": due.isoformat()},
        )
        if rng.random() < 0.6:
            at = datetime(due.year, due.month, due.day, 2, tzinfo=UTC)
            yield "followup.done", at, {"follow_up_id": follow_up_id}


def generate_history(engine: Engine, centers: list[SimCenter], options: Options, end: date) -> dict[str, int]:
    """COPY the centers' history (days before ``end``) into hq_event; set their cursors."""
    rng = random.Random(options.seed)
    days = max(1, round(options.years * 365))
    first = end - timedelta(days=days)
    visits = events = 0
    raw = engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        received = datetime.now(UTC)
        with driver.cursor() as cur:
            for center in centers:
                rows: list[tuple[Any, ...]] = []
                for offset in range(days):
                    day = first + timedelta(days=offset)
                    for _ in range(rng.randint(options.visits_per_day // 2, options.visits_per_day * 3 // 2)):
                        visits += 1
                        for type_, at, data in _visit_events(center, rng, day):
                            rows.append((type_, at, data))
                rows.sort(key=lambda r: r[1])  # a hub numbers its events in commit order
                buffer = io.StringIO()
                for type_, at, data in rows:
                    center.seq += 1
                    payload = json.dumps(data, separators=(",", ":")).replace("\\", "\\\\")
                    buffer.write(
                        f"{center.center_id}\t{center.seq}\t{type_}\t{at.isoformat()}\t{payload}\t{received.isoformat()}\n"
                    )
                buffer.seek(0)
                with cur.copy(
                    "COPY hq_event (center_id, seq, type, at, data, received_at) FROM STDIN"
                ) as copy:
                    while chunk := buffer.read(1 << 20):
                        copy.write(chunk)
                cur.execute(
                    "INSERT INTO hq_cursor (center_id, events_acked, audit_acked) VALUES (%s, %s, 0)",
                    (center.center_id, center.seq),
                )
                events += len(rows)
        driver.commit()
    finally:
        raw.close()
    return {"visits": visits, "events": events, "days": days}


# --- live batches ---------------------------------------------------------------------------------


def batch_body(center: SimCenter, rng: random.Random, n: int, at: datetime) -> bytes:
    """n new events of the center (whole visits), timed at ``at``, as the contract's body."""
    out: list[dict[str, Any]] = []
    day = at.astimezone(SEOUL).date()
    while len(out) < n:
        for type_, _when, data in _visit_events(center, rng, day):
            if len(out) == n:
                break
            center.seq += 1
            out.append({"seq": center.seq, "type": type_, "at": _iso(at), "data": data})
    payload = {"v": 1, "center": center.code, "sent_at": _iso(at), "events": out, "audit": [], "head": None}
    return json.dumps(payload, separators=(",", ":")).encode()


def _headers(center: SimCenter, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Kiosk-Center": center.code,
        "X-Kiosk-Signature": center.sign(body),
    }


def time_ingest(engine: Engine, centers: list[SimCenter], options: Options) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from kiosk.hq.app import create_app

    rng = random.Random(options.seed + 1)
    now = datetime.now(UTC)
    bodies = [
        (c, batch_body(c, rng, 1000, now))
        for c in (centers * options.ingest_batches)[: options.ingest_batches]
    ]
    with TestClient(create_app(engine)) as client:
        started = time.perf_counter()
        for center, body in bodies:
            response = client.post("/sync/v1/batches", content=body, headers=_headers(center, body))
            if response.status_code != 200:
                raise RuntimeError(f"ingest refused: {response.status_code} {response.text[:200]}")
        elapsed = time.perf_counter() - started
    events = 1000 * len(bodies)
    return {"events": events, "seconds": round(elapsed, 3), "events_per_s": round(events / elapsed)}


def _best_ms(work: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(min(times), 1)


def time_queries(engine: Engine, centers: list[SimCenter], end: date) -> dict[str, Any]:
    year_start = end - timedelta(days=365)
    month_start = (end - timedelta(days=1)).replace(day=1)
    one = centers[0].center_id
    out: dict[str, Any] = {}
    with Session(engine) as session:
        out["year_by_month_ms"] = _best_ms(lambda: statistics(session, year_start, end, by=["month"]))
        out["year_by_month_ms_from_events"] = _best_ms(
            lambda: statistics(session, year_start, end, by=["month"], source="events"), repeat=1
        )
        out["center_month_by_counselor_ms"] = _best_ms(
            lambda: statistics(session, month_start, end, by=["counselor"], center_id=one)
        )
        out["dashboard_first_page_ms"] = _best_ms(lambda: _dashboard_first_page(session, month_start, end))
    return out


def _dashboard_first_page(session: Session, start: date, end: date) -> None:
    """What the dashboard's overview runs (kiosk.hq.dashboard): this month's figures, by day, the
    wait bands and the device health of the last two weeks."""
    from kiosk.hq import dashboard_queries

    dashboard_queries.centers(session)
    statistics(session, start, end)
    statistics(session, start, end, by=["day"])
    dashboard_queries.wait_bands(session, start, end)
    dashboard_queries.health_reports(session, datetime.now(UTC))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def time_lag(engine: Engine, centers: list[SimCenter], options: Options) -> dict[str, Any]:
    """Each simulated center posts a batch of 5..30 events every 1..3 s to a running HQ for lag_seconds."""
    import httpx
    import uvicorn

    from kiosk.hq.app import create_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)  # a bench, not a test: waiting for a socket to open
    lags: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + options.lag_seconds

    def run_center(center: SimCenter, seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            time.sleep(rng.uniform(0, 2))  # centers do not start in step
            while time.monotonic() < stop_at:
                written = datetime.now(UTC)
                body = batch_body(center, rng, rng.randint(5, 30), written)
                response = client.post("/sync/v1/batches", content=body, headers=_headers(center, body))
                lag = (datetime.now(UTC) - written).total_seconds() * 1000
                with lock:
                    (
                        lags.append(lag)
                        if response.status_code == 200
                        else failures.append(response.text[:100])
                    )
                time.sleep(rng.uniform(1, 3))

    threads = [threading.Thread(target=run_center, args=(c, i)) for i, c in enumerate(centers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.should_exit = True
    thread.join(timeout=10)
    ordered = sorted(lags)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else None
    return {
        "centers": len(centers),
        "batches": len(lags),
        "failures": len(failures),
        "lag_p50_ms": round(pystats.median(ordered), 1) if ordered else None,
        "sync_lag_p95_ms": round(p95, 1) if p95 is not None else None,
    }


def run(options: Options) -> dict[str, Any]:
    result: dict[str, Any] = {
        "bench": "hq",
        "load_average_1m": round(os.getloadavg()[0], 1),
        "targets": TARGETS,
        "options": {
            "years": options.years,
            "centers": options.centers,
            "visits_per_day": options.visits_per_day,
            "schema": options.schema,
        },
    }
    end = datetime.now(SEOUL).date() + timedelta(days=1)
    with scratch(options) as engine:
        centers = [SimCenter(f"B{n:03d}") for n in range(1, options.centers + 1)]
        with Session(engine) as session, session.begin():
            for center in centers:
                raw_key = center.key.public_key().public_bytes_raw()
                center.center_id = add_center(session, center.code, f"벤치 {center.code}", raw_key).id
                center.counselors = [str(uuid.uuid4()) for _ in range(5)]
        started = time.perf_counter()
        result["history"] = generate_history(engine, centers, options, end)
        result["history"]["copy_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            result["history"]["hq_day_rows"] = rebuild(session)
            result["history"]["hq_month_rows"] = session.scalar(text("SELECT count(*) FROM hq_month"))
        result["history"]["aggregate_s"] = round(time.perf_counter() - started, 1)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        result["ingest"] = time_ingest(engine, centers, options)
        result["queries"] = time_queries(engine, centers, end)
        result["lag"] = time_lag(engine, centers, options)
    figures = {
        "ingest_events_per_s": result["ingest"]["events_per_s"],
        **{k: v for k, v in result["queries"].items() if k in TARGETS},
        "sync_lag_p95_ms": result["lag"]["sync_lag_p95_ms"],
    }
    result["figures"] = figures
    result["load_average_1m_after"] = round(os.getloadavg()[0], 1)
    result["ok"] = {
        name: (
            value is not None
            and (value >= TARGETS[name] if name.endswith("_per_s") else value <= TARGETS[name])
        )
        for name, value in figures.items()
    }
    return result


def lines(result: dict[str, Any]) -> list[str]:
    """The figures beside their targets, for people."""
    h = result["history"]
    out = [
        f"load average {result['load_average_1m']} → {result['load_average_1m_after']} (figures scale)",
        f"history: {h['visits']:,} visits, {h['events']:,} events over {h['days']} days × "
        f"{result['options']['centers']} centers (COPY {h['copy_s']} s, hq_day {h['hq_day_rows']:,} and "
        f"hq_month {h['hq_month_rows']:,} rows in {h['aggregate_s']} s)",
    ]
    for name, value in result["figures"].items():
        target = TARGETS[name]
        sign = "≥" if name.endswith("_per_s") else "≤"
        out.append(
            f"{name:32} {value!s:>10}   target {sign} {target}   {'ok' if result['ok'][name] else 'MISSED'}"
        )
    out.append(
        f"(from events, not hq_day: a year by month {result['queries']['year_by_month_ms_from_events']} ms)"
    )
    return out
