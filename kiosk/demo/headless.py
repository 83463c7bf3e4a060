"""`kiosk demo --headless --walk-ins N --out DIR`: N scripted visits end to end, no Qt needed.

Per visit: ID card from the virtual scanner read by the real OCR pipeline, consent signed on the
emulated pad (the second walk-in cannot sign: a code by SMS to the emulated phone, typed back), needs
answered and matched, the visit sent through the lobby outbox, a ticket printed
on the emulated printer, the ticket called at the desk, the consent and intake documents pushed to
the counter and signed there on its own emulated pad, PAdES-signed PDFs archived, after-care planned.
A walk-in the desk finds eligible for CCRS debt adjustment also gets its creditors from the emulated
credit-information port, a plan estimate (``debt_plan`` in its summary entry: program, monthly payment,
term) and a signed 채무조정 신청서 (``debt_application_document_id``).
Writes DIR/summary.json, DIR/receipts/*.bin|png, DIR/pdf/*.pdf and the databases DIR/*.db. Each visit
in the summary says how its consent was given (``consent_method``: "pad", "screen" or "sms") as the
hub recorded it, not as the script meant it.
"""

from __future__ import annotations

import json
import logging
import random
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings, clock
from db.base import Base
from db.models import Consent, Signature
from db.models.enums import ConsentMethod
from db.pii import full_age
from db.session import make_engine, make_sessionmaker
from devices.id.emulators.identities import generate_identity
from kiosk.client import HubClient, LobbyOutbox
from kiosk.demo.center import start_demo_center
from kiosk.demo.devices import DemoPad, DemoPrinter, DemoScanner
from kiosk.demo.roles import CounterRole, DeskRole, LobbyRole, line_for

log = logging.getLogger("kiosk.demo")
CANNOT_SIGN = 2  # the walk-in (1-based) who consents by SMS code instead of signing


# Scripted needs (amounts in won). Synthetic people; each profile exercises a different route.
PROFILES: tuple[dict[str, Any], ...] = (
    {
        "purpose": "debt",
        "delinquency_days": 45,
        "annual_income_krw": 32_000_000,
        "unsecured_debt_krw": 48_000_000,
    },
    {
        "purpose": "living",
        "delinquency_days": 0,
        "annual_income_krw": 24_000_000,
        "unsecured_debt_krw": 5_000_000,
    },
    {
        "purpose": "debt",
        "delinquency_days": 120,
        "annual_income_krw": 18_000_000,
        "unsecured_debt_krw": 60_000_000,
    },
    {
        "purpose": "debt",
        "delinquency_days": 10,
        "annual_income_krw": 28_000_000,
        "unsecured_debt_krw": 30_000_000,
        "hardship": ["job_loss"],
    },
    {
        "purpose": "business_operating",
        "delinquency_days": 0,
        "annual_income_krw": 30_000_000,
        "unsecured_debt_krw": 0,
    },
)


def answers_for(index: int, age: int) -> dict[str, Any]:
    profile = PROFILES[index % len(PROFILES)]
    unsecured = profile["unsecured_debt_krw"]
    return {
        "age": age,
        "purpose": profile["purpose"],
        "annual_income_krw": profile["annual_income_krw"],
        "employment": "employed",
        "employment_months": 40,
        "sme_employee": False,
        "household_size": 2,
        "total_debt_krw": unsecured,
        "secured_debt_krw": 0,
        "unsecured_debt_krw": unsecured,
        "debt_last_6m_krw": unsecured // 20,
        "delinquency_days": profile["delinquency_days"],
        "credit_percentile": 15,
        "livelihood_status": "none",
        "hardship": list(profile.get("hardship", [])),
        "court_rehabilitation": "none",
    }


def recorded_consent_methods(sessions: sessionmaker[Session], visit_ids: list[str]) -> dict[str, str]:
    """How each visit's consent was given, from the hub's own rows: "sms" (a code by SMS), "screen" (a
    finger on the kiosk's screen) or "pad" (the signature pad); a visit without a consent is absent."""
    ids = [uuid.UUID(v) for v in visit_ids]
    query = (
        select(Consent.visit_id, Consent.method, Signature.device)
        .outerjoin(Signature, Consent.signature_id == Signature.id)
        .where(Consent.visit_id.in_(ids))
    )
    methods: dict[str, str] = {}
    with sessions() as session:
        for visit_id, method, device in session.execute(query):
            if method == ConsentMethod.SMS:
                methods[str(visit_id)] = "sms"
            elif device is not None:
                methods[str(visit_id)] = "screen" if device == "screen" else "pad"
    return methods


def run_headless(
    settings: Settings,
    walk_ins: int,
    out: Path,
    *,
    seed: int = 2026,
    offline_at: int | None = None,
    serve_seconds: float = 0.0,
) -> int:
    """`offline_at`: the walk-in (1-based) during which the hub is down; the lobby works offline.
    `serve_seconds`: once summary.json is written, keep the hub (and its phone pages) serving this long,
    so the QR links on the receipts can be opened."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    center = start_demo_center(settings, out)
    lobby_db = out / "lobby.db"
    if lobby_db.exists():
        lobby_db.unlink()
    lobby_engine = make_engine(f"sqlite:///{lobby_db}")
    Base.metadata.create_all(lobby_engine)
    lobby_client = HubClient(center.url, center.lobby_token)
    outbox = LobbyOutbox(
        make_sessionmaker(lobby_engine), lobby_client, reserve_per_line=settings.hub.offline_reserve_per_line
    )
    scanner, lobby_pad, printer, counter_pad = (
        DemoScanner(),
        DemoPad(settings),
        DemoPrinter(settings),
        DemoPad(settings),
    )
    from config.centers import center_by_code

    lobby = LobbyRole(
        lobby_client,
        outbox,
        scanner,
        lobby_pad,
        printer,
        center_by_code(settings.app.center_code).name_ko,
        phone_inbox=center.sms.inbox if center.sms is not None else None,
    )
    desk = DeskRole(center.desk_client())
    counter = CounterRole(HubClient(center.url, center.counter_token), counter_pad)
    counter.start()
    visits: list[dict[str, Any]] = []
    rng = random.Random(seed)
    try:
        outbox.replenish()  # numbers in reserve in case the hub drops out mid-demo
        for index in range(walk_ins):
            identity = generate_identity(rng)
            # The age the lobby pre-fills from the card (만 나이 today), so the script answers the same.
            age = max(19, min(80, full_age(identity.birth_date, clock.today())))
            answers = answers_for(index, age)
            visit: dict[str, Any] = {"index": index + 1, "status": "failed"}
            try:
                if offline_at == index + 1:
                    center.stop_hub()
                    visit["hub_was_down"] = True
                visit["lobby"] = lobby.walk_in(
                    identity, answers, seed + index, out, cannot_sign=index + 1 == CANNOT_SIGN
                )
                if offline_at == index + 1:
                    center.restart_hub()
                    visit["outbox_replayed"] = outbox.flush()
                    if outbox.pending_count():
                        raise RuntimeError("the outbox did not drain after the hub came back")
                visit["desk"] = desk.serve_next(
                    line_for(answers), out, trust_roots_pem=center.trust_roots_pem
                )
                if visit["desk"]["ticket"] != visit["lobby"]["ticket"]["display"]:
                    raise RuntimeError("the desk called another ticket than the one printed")
                visit["counter"] = [
                    s
                    for s in counter.signed
                    if s["document_id"] in {d["document_id"] for d in visit["desk"]["documents"]}
                ]
                docs = visit["desk"]["documents"]
                complete = all(d["status"] == "archived" and d.get("pades_valid", False) for d in docs)
                planned = isinstance(visit["desk"]["aftercare"], list)
                # A debt-adjustment visit also signs its 채무조정 신청서 (issue 21).
                debt = visit["desk"].get("debt")
                wanted = 3 if debt is not None else 2
                if debt is not None:
                    visit["debt_plan"] = debt.get("plan")
                    visit["debt_application_document_id"] = next(
                        (d["document_id"] for d in docs if d["template"] == "debt_application"), None
                    )
                visit["status"] = "completed" if complete and len(docs) == wanted and planned else "failed"
            except Exception as exc:
                visit["error"] = f"{type(exc).__name__}: {exc}"
                log.error("walk-in %d failed:\n%s", index + 1, traceback.format_exc())
            visits.append(visit)
            print(
                f"walk-in {index + 1}/{walk_ins}: {visit['status']}"
                + (
                    f" ({visit.get('error')})"
                    if visit["status"] != "completed"
                    else f" ticket {visit['desk']['ticket']}"
                ),
                flush=True,
            )
        recorded = recorded_consent_methods(
            center.sessions, [v["lobby"]["visit_id"] for v in visits if "lobby" in v]
        )
        for visit in visits:
            visit["consent_method"] = recorded.get(visit.get("lobby", {}).get("visit_id", ""))
        completed = sum(v["status"] == "completed" for v in visits)
        _write_summary(out, walk_ins, completed, started, counter.errors, visits, center.url)
        if serve_seconds > 0:
            print(
                f"내 순서 페이지를 {serve_seconds:g}초 동안 열어 둬요 "
                f"(serving the phone pages): {center.url}/m/",
                flush=True,
            )
            time.sleep(serve_seconds)  # the demo's stated job now: keep serving, then stop
    finally:
        counter.stop()
        for device in (lobby_pad, counter_pad, printer):
            device.close()
        lobby_client.close()
        center.close()
        lobby_engine.dispose()
    completed = sum(v["status"] == "completed" for v in visits)
    print(f"{completed}/{walk_ins} visits completed; summary: {out / 'summary.json'}")
    return 0 if completed == walk_ins else 1


def _write_summary(
    out: Path,
    walk_ins: int,
    completed: int,
    started: float,
    counter_errors: Any,
    visits: list[dict[str, Any]],
    hub_url: str,
) -> None:
    summary = {
        "walk_ins": walk_ins,
        "completed": completed,
        "failed": walk_ins - completed,
        "seconds": round(time.perf_counter() - started, 1),
        "hub_db": "center.db",
        "lobby_db": "lobby.db",
        "web_url": f"{hub_url}/m/",
        "counter_errors": counter_errors,
        "visits": visits,
    }
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
