"""A visit's creditor list and its repayment-plan estimate (issue 21), for the counselor at a desk.

GET reads the list (the kiosk's totals while nothing is stored); POST …/fetch asks the credit-information
port, only once the consent item "credit_inquiry" is granted; PUT stores the counselor's corrected list,
checked exactly like `kiosk debt plan`'s file, with one audit event per changed line; GET …/debt-plan
is the calculator's answer for that list and the visit's answers. Every read is audited (ids only);
after a fetch or a put the desk windows hear `debts.updated`.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from config import clock
from db.audit import append_event
from db.models import Consent, DebtLine, DebtList, Person, Visit
from db.people import read_person
from db.pii import mask_name
from kiosk.api.debts import DebtListIn, DebtListOut, DebtOut, DebtPlanOut
from kiosk.debt.credit_port import CreditInquiry, CreditPortError
from kiosk.debt.inputs import InvalidDebts, validate_debtor
from kiosk.debt.visit_list import (
    VisitDebts,
    latest_answers,
    low_high,
    port_lines,
    stored_lines,
    visit_debts,
    visit_estimate,
)
from kiosk.hub.auth import Principal
from kiosk.hub.deps import CounselorDep, SessionDep, StateDep
from kiosk.hub.errors import HubError, error_response
from kiosk.hub.records import load_visit

router = APIRouter(tags=["debts"])

_FIELDS = ("creditor", "kind", "principal_krw", "annual_rate", "overdue_days", "written_off", "since")
OLDEST_SINCE = date(1950, 1, 1)


def _out(debts: VisitDebts) -> DebtListOut:
    return DebtListOut(
        source=debts.source,  # type: ignore[arg-type]  # one of DebtSource by construction
        emulated=debts.emulated,
        fetched_at=debts.fetched_at,
        debts=[
            DebtOut(
                id=line.id,
                creditor=line.creditor,
                kind=line.kind,
                principal_krw=line.principal_krw,
                annual_rate=line.annual_rate,
                overdue_days=line.overdue_days,
                written_off=line.written_off,
                since=line.since,
            )
            for line in debts.lines
        ],
    )


def _target(visit: Visit) -> str:
    return f"visit:{visit.id}"


def _announce(state: Any, visit: Visit) -> None:
    state.bus.publish(str(visit.center_id), "debts.updated", {"visit_id": str(visit.id)})


@router.get("/visits/{visit_id}/debts", response_model=DebtListOut, summary="The visit's creditor list")
def get_debts(visit_id: uuid.UUID, principal: CounselorDep, session: SessionDep) -> DebtListOut:
    visit = load_visit(session, principal, visit_id)
    debts = visit_debts(session, visit)
    append_event(
        session,
        principal.actor,
        "debts.read",
        _target(visit),
        {"source": debts.source, "lines": len(debts.lines)},
    )
    session.commit()
    return _out(debts)


def _granted_consent(session: Session, visit: Visit) -> Consent:
    consents = session.scalars(
        select(Consent).where(Consent.visit_id == visit.id, Consent.withdrawn_at.is_(None))
    ).all()
    for consent in consents:
        item = (consent.items or {}).get("credit_inquiry")
        if isinstance(item, dict) and item.get("granted") is True:
            return consent
    raise HubError(
        409,
        "consent_missing",
        "신용정보 조회 동의가 없어요. 먼저 '신용정보 조회' 항목에 동의를 받아 주세요.",
        "No consent to the credit inquiry (item credit_inquiry) for this visit.",
    )


def _inquiry(
    session: Session, state: Any, principal: Principal, visit: Visit, consent: Consent
) -> CreditInquiry:
    person = session.get(Person, visit.person_id) if visit.person_id else None
    if person is None or not person.rrn_blind_index:
        raise HubError(
            409,
            "identity_missing",
            "본인 확인이 된 방문이 아니라서 신용정보를 조회할 수 없어요.",
            "The visit has no verified person to inquire about.",
        )
    # The service needs the RRN: decrypted for this request only (the read is audited as person.read).
    view = read_person(session, state.keys, person.id, principal.actor, "credit_inquiry")
    answers = latest_answers(session, visit.id)
    total = low_high(answers.get("total_debt_krw"))
    return CreditInquiry(
        rrn=view.rrn,
        rrn_blind_index=person.rrn_blind_index,
        name_masked=mask_name(person.name),
        consent_id=str(consent.id),
        overdue_days_range=low_high(answers.get("delinquency_days")),
        total_debt_krw=total[0] if total else None,
    )


@router.post(
    "/visits/{visit_id}/debts/fetch",
    response_model=DebtListOut,
    summary="Fetch the creditor list from the credit-information port",
)
def fetch_debts(
    visit_id: uuid.UUID, request: Request, principal: CounselorDep, state: StateDep, session: SessionDep
) -> DebtListOut:
    visit = load_visit(session, principal, visit_id)
    consent = _granted_consent(session, visit)
    port = getattr(request.app.state, "credit_port", None)
    if port is None:
        raise HubError(
            503,
            "credit_port_off",
            "이 센터에는 신용정보 조회가 연결되어 있지 않아요. 빚 목록을 직접 적어 주세요.",
            "No credit-information port is configured (debt.credit_port = off).",
        )
    inquiry = _inquiry(session, state, principal, visit, consent)
    try:
        report = port.fetch(inquiry)
    except CreditPortError as exc:
        # Nothing of the answer is kept; the attempt (and the RRN's decryption) stays on the audit trail.
        append_event(session, principal.actor, "debts.fetch_failed", _target(visit), {"reason": exc.reason})
        session.commit()
        raise HubError(
            502,
            "credit_port_failed",
            "신용정보 조회 기관이 답하지 않았거나 알아볼 수 없는 답을 보냈어요. 잠시 뒤 다시 해 주세요.",
            f"The credit-information port failed ({exc.reason}); nothing was stored.",
        ) from None
    now = clock.now()
    session.execute(delete(DebtLine).where(DebtLine.visit_id == visit.id))
    session.add_all(port_lines(visit.id, report.debts))
    meta = session.get(DebtList, visit.id) or DebtList(visit_id=visit.id)
    meta.source, meta.emulated, meta.fetched_at = "credit_port", report.emulated, now
    session.add(meta)
    append_event(
        session,
        principal.actor,
        "debts.fetch",
        _target(visit),
        {"lines": len(report.debts), "emulated": report.emulated, "consent_id": str(consent.id)},
    )
    session.commit()
    _announce(state, visit)
    return _out(visit_debts(session, visit))


def _checked(body: DebtListIn) -> list[dict[str, Any]] | JSONResponse:
    """The lines as kiosk.debt.inputs checks them (the same Korean messages), or the 422 answer."""
    problems: list[tuple[str, str, str]] = []
    try:
        checked = validate_debtor(
            {
                "monthly_income_krw": 0,
                "household_size": 1,
                "livelihood_status": "none",
                "age": 40,
                "debts": [d.model_dump(exclude={"id", "since"}) for d in body.debts],
            }
        ).debts
    except InvalidDebts as exc:
        problems += [(p.where, p.ko, p.en) for p in exc.problems]
        checked = ()
    today = clock.today()
    for index, debt in enumerate(body.debts):
        if debt.since is not None and not OLDEST_SINCE <= debt.since <= today:
            problems.append(
                (
                    f"debts[{index}].since",
                    f"{index + 1}번째 빚의 시작일은 1950년부터 오늘까지의 날짜로 적어 주세요 "
                    "(앞으로 올 날짜는 안 돼요)",
                    f"since of debt no. {index + 1} must be from 1950 to today (not in the future)",
                )
            )
    if problems:
        return error_response(
            422,
            InvalidDebts.code.lower(),
            " / ".join(p[1] for p in problems[:3])
            + (f" 외 {len(problems) - 3}건" if len(problems) > 3 else ""),
            "; ".join(f"{p[0]}: {p[2]}" for p in problems),
            fields=[p[0] for p in problems],
        )
    return [
        {**line.model_dump(), "since": d.since, "id": d.id}
        for line, d in zip(checked, body.debts, strict=True)
    ]


def _changed(row: DebtLine, new: dict[str, Any]) -> list[str]:
    return [name for name in _FIELDS if getattr(row, name) != new[name]]


@router.put("/visits/{visit_id}/debts", response_model=DebtListOut, summary="Store the counselor's list")
def put_debts(
    visit_id: uuid.UUID, body: DebtListIn, principal: CounselorDep, state: StateDep, session: SessionDep
) -> Any:
    visit = load_visit(session, principal, visit_id)
    checked = _checked(body)
    if isinstance(checked, JSONResponse):
        return checked
    meta = session.get(DebtList, visit.id)
    old = stored_lines(session, visit.id) if meta is not None and meta.source != "kiosk_totals" else []
    by_id = {row.id: row for row in old}
    matched: dict[int, DebtLine] = {}
    for index, new in enumerate(checked):  # lines the editor names by id
        if new["id"] is not None:
            row = by_id.get(new["id"])
            if row is None or row in matched.values():
                raise HubError(
                    409,
                    "debt_list_changed",
                    "빚 목록이 그사이 바뀌었어요. 목록을 다시 불러온 뒤 고쳐 주세요.",
                    f"debts[{index}].id is not a line of this visit's list (reload it).",
                )
            matched[index] = row
    free = [row for row in old if row not in matched.values()]
    for index, new in enumerate(checked):  # a line without an id is the same creditor and kind's, if any
        if index in matched:
            continue
        same = next(
            (
                r
                for r in free
                if r.creditor.casefold() == new["creditor"].casefold() and r.kind == new["kind"]
            ),
            None,
        )
        if same is not None:
            free.remove(same)
            matched[index] = same
    # Still the emulator's list if any line of it stays (edited or not): its figures came from there.
    kept_port_lines = any(r.source == "credit_port" for r in matched.values())
    events: list[tuple[str, str, dict[str, Any]]] = []
    for row in free:
        events.append(("debts.line_removed", f"debt_line:{row.id}", {"visit_id": str(visit.id)}))
        session.delete(row)
    for position, new in enumerate(checked):
        row = matched.get(position)
        values = {name: new[name] for name in _FIELDS}
        if row is None:
            row = DebtLine(visit_id=visit.id, position=position, source="counselor", **values)
            session.add(row)
            session.flush()
            events.append(("debts.line_added", f"debt_line:{row.id}", {"visit_id": str(visit.id)}))
            continue
        fields = _changed(row, values)
        row.position = position
        if fields:
            for name in fields:
                setattr(row, name, values[name])
            row.source = "counselor"
            events.append(
                ("debts.line_edited", f"debt_line:{row.id}", {"visit_id": str(visit.id), "fields": fields})
            )
    session.flush()
    meta = meta or DebtList(visit_id=visit.id, emulated=False)
    meta.source, meta.emulated = "counselor", bool(meta.emulated) and kept_port_lines
    session.add(meta)
    for action, target, detail in events:
        append_event(session, principal.actor, action, target, detail)
    append_event(
        session, principal.actor, "debts.put", _target(visit), {"lines": len(checked), "changes": len(events)}
    )
    session.commit()
    _announce(state, visit)
    return _out(visit_debts(session, visit))


@router.get("/visits/{visit_id}/debt-plan", response_model=DebtPlanOut, summary="Repayment-plan estimate")
def debt_plan(
    visit_id: uuid.UUID,
    principal: CounselorDep,
    session: SessionDep,
    term_months: Annotated[int | None, Query(ge=1, le=600)] = None,
) -> DebtPlanOut:
    visit = load_visit(session, principal, visit_id)
    debts = visit_debts(session, visit)
    try:
        result = visit_estimate(session, visit, debts, term_months)
    except InvalidDebts as exc:
        raise HubError(
            409,
            "no_debt_list",
            "계획을 세울 빚 목록이 없어요. 신용정보를 조회하거나 빚 목록을 적어 주세요. ("
            + "; ".join(p.ko for p in exc.problems[:2])
            + ")",
            "No usable debt list for a plan: fetch or type the creditors.",
        ) from None
    if term_months is not None:
        # The term the desk last asked is the one the 채무조정 신청서 will show.
        meta = session.get(DebtList, visit.id) or DebtList(visit_id=visit.id, source="kiosk_totals")
        meta.plan_term_months = term_months
        session.add(meta)
    append_event(
        session,
        principal.actor,
        "debts.plan",
        _target(visit),
        {"source": debts.source, "term_months": term_months},
    )
    session.commit()
    return DebtPlanOut.model_validate(result.to_dict())
