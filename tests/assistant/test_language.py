"""Text → terms: synonyms fold to one spelling, dirty input is cleaned, nothing crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import ConfigError
from kiosk.assistant import Assistant
from kiosk.assistant.language import BIGRAM_PREFIX, SynonymTable, clean_text


def _morphs(assistant: Assistant, text: str) -> list[str]:
    return [t for t in assistant.index.analyzer.terms(text) if not t.startswith(BIGRAM_PREFIX)]


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
