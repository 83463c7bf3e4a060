"""A disk cache of Kiwi's analysis of the FAQ's own texts, so start-up does not re-analyse ~1,000
phrasings every time (about a second on a kiosk). Only FAQ and synonym texts are ever cached — never a
visitor's question. The cache is keyed by everything that changes the analysis (Kiwi version, user
words, this format); a stale or broken file is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)
FORMAT = 1


def cache_key(kiwi_version: str, user_words: Iterable[str], tags: Iterable[str]) -> str:
    material = json.dumps([FORMAT, kiwi_version, sorted(user_words), sorted(tags)], ensure_ascii=False)
    return hashlib.sha256(material.encode()).hexdigest()


class MorphemeCache:
    def __init__(self, path: Path | None, key: str) -> None:
        self.path, self.key = path, key
        self._items: dict[str, list[str]] = {}
        self._dirty = False
        if path is not None and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("key") == key and isinstance(data.get("morphemes"), dict):
                    self._items = {str(k): [str(t) for t in v] for k, v in data["morphemes"].items()}
            except (OSError, ValueError, AttributeError, TypeError):
                log.info("assistant cache %s unreadable; rebuilding it", path)

    def get(self, text: str) -> list[str] | None:
        return self._items.get(text)

    def put(self, text: str, morphemes: list[str]) -> None:
        self._items[text] = morphemes
        self._dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the entries still in use (``keep``), atomically; a read-only disk only costs speed."""
        if self.path is None or (not self._dirty and set(self._items) == keep):
            return
        items = {text: self._items[text] for text in sorted(keep) if text in self._items}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".assistant-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"key": self.key, "morphemes": items}, out, ensure_ascii=False)
            os.replace(temp, self.path)
            self._dirty = False
        except OSError as exc:
            log.info("assistant cache not written: %s", exc)
