"""Text → terms: synonyms fold to one spelling, dirty input is cleaned, nothing crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import ConfigError
from kiosk.assistant import Assistant
from kiosk.assistant.language import BIGRAM_PREFIX, JAMO_PREFIX, SynonymTable, clean_text


def _morphs(assistant: Assistant, text: str) -> list[str]:
    return [t for t in assistant.index.analyzer.terms(text) if not t.startswith((BIGRAM_PREFIX, JAMO_PREFIX))]


def test_synonyms_fold_to_the_canonical_word(assistant: Assistant) -> None:
    assert _morphs(assistant, "빚") == _morphs(assistant, "채무")
    assert _morphs(assistant, "융자") == _morphs(assistant, "대출")
    assert _morphs(assistant, "이자율") == _morphs(assistant, "금리")
    assert _morphs(assistant, "debt adjustment") == _morphs(assistant, "채무조정")
    assert "날씨" in _morphs(assistant, "날씨")  # a word with no synonym stays itself


def test_particles_and_endings_are_not_terms(assistant: Assistant) -> None:
    terms = _morphs(assistant, "신분증이 없으면 안 돼요?")
    assert "신분증" in terms
    assert not {"이", "으면", "어요", "?"} & set(terms)


def test_clean_text_removes_control_and_invisible_characters() -> None:
    assert clean_text("햇살론\x00\u200b 금리\x1b[31m\n\t얼마", 300) == "햇살론 금리 [31m 얼마"
    assert len(clean_text("가" * 5000, 300)) == 300
    assert clean_text("ＡＢＣ１２３", 300) == "ABC123"  # NFKC: full-width typed on some keyboards


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_terms_never_crash_and_are_clean(assistant: Assistant, text: str) -> None:
    terms = assistant.index.analyzer.terms(clean_text(text, 300))
    assert all(isinstance(t, str) and t and not any(ch.isspace() for ch in t) for t in terms)


def test_bad_synonym_files(tmp_path: Path) -> None:
    bad = tmp_path / "s.toml"
    bad.write_text('[[group]]\nwords = ["빚"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        SynonymTable.load(bad)
    assert caught.value.key == "group[0].words"
    bad.write_text('[ignore]\nwords = "하"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        SynonymTable.load(bad)
    bad.write_text("[[group]\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        SynonymTable.load(bad)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("연체 20일째예요", [20]),
        ("두 달째 밀렸어요", [60]),
        ("3개월 넘게 연체", [90]),
        ("3 months overdue", [90]),
    ],
)
def test_overdue_durations(text: str, days: list[int]) -> None:
    from kiosk.assistant.language import overdue_days

    assert overdue_days(text) == days


def test_stated_delinquency_finds_its_track(assistant: Assistant) -> None:
    assert assistant.ask("연체 45일 됐는데 어떡해요").entry_id == "debt.pre_workout"
    assert assistant.ask("연체가 벌써 100일이에요").entry_id == "debt.individual_workout"
    # a duration without a delinquency word adds nothing
    assert assistant.index.analyzer.terms("6개월 전에 대출") == assistant.index.analyzer.terms(
        "6개월 전에 대출"
    )
    assert "개인워크아웃" not in assistant.index.analyzer.terms("6개월 전에 대출")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_overdue_days_never_crash(text: str) -> None:
    from kiosk.assistant.language import overdue_days

    assert all(d >= 0 for d in overdue_days(text))
