"""After-care plans from outcomes and due lists, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from config import ConfigError
from db.models import Case, Center, Counselor, FollowUp, Visit
from db.session import make_sessionmaker
from kiosk.aftercare import (
    AftercareError,
    add_months,
    aftercare_rules,
    due_followups,
    load_aftercare_rules,
    plan_followups,
    record_followup,
)

END = date(2026, 1, 31)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def case_ids(sessions: sessionmaker[Session]) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """(case, its counselor, another counselor)."""
    with sessions.begin() as s:
        center = Center(code=f"c-{uuid.uuid4().hex[:6]}", name_ko="테스트센터")
        s.add(center)
        s.flush()
        mine, other = (
            Counselor(
                center_id=center.id,
                username=f"u{uuid.uuid4().hex[:6]}",
                display_name=n,
                password_hash="x",
                role="counselor",
            )
            for n in ("가", "나")
        )
        s.add_all([mine, other])
        visit = Visit(center_id=center.id)
        s.add(visit)
        s.flush()
        case = Case(visit_id=visit.id, counselor_id=mine.id, outcome="debt_adjustment_applied")
        s.add(case)
        s.flush()
        return case.id, mine.id, other.id


def test_plan_from_outcome_at_1_3_6_months(sessions, case_ids):
    case_id, counselor, _ = case_ids
    with sessions.begin() as s:
        planned = plan_followups(s, case_id, start=END)
    assert [(f.due_date, f.kind) for f in planned] == [
        (date(2026, 2, 28), "repayment_check"),
        (date(2026, 4, 30), "repayment_check"),
        (date(2026, 7, 31), "credit_improvement"),
    ]
    assert all(f.counselor_id == counselor and f.status == "planned" for f in planned)


def test_due_list_per_counselor(sessions, case_ids):
    case_id, counselor, other = case_ids
    with sessions.begin() as s:
        plan_followups(s, case_id, start=END)
    with sessions() as s:
        assert due_followups(s, counselor, on=date(2026, 2, 20)) == []
        due = due_followups(s, counselor, on=date(2026, 2, 21))
        assert [f.due_date for f in due] == [date(2026, 2, 28)]
        overdue = due_followups(s, counselor, on=date(2026, 5, 10), within_days=0)
        assert [f.due_date for f in overdue] == [date(2026, 2, 28), date(2026, 4, 30)]
        assert due_followups(s, other, on=date(2027, 1, 1)) == []


def test_record_and_replan_keeps_history(sessions, case_ids):
    case_id, _, _ = case_ids
    with sessions.begin() as s:
        first = plan_followups(s, case_id, start=END)[0]
        record_followup(s, first.id, status="done", note="첫 납부 확인함")
        with pytest.raises(AftercareError):
            record_followup(s, first.id, status="done")
        replanned = plan_followups(s, case_id, start=END, outcome="court_referral")
    with sessions() as s:
        rows = s.scalars(
            select(FollowUp).where(FollowUp.case_id == case_id).order_by(FollowUp.due_date)
        ).all()
        assert [(r.kind, r.status) for r in rows] == [
            ("repayment_check", "done"),
            ("referral_check", "planned"),
            ("credit_improvement", "planned"),
        ]
        assert "첫 납부 확인함" in (rows[0].note or "")
        assert s.get(Case, case_id).outcome == "court_referral"  # type: ignore[union-attr]
    assert len(replanned) == 2


def test_unknown_outcome_and_case(sessions, case_ids):
    case_id, _, _ = case_ids
    with sessions.begin() as s:
        with pytest.raises(AftercareError) as caught:
            plan_followups(s, case_id, start=END, outcome="won_the_lottery")
        assert caught.value.code == "AFTERCARE_UNKNOWN_OUTCOME"
        with pytest.raises(AftercareError):
            plan_followups(s, uuid.uuid4(), start=END)


def test_shipped_rules_cover_the_outcomes():
    rules = aftercare_rules()
    assert {"debt_adjustment_applied", "loan_approved", "court_referral", "employment_referral"} <= set(rules)
    assert [r.after_months for r in rules["loan_approved"].followups] == [1, 3, 6]


RULE = '[[rule]]\noutcome = "x_y"\nfollowups = [ '


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            RULE + '{ after_months = 0, kind = "k_k", ko = "가", en = "a" } ]\n',
            "after_months",
        ),
        (
            RULE + '{ after_months = 1, kind = "K", ko = "가", en = "a" } ]\n',
            "kind",
        ),
        ('[[rule]]\noutcome = "Bad Outcome"\nfollowups = []\n', "outcome"),
        ("rule = 3\n", "rule"),
    ],
)
def test_broken_rules_file(tmp_path: Path, text: str, key: str):
    path = tmp_path / "a.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_aftercare_rules(path)
    assert key in caught.value.key


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_lands_in_the_right_month(day: date, months: int):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
