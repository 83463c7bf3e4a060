"""Issue 16: results as advice — what to do first on top, plain reasons, the rest folded, at every size."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.matching import match
from tests.kiosk.matching.conftest import base_answers
from ui.lobby.screens.results_advice import first_steps, reason_lines, route_of, verdicts_of

SHOTS = os.environ.get("RESULTS_SHOTS")  # set to a folder to keep the renders for a look


def _show(lobby: Any, answers: dict[str, Any]) -> Any:
    lobby.draft.answers.update(answers)
    lobby.draft.report = match(answers)
    lobby.go("results")
    return lobby.screens["results"]


def test_debt_trouble_puts_the_fitting_ccrs_route_first_with_a_plain_reason():
    report = match(base_answers())
    first = first_steps(verdicts_of(report), "debt", route_of(report))
    assert first[0].program_id == "ccrs.pre_workout" and 1 <= len(first) <= 3
    ko = reason_lines(first[0], english=False)
    assert "연체가 45일이라 31일이 넘었어요" in ko
    en = reason_lines(first[0], english=True)
    assert any("45 days" in line for line in en)
    assert not any(ch in "".join(en) for ch in "가힣연체")  # English only


def test_a_loan_seeker_sees_loans_first():
    answers = base_answers(purpose="living", delinquency_days=0, total_debt_krw=0, secured_debt_krw=0,
                           unsecured_debt_krw=0, debt_last_6m_krw=0)  # fmt: skip
    report = match(answers)
    first = first_steps(verdicts_of(report), "living", route_of(report))
    assert first and all(row.helps == "new_credit" for row in first)
    assert all(row.verdict == "eligible" for row in first)


def test_court_routes_are_talk_first_and_no_reason_reads_like_a_formula(lobby: Any, qtbot: QtBot):
    screen = _show(lobby, base_answers(delinquency_days=150, annual_income_krw=0, employment="unemployed"))
    words = " ".join(label.text() for card in screen.cards for label in [card.headline, *card.reasons])
    for formula in ("미충족", "충족", "≤", "≥", "기준("):
        assert formula not in words
    court = [card for card in screen.cards if card.objectName() == "Verdict_court.bankruptcy"]
    assert court and court[0].headline.text() == "상담사와 먼저 이야기해 보세요"
    assert court[0].verdict == "court"


def test_maybe_names_the_document_that_settles_it(lobby: Any):
    screen = _show(lobby, base_answers(credit_percentile=5, purpose="living", delinquency_days=0))
    screen.more.click()
    card = next(c for c in screen.cards if c.objectName() == "Verdict_kinfa.lowest_credit_guarantee")
    assert card.verdict == "maybe"
    assert any("햇살론15 거절 확인" in label.text() for label in card.reasons)


def test_the_rest_is_folded_under_other_programs(lobby: Any, qtbot: QtBot):
    screen = _show(lobby, base_answers())
    assert 1 <= len(screen.first_cards) <= 3
    assert not screen.rest.isVisible() and "다른 제도 보기" in screen.more.text()
    screen.more.click()
    qtbot.waitUntil(screen.rest.isVisible)
    assert len(screen.cards) == 16


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("size", ["normal", "large", "extra_large"])
def test_first_recommendation_visible_without_scrolling(lobby: Any, qtbot: QtBot, size: str, language: str):
    lobby.set_text_size(size)
    if language == "en":
        lobby.set_language("en")
    screen = _show(lobby, base_answers())
    qtbot.waitUntil(lambda: bool(screen.first_cards))
    first = screen.first_cards[0]
    viewport = screen.list_area.viewport()
    qtbot.waitUntil(lambda: first.height() > 0)
    top = first.mapTo(viewport, first.rect().topLeft()).y()
    bottom = top + first.height()
    assert screen.list_area.verticalScrollBar().value() == 0
    assert 0 <= top and bottom <= viewport.height(), (size, top, bottom, viewport.height())
    assert first.program.text() in ("사전채무조정 (프리워크아웃)", "Pre-workout (early debt adjustment)")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        lobby.grab().save(str(Path(SHOTS) / f"results-{language}-{size}.png"))
