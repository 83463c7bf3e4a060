"""The case's one-line summary and suggested next step, from the hub's CaseView (any shape it may have)."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.api import CaseView
from kiosk.visit.questionnaire import questionnaire
from ui.desk.case_summary import answer_rows, next_action, summary_line, top_recommendation


def _case(answers: dict[str, Any], verdicts: list[dict[str, Any]], documents: list[str] = ()) -> CaseView:  # type: ignore[assignment]
    return CaseView.model_validate(
        {
            "visit_id": uuid.uuid4(), "case_id": None, "status": "completed", "path": "consult",
            "ticket": None, "person": None, "identity": [], "consent": None, "answers": answers,
            "verdicts": verdicts, "earlier_visits": [], "notes": [], "outcome": None, "followups": [],
            "documents": [
                {
                    "id": uuid.uuid4(), "visit_id": None, "template": template, "template_version": "1",
                    "sha256": "0" * 64, "status": status, "pushed_to_device_id": None, "signed_at": None,
                    "size_bytes": 1,
                }
                for template, status in (d.split(":") for d in documents)
            ],
        }
    )  # fmt: skip


ELIGIBLE = {"id": "ccrs.pre_workout", "name_ko": "사전채무조정", "verdict": "eligible", "reasons": []}
MAYBE = {"id": "court.rehabilitation", "name_ko": "개인회생", "verdict": "maybe", "reasons": []}
NO = {"id": "kinfa.sunshine15", "name_ko": "햇살론15", "verdict": "ineligible", "reasons": []}


def test_the_summary_names_purpose_debt_delinquency_and_the_top_recommendation() -> None:
    answers = {"purpose": "debt", "total_debt_krw": 32_000_000, "delinquency_days": 120}
    line = summary_line(_case(answers, [NO, MAYBE, ELIGIBLE]), questionnaire())
    assert line.split(" · ") == [
        "목적: 빚 갚기가 힘들어요",
        "총 빚 3,200만원",
        "가장 오래 밀린 빚 120일",
        "추천: 사전채무조정 (✔ 신청 가능)",
    ]
    assert "연체 없음" in summary_line(_case({"delinquency_days": 0}, []), questionnaire())
    assert "추천할 제도가 없어요" in summary_line(_case({"purpose": "job"}, [NO]), questionnaire())
    assert "번호표만" in summary_line(_case({}, []), questionnaire())


def test_the_next_step_follows_the_documents() -> None:
    verdicts = [ELIGIBLE]
    assert next_action(_case({}, verdicts)).label == "채무조정 신청서 만들기"
    assert next_action(_case({}, [MAYBE])).label == "상담 신청서 만들기"
    step = next_action(_case({}, verdicts, ["intake_summary:generated"]))
    assert (step.kind, step.can_do) == ("push", True) and step.document_id is not None
    waiting = next_action(_case({}, verdicts, ["consent:pushed"]))
    assert (waiting.kind, waiting.can_do) == ("wait", False)  # the citizen is reading: nothing to press
    assert next_action(_case({}, verdicts, ["intake_summary:signed"])).kind == "archive"
    assert next_action(_case({}, verdicts, ["intake_summary:archived"])).kind == "plan"


def test_answers_read_as_the_kiosk_asked_them() -> None:
    rows = dict(
        map(tuple, answer_rows({"purpose": "debt", "total_debt_krw": 32_000_000, "x": 1}, questionnaire()))
    )
    assert rows["어떤 도움이 필요해서 오셨어요?"] == "빚 갚기가 힘들어요"
    assert "3,200만원" in rows.values() and rows["x"] == "1"


def test_a_compound_screen_reads_as_the_options_the_person_chose() -> None:
    questions = questionnaire()
    debt_now = questions.question("debt_now")
    nothing = dict(debt_now.none)
    chosen = {**nothing, "court_rehabilitation": "in_progress", "total_debt_krw": 32_000_000}
    rows = answer_rows(chosen, questions)
    compound = [answer for asked, answer in rows if asked == debt_now.ko]
    assert len(compound) == 1 and "개인회생 중이에요" in compound[0]  # one row, not one per field
    assert "none" not in str(rows) and "3,200만원" in dict(map(tuple, rows)).values()
    none_rows = [answer for asked, answer in answer_rows(nothing, questions) if asked == debt_now.ko]
    assert none_rows == ["없어요"]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(
    answers=st.dictionaries(
        st.sampled_from(
            ["purpose", "total_debt_krw", "unsecured_debt_krw", "delinquency_days", "hardship", "x"]
        ),
        _json,
    ),
    verdicts=st.lists(
        st.dictionaries(st.sampled_from(["id", "name_ko", "verdict", "category"]), _json), max_size=4
    ),
)
def test_any_case_the_hub_may_send_gives_a_summary_and_a_step(
    answers: dict[str, Any], verdicts: list[dict[str, Any]]
) -> None:
    case = _case(answers, verdicts)
    assert summary_line(case, questionnaire()).strip()
    assert next_action(case).label
    assert all(len(row) == 2 for row in answer_rows(answers, questionnaire()))
    top = top_recommendation(verdicts)
    assert top is None or top.get("verdict") in ("eligible", "maybe")
