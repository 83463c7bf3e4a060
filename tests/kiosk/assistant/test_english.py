"""The assistant in English: every entry has an English question, English questions find the right
entry, and no answer tells a visitor that the official sources contradict each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import ConfigError
from kiosk.assistant import Assistant
from kiosk.assistant.knowledge import load_faq

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def test_every_entry_has_its_own_english_question(assistant: Assistant) -> None:
    missing = [a.id for a in assistant.entries if not a.entry.question_en]
    assert missing == []
    korean_in_english = [a.id for a in assistant.entries if HANGUL.search(a.question_en)]
    assert korean_in_english == []


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("What do I bring for debt adjustment?", "debt.documents"),
        ("Which documents do I need to apply for debt adjustment?", "debt.documents"),
        ("What should I bring to the center?", "visit.what_to_bring"),
        ("Is there a maximum debt for debt adjustment?", "debt.caps"),
        ("How much is the debt adjustment fee?", "debt.fee"),
    ],
)
def test_english_questions_find_their_entry(assistant: Assistant, question: str, entry_id: str) -> None:
    answer = assistant.ask(question)
    assert not answer.abstained
    assert answer.entry_id == entry_id


def test_answers_give_the_english_question_for_english_mode(assistant: Assistant) -> None:
    answer = assistant.ask("채무조정 신청하려면 뭘 가져가야 해요?")
    assert answer.question_en == assistant.entry("debt.documents").question_en
    low = assistant.ask("채무조정")  # close to several entries: "did you mean" in both languages
    for alternative in low.alternatives:
        assert alternative["question_en"] and not HANGUL.search(alternative["question_en"])


def test_no_answer_says_the_sources_disagree(assistant: Assistant) -> None:
    # A citizen cannot act on "the official pages contradict each other"; the counselor checks the rule.
    disagreeing = [
        a.id
        for a in assistant.entries
        if "반대" in a.answer_ko or "reverse" in a.answer_en.lower() or "both ways" in a.answer_en
    ]
    assert disagreeing == []


def test_an_english_question_without_its_own_falls_back_to_an_english_paraphrase(faq_copy: Path) -> None:
    path = faq_copy / "debt.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('question_en = "What is debt adjustment?"\n', "", 1), encoding="utf-8")
    entries = {a.id: a for a in load_faq(faq_copy)}
    assert entries["debt.what"].entry.question_en == ""
    assert entries["debt.what"].question_en == "What is debt adjustment?"  # its paraphrase


def test_a_non_text_english_question_is_refused(faq_copy: Path) -> None:
    path = faq_copy / "debt.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('question_en = "What is debt adjustment?"', "question_en = 42", 1), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="question_en"):
        load_faq(faq_copy)
