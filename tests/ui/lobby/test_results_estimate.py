"""Issue 21: the one line under a CCRS recommendation — roughly what the month would cost, and how long."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from kiosk.debt import DebtorInput
from kiosk.debt.from_answers import debtor_from_answers, point, profile_from_answers
from kiosk.debt.wording import ESTIMATE_ONLY
from kiosk.matching import match
from kiosk.matching.ranges import AnswerRange
from tests.kiosk.matching.conftest import base_answers
from ui.lobby.screens.results_debt import close_enough, estimate_line, lead_plan, money, term

HANGUL = re.compile("[\uac00-\ud7a3]")
# 400 days overdue, an income that leaves room to repay: the workout, at a term that fits.
WORKOUT = {"delinquency_days": 400, "annual_income_krw": 48_000_000, "household_size": 1}
LOAN_ONLY = {"purpose": "living", "delinquency_days": 0, "total_debt_krw": 0, "secured_debt_krw": 0,
             "unsecured_debt_krw": 0, "debt_last_6m_krw": 0}  # fmt: skip


def _show(lobby: Any, qtbot: QtBot, answers: dict[str, Any]) -> Any:
    lobby.draft.answers.update(answers)
    lobby.draft.report = match(answers)
    lobby.go("results")
    screen = lobby.screens["results"]
    qtbot.waitUntil(lambda: bool(screen.first_cards))
    qtbot.waitUntil(lambda: not screen.estimate_pending, timeout=10_000)
    return screen


def test_the_debt_visitor_sees_the_estimate_under_the_first_recommendation(lobby: Any, qtbot: QtBot):
    screen = _show(lobby, qtbot, base_answers(**WORKOUT))
    assert screen.first[0].program_id == "ccrs.individual_workout"
    assert screen.estimate.isVisible()
    text = screen.estimate.text()
    assert re.fullmatch(
        r"예상 월 납입액 약 [\d,]+만원 · \d+년( \d+개월)? · 금리는 연 15%로 가정 \(.+\)", text
    ), text
    assert text.endswith(f"({ESTIMATE_ONLY[0]})")
    # right under the first card, above anything else
    box = screen.first_box
    assert box.indexOf(screen.estimate) == box.indexOf(screen.first_cards[0]) + 1
    # the figure is the calculator's, rounded to 만원
    lead = lead_plan(match(base_answers(**WORKOUT)).answers, "ccrs.individual_workout")
    assert lead is not None and lead.plan.fits_capacity and not lead.floor_only
    assert f"약 {round((lead.plan.monthly_payment_krw or 0) / 10_000):,}만원 ·" in text


def test_a_payment_over_the_income_is_still_shown_and_said_so(lobby: Any, qtbot: QtBot):
    screen = _show(lobby, qtbot, base_answers())  # 45 days overdue, little left after living costs
    assert screen.first[0].program_id == "ccrs.pre_workout"
    assert "소득에 비해 많아서 상담사가 함께 살펴봐요" in screen.estimate.text()


def test_a_wide_debt_range_gives_a_floor_and_a_wide_income_no_verdict(lobby: Any, qtbot: QtBot):
    # the one-tap ranges the tour's visitor gets: "667만~5억원" owed, "2,831만원 이하" earned
    answers = base_answers(total_debt_krw=AnswerRange(6_666_667, 500_000_000), unsecured_debt_krw=None,
                           annual_income_krw=AnswerRange(1, 28_315_139),
                           delinquency_days=AnswerRange(31, 89))  # fmt: skip
    screen = _show(lobby, qtbot, answers)
    text = screen.estimate.text()
    assert re.match(r"예상 월 납입액 약 [\d,]+만원부터 · 10년 · 금리는 연 15%로 가정 \(", text), text
    assert "소득에 비해" not in text  # the income is not known closely enough to say so


def test_a_loan_only_visitor_gets_no_line(lobby: Any, qtbot: QtBot):
    screen = _show(lobby, qtbot, base_answers(**LOAN_ONLY))
    assert not screen.first[0].program_id.startswith("ccrs.")
    assert not screen.estimate.isVisible() and screen.estimate.text() == ""


def test_no_income_answer_no_line(lobby: Any, qtbot: QtBot):
    answers = base_answers(**WORKOUT)
    del answers["annual_income_krw"]
    screen = _show(lobby, qtbot, answers)
    assert not screen.estimate.isVisible()


def test_english_mode_has_no_hangul_in_the_line(lobby: Any, qtbot: QtBot):
    lobby.set_language("en")
    screen = _show(lobby, qtbot, base_answers(**WORKOUT))
    text = screen.estimate.text()
    assert text.startswith("Estimated monthly payment about ₩") and " year" in text and " month" in text
    assert not HANGUL.search(text), text
    lobby.set_language("ko")  # a language change re-words the line
    qtbot.waitUntil(lambda: screen.estimate.text().startswith("예상 월 납입액"))


def test_the_wipe_forgets_the_line(lobby: Any, qtbot: QtBot):
    screen = _show(lobby, qtbot, base_answers(**WORKOUT))
    screen.wipe()
    assert screen.debt_plan is None and not screen.estimate.isVisible() and screen.estimate.text() == ""


def test_close_enough():
    assert (
        close_enough(32_000_000) and close_enough(AnswerRange(31, 60)) and close_enough({"from": 0, "to": 1})
    )
    assert not close_enough(AnswerRange(31, 89)) and not close_enough(AnswerRange(90, None))
    assert not close_enough(None) and not close_enough(True) and not close_enough("3")


def test_words():
    assert money(362_000, False) == "약 36만원" and money(362_000, True) == "about ₩360,000"
    assert money(9_500, False) == "약 9,500원"
    assert term(96, False) == "8년" and term(18, False) == "1년 6개월" and term(10, False) == "10개월"
    assert term(12, True) == "1 year" and term(18, True) == "1 year 6 months" and term(1, True) == "1 month"


def test_ranges_count_as_their_lower_bound():
    assert point(AnswerRange(31, 89)) == 31 and point({"from": 90, "to": None}) == 90 and point(7) == 7
    assert point(True) is None and point("12") is None and point(None) is None
    answers = base_answers(annual_income_krw=AnswerRange(24_000_000, 36_000_000),
                           total_debt_krw=AnswerRange(30_000_000, 50_000_000),
                           delinquency_days=AnswerRange(90, None), unsecured_debt_krw=None)  # fmt: skip
    debtor = debtor_from_answers(answers)
    assert debtor is not None
    assert debtor.monthly_income_krw == 2_000_000 and debtor.total_krw == 30_000_000
    assert debtor.longest_overdue_days == 90 and not any(d.written_off for d in debtor.debts)


def test_eitc_is_no_livelihood_status_of_the_plan():
    profile = profile_from_answers(base_answers(livelihood_status="eitc"))
    assert profile is not None and profile["livelihood_status"] == "none"


_value = st.one_of(
    st.none(), st.booleans(), st.integers(-10**14, 10**14), st.text(max_size=5),
    st.floats(allow_nan=True), st.lists(st.text(max_size=8), max_size=3),
    st.fixed_dictionaries({"from": st.integers(-5, 10**13), "to": st.none() | st.integers(-5, 10**13)}),
)  # fmt: skip
_FIELDS = ("annual_income_krw", "household_size", "livelihood_status", "age", "hardship",
           "total_debt_krw", "secured_debt_krw", "unsecured_debt_krw", "delinquency_days")  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(_FIELDS), _value))
def test_any_answers_give_a_checked_debtor_or_none(answers: dict[str, Any]):
    debtor = debtor_from_answers(answers)
    assert debtor is None or isinstance(debtor, DebtorInput)
    if debtor is not None:
        lead = lead_plan(answers, "ccrs.individual_workout")
        if lead is not None:
            for english in (False, True):
                line = estimate_line(lead, english)
                assert line.endswith(f"({ESTIMATE_ONLY[1 if english else 0]})")
                assert english != bool(HANGUL.search(line))


def test_only_ccrs_routes_get_a_plan():
    assert lead_plan(base_answers(**WORKOUT), "kinfa.sunshine15") is None
