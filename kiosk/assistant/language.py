"""Korean text → search terms: kiwipiepy morphemes, synonyms folded to one spelling, Hangul bigrams.

Kiwi is loaded once per process (about 1 s) and shared; its typo and multi-word dictionaries stay off
because they triple the start-up time and the Hangul bigrams already absorb most typos.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config import ConfigError
from config.loader import read_toml
from kiosk.assistant.morpheme_cache import MorphemeCache, cache_key

# Morpheme tags that carry meaning for a question; particles, endings and punctuation do not.
_CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "NP", "VV", "VA", "MAG", "XR", "SL", "SN", "SH", "MM"})
_HANGUL = re.compile(r"[가-힣]+")
_CONTROL = re.compile(r"[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
BIGRAM_PREFIX = "§"  # bigram terms live in their own namespace so they never equal a morpheme
JAMO_PREFIX = "¶"  # jamo trigrams likewise


def clean_text(text: str, max_chars: int) -> str:
    """NFKC, no control or invisible characters, collapsed spaces, at most ``max_chars``."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:max_chars]


_KOREAN_COUNT = {
    "한": 1,
    "두": 2,
    "세": 3,
    "석": 3,
    "네": 4,
    "넉": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
}
_DURATION = re.compile(
    r"(\d+|한|두|세|석|네|넉|다섯|여섯|일곱|여덟)\s*(일|개월|달|주|days?|months?|weeks?)(?![가-힣]*금)",
    re.IGNORECASE,
)
_UNIT_DAYS = {"일": 1, "day": 1, "days": 1, "주": 7, "week": 7, "weeks": 7}


def overdue_days(text: str) -> list[int]:
    """Durations in a question ("연체 45일", "두 달째 밀렸어요", "3 months overdue"), in days."""
    days = []
    for number, unit in _DURATION.findall(text):
        count = int(number) if number.isdigit() else _KOREAN_COUNT.get(number, 0)
        if not number.isdigit() and unit in ("일",):
            continue  # "한 일" is not a duration
        days.append(count * _UNIT_DAYS.get(unit.lower(), 30))
    return days


@dataclass(frozen=True)
class OverdueBand:
    """A range of days overdue and the words it implies (the debt-adjustment track for that range)."""

    min_days: int
    max_days: int | None
    adds: str


@dataclass
class SynonymTable:
    """Groups of words that mean the same here; the first spelling of each group is the canonical one."""

    groups: list[list[str]] = field(default_factory=list)
    ignore: frozenset[str] = frozenset()
    user_words: list[str] = field(default_factory=list)
    overdue_words: tuple[str, ...] = ()
    overdue_bands: list[OverdueBand] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> SynonymTable:
        data = read_toml(path)
        groups = data.get("group", [])
        if not isinstance(groups, list):
            raise ConfigError(str(path), "group", groups, "an array of [[group]] tables")
        parsed: list[list[str]] = []
        for index, group in enumerate(groups):
            words = group.get("words") if isinstance(group, dict) else None
            if (
                not isinstance(words, list)
                or len(words) < 2
                or not all(isinstance(w, str) and w for w in words)
            ):
                raise ConfigError(str(path), f"group[{index}].words", words, "two or more non-empty words")
            parsed.append([str(w) for w in words])
        ignore = data.get("ignore", {}).get("words", [])
        user_words = data.get("dictionary", {}).get("words", [])
        for key, value in (("ignore.words", ignore), ("dictionary.words", user_words)):
            if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
                raise ConfigError(str(path), key, value, "a list of non-empty words")
        overdue = data.get("overdue", {})
        bands: list[OverdueBand] = []
        for index, band in enumerate(overdue.get("band", [])):
            low, high, adds = band.get("min_days", 0), band.get("max_days"), band.get("adds")
            if not isinstance(low, int) or not (high is None or isinstance(high, int)) or not adds:
                raise ConfigError(str(path), f"overdue.band[{index}]", band, "min_days, max_days (int), adds")
            bands.append(OverdueBand(low, high, str(adds)))
        words = overdue.get("words", [])
        if not isinstance(words, list):
            raise ConfigError(str(path), "overdue.words", words, "a list of words")
        return cls(
            groups=parsed,
            ignore=frozenset(ignore),
            user_words=list(user_words),
            overdue_words=tuple(str(w) for w in words),
            overdue_bands=bands,
        )

    def overdue_hint(self, text: str) -> str:
        """The words a stated delinquency implies: "연체 45일" → "사전채무조정 프리워크아웃"."""
        if not any(word in text.lower() for word in self.overdue_words):
            return ""
        hints = []
        for days in overdue_days(text):
            for band in self.overdue_bands:
                if days >= band.min_days and (band.max_days is None or days <= band.max_days):
                    hints.append(band.adds)
        return " ".join(hints)


class KoreanAnalyzer:
    """Turns text into search terms; thread-safe (one lock around Kiwi)."""

    def __init__(
        self, synonyms: SynonymTable, extra_words: Iterable[str] = (), cache_file: Path | None = None
    ) -> None:
        import kiwipiepy  # imported here: ~0.5 s, and only the assistant needs it

        self._kiwi: Any = kiwipiepy.Kiwi(load_typo_dict=False, load_multi_dict=False)
        self._lock = threading.Lock()
        user_words = [w.strip() for w in [*synonyms.user_words, *extra_words] if " " not in w.strip()]
        for word in user_words:
            self._kiwi.add_user_word(word, "NNP")
        self._kiwi.tokenize("준비")  # Kiwi builds its model on the first call: pay that at start-up
        key = cache_key(kiwipiepy.__version__, user_words, _CONTENT_TAGS)
        self._cache = MorphemeCache(cache_file, key)
        self._cached_texts: set[str] = set()
        self._ignore = synonyms.ignore
        self._synonyms = synonyms
        # variant morpheme sequence -> canonical morpheme sequence, longest variants tried first
        self._rewrites: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for group in synonyms.groups:
            canonical = tuple(self._known_morphemes(group[0]))
            for variant in group[1:]:
                seq = tuple(self._known_morphemes(variant))
                if seq and seq != canonical:
                    self._rewrites.setdefault(seq[0], []).append((seq, canonical))
        for options in self._rewrites.values():
            options.sort(key=lambda pair: -len(pair[0]))

    def _morphemes(self, text: str) -> list[str]:
        with self._lock:
            tokens = self._kiwi.tokenize(text)
        terms: list[str] = []
        for token in tokens:
            tag = token.tag.split("-")[0]
            if tag not in _CONTENT_TAGS:
                continue
            form = token.form.lower() if tag == "SL" else token.form
            terms.append(form)
        return terms

    def _known_morphemes(self, text: str) -> list[str]:
        """Morphemes of the FAQ's own texts, through the disk cache."""
        self._cached_texts.add(text)
        cached = self._cache.get(text)
        if cached is None:
            cached = self._morphemes(text)
            self._cache.put(text, cached)
        return cached

    def save_cache(self) -> None:
        self._cache.save(self._cached_texts)

    def _fold_synonyms(self, terms: Sequence[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(terms):
            for variant, canonical in self._rewrites.get(terms[i], ()):
                if tuple(terms[i : i + len(variant)]) == variant:
                    out.extend(canonical)
                    i += len(variant)
                    break
            else:
                out.append(terms[i])
                i += 1
        return out

    def terms(self, text: str, known: bool = False) -> list[str]:
        """Canonical content morphemes (minus ignored words), Hangul character bigrams (spacing slips),
        and jamo trigrams (one-letter typos: 신븐증 and 신분증 share most of ㅅㅣㄴㅂㅜㄴㅈㅡㅇ)."""
        hint = self._synonyms.overdue_hint(text)
        if hint:
            text = f"{text} {hint}"
        raw = self._known_morphemes(text) if known else self._morphemes(text)  # visitors' text: never cached
        morphs = [t for t in self._fold_synonyms(raw) if t not in self._ignore]
        bigrams: list[str] = []
        jamo_grams: list[str] = []
        for word in morphs:
            for run in _HANGUL.findall(word):
                bigrams.extend(BIGRAM_PREFIX + run[i : i + 2] for i in range(len(run) - 1))
                if len(run) >= 2:
                    jamo = unicodedata.normalize("NFD", run)
                    jamo_grams.extend(JAMO_PREFIX + jamo[i : i + 3] for i in range(len(jamo) - 2))
        return morphs + bigrams + jamo_grams
