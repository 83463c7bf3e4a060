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

# Morpheme tags that carry meaning for a question; particles, endings and punctuation do not.
_CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "NP", "VV", "VA", "MAG", "XR", "SL", "SN", "SH", "MM"})
_HANGUL = re.compile(r"[가-힣]+")
_CONTROL = re.compile(r"[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
BIGRAM_PREFIX = "§"  # bigram terms live in their own namespace so they never equal a morpheme


def clean_text(text: str, max_chars: int) -> str:
    """NFKC, no control or invisible characters, collapsed spaces, at most ``max_chars``."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:max_chars]


@dataclass
class SynonymTable:
    """Groups of words that mean the same here; the first spelling of each group is the canonical one."""

    groups: list[list[str]] = field(default_factory=list)
    ignore: frozenset[str] = frozenset()
    user_words: list[str] = field(default_factory=list)

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
        return cls(groups=parsed, ignore=frozenset(ignore), user_words=list(user_words))


class KoreanAnalyzer:
    """Turns text into search terms; thread-safe (one lock around Kiwi)."""

    def __init__(self, synonyms: SynonymTable, extra_words: Iterable[str] = ()) -> None:
        from kiwipiepy import Kiwi  # imported here: ~0.5 s, and only the assistant needs it

        self._kiwi: Any = Kiwi(load_typo_dict=False, load_multi_dict=False)
        self._lock = threading.Lock()
        for word in [*synonyms.user_words, *extra_words]:
            if " " not in word.strip():
                self._kiwi.add_user_word(word.strip(), "NNP")
        self._ignore = synonyms.ignore
        # variant morpheme sequence -> canonical morpheme sequence, longest variants tried first
        self._rewrites: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for group in synonyms.groups:
            canonical = tuple(self._morphemes(group[0]))
            for variant in group[1:]:
                seq = tuple(self._morphemes(variant))
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

    def terms(self, text: str) -> list[str]:
        """Canonical content morphemes (minus ignored words) plus Hangul character bigrams."""
        morphs = [t for t in self._fold_synonyms(self._morphemes(text)) if t not in self._ignore]
        bigrams: list[str] = []
        for word in morphs:
            for run in _HANGUL.findall(word):
                bigrams.extend(BIGRAM_PREFIX + run[i : i + 2] for i in range(len(run) - 1))
        return morphs + bigrams
