"""Issue 21 on the lobby's needs screen: once the credit inquiry's list is in (prefill, like the ID card's
age), the visitor is not asked the totals or the days overdue, and the debts screen keeps only what a
list cannot know; the one estimate line says the rate it assumed."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from ui.lobby.screens.results_debt import LeadEstimate, estimate_line, lead_plan

LISTED = {"total_debt_krw": 30_000_000, "unsecured_debt_krw": 30_000_000, "secured_debt_krw": 0,
          "delinquency_days": 120}  # fmt: skip
DEBT_SCREENS = {"total_debt", "unsecured_debt", "secured_debt", "delinquency"}


def _walk(lobby: Any, qtbot: QtBot, prefill: dict[str, Any]) -> dict[str, list[str]]:
    """Answer every screen plainly ("없어요", the first choice, or a small figure); the labels and help
    shown on each screen, by question id."""
    lobby.draft.live.set_prefill({"age": 47, **prefill})
    lobby.draft.answers["purpose"] = "debt"
    lobby.go("needs")
    needs = lobby.screens["needs"]
    seen: dict[str, list[str]] = {}
    while lobby.current == "needs" and needs.question is not None:
        question = needs.question
        assert question.id not in seen, f"asked twice: {question.id}"
        seen[question.id] = [ko for _v, ko, _en in question.choices] + [needs.help.text()]
        if question.compound:
            needs.answer([])
        elif question.choices:
            needs.answer(question.choices[0][0])
        else:
            needs.answer(None if question.allow_unknown else 1)
        qtbot.waitUntil(lambda q=question: needs.question is not q or lobby.current != "needs")
    return seen


def test_with_the_list_its_questions_are_not_asked(lobby: Any, qtbot: QtBot) -> None:
    seen = _walk(lobby, qtbot, LISTED)
    assert not DEBT_SCREENS & set(seen)
    assert "debt_now" in seen  # 120 days overdue: court, CCRS plans and new loans still matter
    shown = seen["debt_now"]
    assert "갚아야 할 빚이 있어요" not in shown and not any("밀렸어요" in label for label in shown)
    assert "6개월 안에 새로 빌렸어요" in shown and "개인회생 중이에요" in shown
    assert shown[-1].startswith("신용정보 조회로 빚 금액과 밀린 날은 알았어요")
    assert lobby.draft.answers["delinquency_days"] == 120  # the list's figure stays for matching


def test_without_the_list_the_debts_screen_is_as_before(lobby: Any, qtbot: QtBot) -> None:
    seen = _walk(lobby, qtbot, {})
    assert "갚아야 할 빚이 있어요" in seen["debt_now"]
    assert any("밀렸어요" in label for label in seen["debt_now"])


def test_the_estimate_line_says_the_rate_it_assumed() -> None:
    answers = {"annual_income_krw": 36_000_000, "household_size": 1, **LISTED}
    lead = lead_plan(answers, "ccrs.individual_workout")
    assert isinstance(lead, LeadEstimate)
    assert " · 금리는 연 15%로 가정 (" in estimate_line(lead, english=False)
    assert " · assuming 15% a year interest (" in estimate_line(lead, english=True)
    assert any("연 15%로 가정했어요" in reason for reason in lead.plan.reasons_ko)
