"""The chat panel's own words in Korean and English, and the answer's source line in either language.

The answers themselves come from the FAQ in both languages; what is here is only the panel's frame.
"""

from __future__ import annotations

import re
from datetime import date

LOADING_KO = "챗봇을 준비하고 있어요. 잠시만 기다려 주세요."
FAILED_KO = "지금은 챗봇을 쓸 수 없어요. '직원 호출'을 눌러 주세요."
PROMPT_KO = "궁금한 것을 적어 주세요"
# The panel's own words in each language (the answers come from the FAQ in both languages).
TEXTS: dict[str, dict[str, str]] = {
    "ko": {
        "loading": LOADING_KO,
        "failed": FAILED_KO,
        "prompt": PROMPT_KO,
        "ready": "무엇이든 물어보세요. 아래 질문을 눌러도 돼요.",
        "read": "다시 듣기",
        "handoff": "상담사 연결",
        "ask": "묻기",
        "did_you_mean": "혹시 이 질문인가요? %1",
        "source": "출처: %1 · 기준일 %2",
    },
    "en": {
        "loading": "Getting the chatbot ready. Please wait a moment.",
        "failed": "The chatbot isn't available right now. Please tap 'Call staff'.",
        "prompt": "Type your question",
        "ready": "Ask anything, or tap a question below.",
        "read": "Read aloud",
        "handoff": "Talk to a counselor",
        "ask": "Ask",
        "did_you_mean": "Did you mean: %1",
        "source": "Source: %1 · as of %2",
    },
}
_MONTHS = "January February March April May June July August September October November December".split()
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def _korean_date(iso: str | None) -> str:
    """2025-03-31 → 2025년 3월 31일 (UI.md: dates in words)."""
    try:
        day = date.fromisoformat(iso or "")
    except ValueError:
        return iso or ""
    return f"{day.year}년 {day.month}월 {day.day}일"


def _english_date(iso: str | None) -> str:
    """2025-03-31 → 31 March 2025."""
    try:
        day = date.fromisoformat(iso or "")
    except ValueError:
        return iso or ""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def source_line(source: str, effective: str | None, language: str) -> str:
    """Where an answer comes from, in the screen's language (a Korean source name becomes its address)."""
    if language == "en":
        addresses = [word for word in source.split() if word.startswith(("http://", "https://"))]
        shown = " ".join(addresses) if _HANGUL.search(source) and addresses else source
        date_text = _english_date(effective)
    else:
        shown, date_text = source, _korean_date(effective)
    return TEXTS[language]["source"].replace("%1", shown).replace("%2", date_text)
