"""`kiosk bench db`: encrypted person inserts per second and blind-index lookups per second.

Each run uses a fresh place (a temporary SQLite file; a temporary schema on PostgreSQL, dropped after)
and an in-memory key ring, so a benchmark never touches real data or keys. Synthetic RRNs only.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, make_url, text

import db.models
from db.crypto import KeyRing
from db.people import find_person_by_rrn, store_person
from db.session import make_engine, make_sessionmaker


def synthetic_rrns(count: int, seed: int = 7) -> list[str]:
    """Distinct valid-looking RRNs with real birth dates (1950-2005) and random back digits."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    start = date(1950, 1, 1)
    while len(out) < count:
        born = start + timedelta(days=rng.randrange(20000))
        century_digit = rng.choice("12") if born.year < 2000 else rng.choice("34")
        rrn = f"{born:%y%m%d}-{century_digit}{rng.randrange(10**6):06d}"
        if rrn not in seen:
            seen.add(rrn)
            out.append(rrn)
    return out


@contextmanager
def scratch_engine(url: str | None) -> Iterator[tuple[str, Engine]]:
    """A throwaway database: a temp SQLite file (beside url's file if url is SQLite), or a temp PG schema."""
    if url is None or make_url(url).get_backend_name() == "sqlite":
        folder = None
        if url is not None and make_url(url).database not in (None, "", ":memory:"):
            folder = str(Path(make_url(url).database or ".").resolve().parent)
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
            try:
                db.models.Base.metadata.create_all(engine)
                yield "sqlite", engine
            finally:
                engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin_url = (
        url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    )
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(admin_url, echo=False)
    engine = engine.execution_options(schema_translate_map={None: schema})
    try:
        db.models.Base.metadata.create_all(engine)
        yield make_url(url).get_backend_name(), engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def bench_engine(
    engine: Engine, backend: str, inserts: int, lookups: int, batch: int = 500
) -> dict[str, Any]:
    keys = KeyRing.generate()
    rrns = synthetic_rrns(inserts)
    sessions = make_sessionmaker(engine)
    started, cpu_started = time.perf_counter(), time.process_time()
    with sessions() as session:
        for index, rrn in enumerate(rrns, 1):
            store_person(
                session,
                keys,
                name="벤치",
                rrn=rrn,
                phone=f"010-{index % 10000:04d}-{(index * 7) % 10000:04d}",
                address="서울특별시 중구 세종대로 110",
            )
            if index % batch == 0:
                session.commit()
        session.commit()
    insert_seconds = time.perf_counter() - started
    insert_cpu = time.process_time() - cpu_started

    rng = random.Random(11)
    sample = [rng.choice(rrns) for _ in range(lookups)]
    started = time.perf_counter()
    found = 0
    with sessions() as session:
        for rrn in sample:
            found += find_person_by_rrn(session, keys, rrn) is not None
    lookup_seconds = time.perf_counter() - started
    if found != lookups:
        raise RuntimeError(f"blind-index lookups found {found} of {lookups}")
    return {
        "backend": backend,
        "inserts": inserts,
        "insert_batch": batch,
        "insert_seconds": round(insert_seconds, 3),
        "inserts_per_s": round(inserts / insert_seconds, 1),
        # This process's CPU time: on a shared 2-core machine the wall clock mostly measures the neighbours.
        # (A PostgreSQL server's own CPU is not in it.)
        "insert_cpu_seconds": round(insert_cpu, 3),
        "inserts_per_cpu_s": round(inserts / insert_cpu, 1) if insert_cpu > 0 else None,
        "lookups": lookups,
        "lookup_seconds": round(lookup_seconds, 3),
        "lookups_per_s": round(lookups / lookup_seconds, 1),
        "fields_encrypted": ["rrn", "phone", "address"],
        "cipher": keys.cipher_name,
    }


def run_bench(db_url: str | None, inserts: int = 5000, lookups: int = 2000) -> list[dict[str, Any]]:
    """SQLite always; and the --db URL's engine too when one is given and it is not SQLite."""
    results = []
    load = os.getloadavg()[0]
    with scratch_engine(None) as (backend, engine):
        results.append(bench_engine(engine, backend, inserts, lookups))
    if db_url and make_url(db_url).get_backend_name() != "sqlite":
        with scratch_engine(db_url) as (backend, engine):
            results.append(bench_engine(engine, backend, inserts, lookups))
    for result in results:
        result["load_average_1min_before"] = round(load, 2)
    return results
