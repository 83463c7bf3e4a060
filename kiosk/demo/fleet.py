"""`kiosk demo --headless --centers N --hq-db URL`: several centers and HQ on one machine (issue 20 item 9).

Each center is the headless demo in a folder of its own (its own SQLite hub database, its own signing
key, a center code from ``config/centers.toml``); HQ runs on the given PostgreSQL database, migrated by
its own Alembic scripts and served on a thread. After a center's walk-ins its pusher sends everything to
HQ over HTTP (signed batches, outbound only, exactly as ``kiosk hub`` does), and at the end HQ verifies
every center's audit chain and prints its figures. ``kiosk hq verify --db URL`` and ``kiosk hq report
--db URL`` work on the result.

HQ's database must not hold these centers yet: a center's events start again at 1 in a fresh demo, and
HQ refuses a different event at a seq it already has (as it must), so the demo says so instead.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from config import clock
from config.centers import load_centers
from config.settings import Settings
from db.session import make_engine, make_sessionmaker
from kiosk.demo.headless import run_headless

SUMMARY = "hq-summary.json"


class FleetError(RuntimeError):
    """The fleet demo cannot run as asked (a message for the operator, Korean first)."""


# Visits whose contacts reached HQ sealed (the envelope is never opened here).
_SEALED_COUNT = text(
    "SELECT count(*) FROM hq_event WHERE type = 'visit.submitted' AND data ? 'person_sealed'"
)


def center_codes(count: int) -> list[tuple[str, str]]:
    centers = load_centers()
    if not 1 <= count <= len(centers):
        raise FleetError(f"센터는 1~{len(centers)}곳까지 돌릴 수 있어요 (--centers 1..{len(centers)})")
    return [(c.code, c.name_ko) for c in centers[:count]]


def _center_settings(settings: Settings, code: str, folder: Path, hq_url: str) -> Settings:
    from kiosk.hq_sync.keys import KEY_NAME

    app = settings.app.model_copy(update={"center_code": code, "data_dir": str(folder / "data")})
    hq = settings.hq.model_copy(update={"url": hq_url, "key_file": str(folder / "hq" / KEY_NAME)})
    return settings.model_copy(update={"app": app, "hq": hq})


def _register(hq_sessions: Any, code: str, name: str, public_raw: bytes) -> None:
    from sqlalchemy import select

    from kiosk.hq.centers import add_center
    from kiosk.hq.models import HqCenter

    with hq_sessions() as session:
        if session.scalar(select(HqCenter).where(HqCenter.code == code)) is not None:
            raise FleetError(
                f"본부 데이터베이스에 이미 {code} 센터가 있어요. 빈 데이터베이스를 주세요 "
                f"(HQ already holds center {code}: give the demo an empty database)"
            )
        add_center(session, code, name, public_raw)
        session.commit()


def _push(center_settings: Settings, folder: Path) -> dict[str, Any]:
    """Send the center's events and audit rows to HQ until it has them all; say how it went."""
    from kiosk.hq_sync.pusher import HqRefused, HqUnreachable, pusher_from_settings

    engine = make_engine(f"sqlite:///{folder / 'center.db'}")
    try:
        pusher = pusher_from_settings(center_settings, make_sessionmaker(engine))
        assert pusher is not None  # hq.url is set above
        try:
            report = pusher.push_until_caught_up()
        except (HqUnreachable, HqRefused) as exc:
            return {"pushed": f"본부로 보내지 못했어요 (push failed): {exc}", "synced": False}
        finally:
            pusher.client.close()
        return {"pushed": report.line(), "synced": True}
    finally:
        engine.dispose()


def run_fleet(
    settings: Settings, centers: int, walk_ins: int, out: Path, hq_db: str, *, seed: int = 2026
) -> int:
    """Run ``centers`` headless centers of ``walk_ins`` visits each, sync them to HQ, print HQ's summary."""
    from sqlalchemy.orm import sessionmaker

    from kiosk.hq.app import create_app
    from kiosk.hq.migrate import upgrade
    from kiosk.hq.sealed import create_seal_key
    from kiosk.hq.stats import statistics
    from kiosk.hq.verify import verify_all
    from kiosk.hq_sync.keys import create_key, key_path
    from kiosk.hq_sync.sealing import hq_public_path
    from kiosk.hub.server import serve_in_thread

    codes = center_codes(centers)
    if not hq_db.startswith("postgresql"):
        raise FleetError("본부(HQ)는 PostgreSQL 에서만 돌아가요 (--hq-db postgresql://…)")
    out.mkdir(parents=True, exist_ok=True)
    hq_engine = make_engine(hq_db)
    upgrade(hq_engine)
    hq_sessions = sessionmaker(hq_engine, expire_on_commit=False)
    running = serve_in_thread(create_app(hq_engine))
    # HQ's sealing key (0600, in the demo's folder): each center gets its public half, so the walk-ins'
    # contacts travel sealed as they would from a real center (kiosk.hq_sync.sealing).
    seal, _made = create_seal_key(out / "hq" / "hq-seal-x25519.pem")
    started = time.perf_counter()
    centers_out: list[dict[str, Any]] = []
    failed = 0
    try:
        for index, (code, name) in enumerate(codes):
            folder = out / code
            center_settings = _center_settings(settings, code, folder, running.url)
            key, _made = create_key(key_path(center_settings))
            hq_public_path(center_settings).write_bytes(seal.public_pem)
            _register(hq_sessions, code, name, key.public_raw)
            print(f"== {name} ({code}) ==", flush=True)
            rc = run_headless(center_settings, walk_ins, folder, seed=seed + 100 * index)
            failed += rc != 0
            entry = {
                "code": code,
                "name": name,
                "out": str(folder),
                "exit": rc,
                **_push(center_settings, folder),
            }
            failed += not entry["synced"]
            print(f"{name}: {entry['pushed']}", flush=True)
            centers_out.append(entry)
        with hq_sessions() as session:
            verdicts = verify_all(session)
            today = clock.today()  # the walk-ins were today, on the center clock
            rows = statistics(session, today, today)  # one row per center
            sealed = session.scalar(_SEALED_COUNT) or 0
        lines = [verdict.line() for verdict in verdicts]
    finally:
        running.stop()
        hq_engine.dispose()
    summary = _summary(centers_out, lines, rows, time.perf_counter() - started)
    summary["sealed_contacts"] = int(sealed)
    (out / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print("본부(HQ) 요약 — HQ summary")
    for line in lines:
        print(f"  {line}")
    for row in summary["statistics"]:
        visits, tickets, served = row["visits"], row["tickets_issued"], row["served"]
        print(f"  {row['center']}: 방문 {visits}건 · 번호표 {tickets}장 · 상담 {served}건")
    print(f"  봉인된 연락처 (sealed contacts) {summary['sealed_contacts']}건")
    print(f"summary: {out / SUMMARY}")
    return 1 if failed or not all(v.ok for v in verdicts) else 0


def _summary(centers: list[dict[str, Any]], verify: list[str], rows: Any, seconds: float) -> dict[str, Any]:
    from kiosk.hq.report import table

    columns, values = table(rows, [])
    names = [name for name, _label in columns]
    stats = [dict(zip(names, row, strict=True)) for row in values]
    return {
        "centers": centers,
        "verify": verify,
        "statistics": stats,
        "visits_total": sum(int(r.get("visits") or 0) for r in stats),
        "seconds": round(seconds, 1),
    }
