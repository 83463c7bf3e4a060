"""What a person asking gets: the right entry with its source, or a calm abstention — never a crash and
never a sentence that is not in the FAQ."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.assistant import ABSTAIN_KO, Assistant
from kiosk.assistant.engine import EMPTY_KO


def test_acceptance_debt_documents(assistant: Assistant) -> None:
    answer = assistant.ask("채무조정 신청하려면 뭘 가져가야 해요?")
    assert not answer.abstained
    assert answer.entry_id == "debt.documents"
    assert "신분증" in answer.answer_ko and "소득 증빙" in answer.answer_ko
    assert answer.source and "ccrs.or.kr" in answer.source
    assert answer.line == "debt"


def test_acceptance_weather_abstains(assistant: Assistant) -> None:
    answer = assistant.ask("오늘 날씨 어때요?")
    assert answer.abstained and answer.reason == "low_confidence"
    assert answer.answer_ko == ABSTAIN_KO
    assert answer.handoff_offered
    assert answer.entry_id is None and answer.source is None


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("햇살론 금리 얼마예요?", "loan.sunshine15"),
        ("빚이 너무 많은데 어디서부터 해야 돼요?", "debt.what"),
        ("신분증 없으면 안 돼요?", "visit.no_id"),
    ],
)
def test_examples_from_the_issue(assistant: Assistant, question: str, entry_id: str) -> None:
    answer = assistant.ask(question)
    assert (answer.abstained, answer.entry_id) == (False, entry_id)


def test_rate_answer_shows_the_catalogue_rate(assistant: Assistant) -> None:
    answer = assistant.ask("햇살론15 이자가 몇 프로예요")
    assert answer.entry_id == "loan.sunshine15"
    assert "연 15.9% 고정" in answer.answer_ko  # the catalogue's rate_ko, rendered


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   ",
        "가" * 5000,
        "햇살론 " * 1000,
        "😀😀😀🙏",
        "<script>alert('x')</script>",
        "'; DROP TABLE person; --",
        "\x00\x01\x02\x1b[2J\x7f",
        "\u202e\u200b\ufeff",
        "{{kinfa.sunshine15:limit_ko}}",
    ],
)
def test_bad_input_gets_a_calm_answer_or_abstention(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.answer_ko and answer.answer_en
    if answer.abstained:
        assert answer.answer_ko in (ABSTAIN_KO, EMPTY_KO)
    assert "<script>" not in answer.answer_ko and "DROP TABLE" not in answer.answer_ko


def test_empty_and_emoji_ask_to_type_a_question(assistant: Assistant) -> None:
    for question in ("", "😀😀😀", "\x00\x01"):
        answer = assistant.ask(question)
        assert answer.abstained and answer.reason == "empty" and answer.answer_ko == EMPTY_KO


def test_suggestions_and_entry_answers(assistant: Assistant) -> None:
    suggested = assistant.suggestions()
    assert 1 <= len(suggested) <= 6
    answer = assistant.answer_entry(suggested[0].id)
    assert answer.entry_id == suggested[0].id and not answer.abstained and answer.source


@settings(max_examples=120, deadline=None)
@given(st.text(max_size=600))
def test_every_answer_is_an_faq_answer_word_for_word(assistant: Assistant, question: str) -> None:
    known = {item.answer_ko for item in assistant.entries} | {ABSTAIN_KO, EMPTY_KO}
    answer = assistant.ask(question)
    assert answer.answer_ko in known
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.abstained == (answer.entry_id is None)


def test_faq_analysis_cache_speeds_restart_and_never_holds_questions(tmp_path: Path) -> None:
    first = Assistant.load(cache_dir=tmp_path)
    cache = tmp_path / "assistant-morphemes.json"
    assert cache.exists()
    first.ask("제 번호 010-1111-2222 인데 햇살론 되나요")
    assert "010-1111-2222" not in cache.read_text(encoding="utf-8")
    second = Assistant.load(cache_dir=tmp_path)
    for question in ("채무조정 신청하려면 뭘 가져가야 해요?", "오늘 날씨 어때요?", "연체 45일 됐어요"):
        assert first.ask(question) == second.ask(question)
    cache.write_text("{not json", encoding="utf-8")  # a broken cache is rebuilt, not fatal
    third = Assistant.load(cache_dir=tmp_path)
    assert third.ask("햇살론 금리 얼마예요?").entry_id == "loan.sunshine15"
    assert cache.read_text(encoding="utf-8").startswith('{"key"')
