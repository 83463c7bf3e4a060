"""Issue 16: results that fill the screen. The first recommendation gets room (its reasons, what it gives,
the next step, the documents), what is folded under "다른 제도 보기" is named right under it, and a
single recommendation no longer leaves half the screen empty — in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.matching import match
from tests.kiosk.matching.conftest import base_answers
from ui.lobby.screens.results_advice import VerdictView, digest, lead_sections, verdicts_of

HANGUL = ("가", "힣")


def _show(lobby: Any, qtbot: QtBot, answers: dict[str, Any]) -> Any:
    lobby.draft.answers.update(answers)
    lobby.draft.report = match(answers)
    lobby.go("results")
    screen = lobby.screens["results"]
    qtbot.waitUntil(lambda: bool(screen.first_cards) and screen.first_cards[0].height() > 0)
    return screen


def _texts(card: Any) -> list[str]:
    return [label.text() for label in [card.program, card.headline, *card.reasons, *card.details]]


def test_the_first_recommendation_says_why_what_and_what_next(lobby: Any, qtbot: QtBot) -> None:
    screen = _show(lobby, qtbot, base_answers())
    lead = screen.first_cards[0]
    words = "\n".join(_texts(lead))
    assert "연체가 45일이라 31일이 넘었어요" in words and len(lead.reasons) == 3
    assert "이자율 30~70% 인하 · 최장 10년" in words  # what it gives, from the catalogue
    assert "번호표를 받으시면 상담사가 창구에서 신청을 도와드려요" in words  # the next step
    assert "소득 증빙" in words and "신분증" not in words  # the documents (everyone brings the ID)
    assert "반대" not in words  # the catalogue's note on contradicting sources stays off the kiosk
    for formula in ("미충족", "충족", "≤", "≥", "기준("):
        assert formula not in words


def test_what_is_folded_is_named_under_the_first(lobby: Any, qtbot: QtBot) -> None:
    screen = _show(lobby, qtbot, base_answers())
    assert screen.digest.isVisible() and not screen.rest.isVisible()
    named = {label.text().removeprefix("• ") for label in screen.digest.findChildren(type(screen.note))}
    rest = {row.name_ko for row in screen._rest_rows()}
    assert "햇살론15" in named and named & rest
    assert not named & {row.name_ko for row in screen.first}  # the first is not repeated
    top = screen.digest.mapTo(screen.holder, screen.digest.rect().topLeft()).y()
    assert top < screen.more.mapTo(screen.holder, screen.more.rect().topLeft()).y()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_one_recommendation_leaves_no_empty_half_screen(lobby: Any, qtbot: QtBot, language: str) -> None:
    if language == "en":
        lobby.set_language("en")
    screen = _show(lobby, qtbot, base_answers())
    assert len(screen.first_cards) == 1
    viewport = screen.list_area.viewport()

    def used() -> int:  # down to the last line of the list, once the layout has settled
        return screen.note.mapTo(screen.holder, screen.note.rect().bottomLeft()).y()

    qtbot.waitUntil(lambda: used() >= viewport.height() * 0.6, timeout=3000)
    assert used() <= viewport.height() * 1.5  # filled, not a long scroll
    if language == "en":
        texts = [*_texts(screen.first_cards[0]), screen.more.text()]
        assert not any(HANGUL[0] <= ch <= HANGUL[1] for text in texts for ch in text)


def _row(**kw: Any) -> VerdictView:
    base: dict[str, Any] = {"program_id": "x", "verdict": "eligible", "name_ko": "가", "name_en": "A"}
    return VerdictView(**{**base, **kw})


def test_lead_sections_by_kind() -> None:
    court = _row(category="court", verdict="maybe", documents=[("소득 자료", "income papers")])
    assert "법원 절차" in lead_sections(court, english=False)[-1].lines[0]
    maybe = _row(verdict="maybe", documents=[("햇살론15 거절 확인", "Sunshine 15 refusal")])
    assert len(lead_sections(maybe, english=True)[-1].lines) == 1  # a "maybe" names them in its reasons
    vague = verdicts_of(match(base_answers(purpose="living", delinquency_days=0)))
    holssi = next(r for r in vague if r.program_id == "bank.new_hope_holssi")
    assert [o[0] for o in holssi.offer] == ["최대 3,500만원"]  # "은행별 안내 참고" says nothing here
    english = lead_sections(holssi, english=True)
    assert english[0].lines == ["Up to ₩35M"]


def test_digest_counts_what_it_does_not_name() -> None:
    rows = [_row(program_id=str(i), name_ko=f"제도{i}", name_en=f"P{i}") for i in range(6)]
    (fits,) = digest(rows, english=False)
    assert fits.lines[:4] == ["제도0", "제도1", "제도2", "제도3"] and fits.lines[4] == "그 밖에 2개"
    assert digest(rows, english=True)[0].lines[-1] == "and 2 more"
    assert digest([_row(verdict="ineligible")], english=False) == []
    assert len(digest(rows[:5], english=False)[0].lines) == 5  # one more is named, not counted
