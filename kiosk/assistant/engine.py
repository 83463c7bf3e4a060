"""The assistant: a question in, one FAQ entry's answer (with its source) or an abstention out.

It never composes text: every answer is an entry of config/faq word for word, with catalogue figures
filled in at load time. Below the calibrated confidence it abstains and offers a counselor.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from config import resource_path
from config.sections.assistant import AssistantSection
from kiosk.assistant.catalogue import Catalogue
from kiosk.assistant.knowledge import Answerable, load_faq
from kiosk.assistant.language import KoreanAnalyzer, SynonymTable, clean_text
from kiosk.assistant.retrieval import FaqIndex

log = logging.getLogger(__name__)

ABSTAIN_KO = "정확히 답하기 어려워요. 상담사와 이야기해 보시겠어요?"
ABSTAIN_EN = "I can't answer that reliably. Would you like to talk to a counselor?"
EMPTY_KO = "궁금한 점을 짧은 문장으로 적어 주세요. 아래 버튼의 질문을 눌러도 돼요."
EMPTY_EN = "Please type your question in a short sentence, or tap one of the questions below."


@dataclass(frozen=True)
class ChatAnswer:
    """What the bot says. ``reason``: answered | low_confidence | empty."""

    abstained: bool
    reason: str
    answer_ko: str
    answer_en: str
    confidence: float
    entry_id: str | None = None
    question: str | None = None
    question_en: str | None = None
    source: str | None = None
    effective: str | None = None
    programs: list[str] = field(default_factory=list)
    line: str = "integrated"
    handoff_offered: bool = False
    alternatives: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Assistant:
    def __init__(
        self, entries: list[Answerable], analyzer: KoreanAnalyzer, settings: AssistantSection
    ) -> None:
        self.settings = settings
        self.threshold = settings.threshold
        self.index = FaqIndex(entries, analyzer)
        self._by_id = {item.id: item for item in entries}

    @classmethod
    def load(cls, settings: AssistantSection | None = None, cache_dir: Path | None = None) -> Assistant:
        """Read the FAQ, the catalogue and the synonyms, start Kiwi and build the index (~1–2 s).

        ``cache_dir``: where to keep Kiwi's analysis of the FAQ texts between runs (faster start-up)."""
        settings = settings or AssistantSection()
        started = time.perf_counter()
        catalogue = Catalogue.load(settings.products_dir)
        entries = load_faq(settings.faq_dir, catalogue)
        synonyms_path = (
            Path(settings.synonyms_file) if settings.synonyms_file else resource_path("synonyms.toml")
        )
        synonyms = SynonymTable.load(synonyms_path)
        names = program_names(catalogue)
        cache_file = cache_dir / "assistant-morphemes.json" if cache_dir else None
        analyzer = KoreanAnalyzer(synonyms, extra_words=names, cache_file=cache_file)
        assistant = cls(entries, analyzer, settings)
        log.info("assistant ready: %d entries in %.2f s", len(entries), time.perf_counter() - started)
        return assistant

    @property
    def entries(self) -> list[Answerable]:
        return self.index.entries

    def entry(self, entry_id: str) -> Answerable:
        return self._by_id[entry_id]

    def suggestions(self) -> list[Answerable]:
        """Entries shown as big buttons: the configured ones, else the first of each topic."""
        chosen = [self._by_id[i] for i in self.settings.suggested if i in self._by_id]
        if chosen:
            return chosen
        seen: set[str] = set()
        for item in self.entries:
            if item.entry.topic not in seen:
                seen.add(item.entry.topic)
                chosen.append(item)
        return chosen[:6]

    def answer_entry(self, entry_id: str) -> ChatAnswer:
        """The answer of one entry (a suggested-question button), at full confidence."""
        return _answered(self._by_id[entry_id], 1.0, [])

    def ask(self, question: str) -> ChatAnswer:
        text = clean_text(question, self.settings.max_question_chars)
        hits = self.index.search(text, k=4) if text else []
        if not text or (not hits and not any(ch.isalnum() for ch in text)):
            return ChatAnswer(True, "empty", EMPTY_KO, EMPTY_EN, 0.0)
        alternatives = [_alternative(h.answerable) for h in hits[1:]]
        if not hits or hits[0].confidence < self.threshold:
            confidence = hits[0].confidence if hits else 0.0
            # "did you mean …?" buttons only when the question came close to the FAQ
            near = [_alternative(h.answerable) for h in hits[:3]]
            return ChatAnswer(
                True, "low_confidence", ABSTAIN_KO, ABSTAIN_EN, round(confidence, 4),
                handoff_offered=True, alternatives=near if confidence >= self.threshold * 0.75 else [],
            )  # fmt: skip
        return _answered(hits[0].answerable, hits[0].confidence, alternatives)


def _alternative(item: Answerable) -> dict[str, str]:
    return {"id": item.id, "question": item.entry.question, "question_en": item.question_en}


def _answered(item: Answerable, confidence: float, alternatives: list[dict[str, str]]) -> ChatAnswer:
    entry = item.entry
    return ChatAnswer(
        abstained=False,
        reason="answered",
        answer_ko=item.answer_ko,
        answer_en=item.answer_en,
        confidence=round(confidence, 4),
        entry_id=entry.id,
        question=entry.question,
        question_en=item.question_en,
        source=item.source,
        effective=item.effective.isoformat(),
        programs=list(entry.programs),
        line=entry.line,
        handoff_offered=False,
        alternatives=alternatives,
    )


def program_names(catalogue: Catalogue) -> list[str]:
    """Program names from the catalogue, so Kiwi keeps each one as a single word."""
    names: list[str] = []
    for program in catalogue.programs.values():
        for key in ("name_ko", "name"):
            value = program.get(key)
            if isinstance(value, dict):
                value = value.get("ko")
            if isinstance(value, str) and value and " " not in value:
                names.append(value)
    return names
