"""The FAQ as data: load config/faq/*.toml, validate it, and render catalogue figures into answers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from config import ConfigError, resource_path
from config.loader import read_toml
from kiosk.assistant.catalogue import PLACEHOLDER, Catalogue

LINES = ("finance", "debt", "integrated")
# 해요체 endings the answers must use (the kiosk speaks politely and plainly, never 합쇼체 or 반말).
_POLITE_END = re.compile(r"(요|죠|세요|까요)[.?!)]*$")
_PLAIN_END = re.compile(r"[다니까냐자라][.?!]*$")  # 합쇼체 (…습니다) or 해라체 (…된다) sentences
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


class FaqEntry(BaseModel):
    """One question and its answer; ``answer_*`` may hold ``{{program:path}}`` catalogue placeholders."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    topic: str = Field(min_length=1)
    question: str = Field(min_length=2)
    question_en: str = ""  # the question in English (suggestion buttons and "did you mean" in English mode)
    paraphrases: list[str] = Field(min_length=2)
    answer_ko: str = Field(min_length=10)
    answer_en: str = Field(min_length=10)
    programs: list[str] = Field(default_factory=list)
    source: str = Field(min_length=3)
    effective: dt.date
    line: str = "integrated"

    @field_validator("line")
    @classmethod
    def _known_line(cls, value: str) -> str:
        if value not in LINES:
            raise ValueError(f"must be one of {', '.join(LINES)}")
        return value

    @field_validator("paraphrases")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not p.strip() for p in value):
            raise ValueError("paraphrases must not be empty")
        return value


@dataclass(frozen=True)
class Answerable:
    """An entry with its answers rendered from the catalogue: what the bot may say, word for word."""

    entry: FaqEntry
    answer_ko: str
    answer_en: str
    source: str
    effective: dt.date  # the latest of the entry's own date and its programs' catalogue dates
    file: str

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def question_en(self) -> str:
        """The English question: the entry's own, else its first paraphrase without Hangul."""
        if self.entry.question_en:
            return self.entry.question_en
        latin = [p for p in self.entry.paraphrases if not _HANGUL.search(p)]
        return latin[0] if latin else self.entry.question

    def question_in(self, language: str) -> str:
        return self.question_en if language == "en" else self.entry.question


def _entry_location(path: Path, index: int, loc: tuple[Any, ...]) -> str:
    return f"entry[{index}]" + "".join(f".{p}" if isinstance(p, str) else f"[{p}]" for p in loc)


def load_faq(faq_dir: str | Path = "", catalogue: Catalogue | None = None) -> list[Answerable]:
    """Every entry of every ``*.toml`` file, validated and rendered; the first problem is a ConfigError."""
    directory = Path(faq_dir) if faq_dir else resource_path("faq")
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise ConfigError(str(directory), "(files)", "no *.toml", "a directory with FAQ files")
    catalogue = catalogue if catalogue is not None else Catalogue.load()
    seen: dict[str, str] = {}
    phrasings: dict[str, str] = {}  # normalised question -> entry id: one phrasing, one entry
    result: list[Answerable] = []
    for path in files:
        data = read_toml(path)
        unknown = set(data) - {"entry"}
        if unknown:
            raise ConfigError(str(path), sorted(unknown)[0], "(table)", "only [[entry]] tables")
        raw_entries = data.get("entry", [])
        if not isinstance(raw_entries, list):
            raise ConfigError(str(path), "entry", raw_entries, "an array of [[entry]] tables")
        for index, raw in enumerate(raw_entries):
            try:
                entry = FaqEntry.model_validate(raw)
            except ValidationError as exc:
                first = exc.errors()[0]
                key = _entry_location(path, index, tuple(first["loc"]))
                raise ConfigError(str(path), key, first.get("input"), first["msg"]) from None
            if entry.id in seen:
                raise ConfigError(
                    str(path), f"entry[{index}].id", entry.id, f"unique (also in {seen[entry.id]})"
                )
            seen[entry.id] = str(path)
            for text in (entry.question, *entry.paraphrases):
                key = _normalise(text)
                other = phrasings.setdefault(key, entry.id)
                if other != entry.id:
                    raise ConfigError(
                        str(path),
                        f"entry[{index}].paraphrases",
                        text,
                        f"a phrasing no other entry has ({other})",
                    )
            for program_id in entry.programs:
                if program_id not in catalogue.programs:
                    raise ConfigError(
                        str(path), f"entry[{index}].programs", program_id, "a program id of the catalogue"
                    )
            where = f"{path} entry {entry.id}"
            answer_ko = catalogue.render(entry.answer_ko, where)
            answer_en = catalogue.render(entry.answer_en, where)
            if not _POLITE_END.search(answer_ko.strip()) or any(
                _PLAIN_END.search(line.strip()) for line in answer_ko.splitlines()
            ):
                raise ConfigError(
                    str(path), f"entry[{index}].answer_ko", answer_ko[-30:], "해요체 (ends in …요.)"
                )
            source = catalogue.render(entry.source, where)
            dates = [dt.date.fromisoformat(catalogue.lookup(p, "effective_date")) for p in entry.programs]
            effective = max([entry.effective, *dates])
            result.append(
                Answerable(entry, answer_ko.strip(), answer_en.strip(), source, effective, str(path))
            )
    return result


def _normalise(text: str) -> str:
    return re.sub(r"[\s?.!,~]", "", text.lower())


def placeholders(entries: list[Answerable]) -> int:
    """How many catalogue values the answers pull in (reported by `kiosk faq check`)."""
    return sum(
        len(PLACEHOLDER.findall(a.entry.answer_ko + a.entry.answer_en + a.entry.source)) for a in entries
    )
