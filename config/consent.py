"""The consent texts a walk-in is asked for, each legally separate item with its own version.

The texts are data (``config/consent/items.toml``) so a center's administrator can update them without
code. Whoever records a consent keeps the item ids, ``ConsentSet.version`` and ``consent_text_sha256()``
of exactly the texts that were shown, so the record proves which wording the person agreed to.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config.loader import load_data_file, resource_path

CONSENT_FILE = ("consent", "items.toml")


class ConsentItem(BaseModel):
    """One legally separate consent item (granted or refused on its own)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    order: int = Field(ge=1)
    required: bool
    version: str = Field(min_length=1, max_length=20)
    legal_basis: str = Field(min_length=1)
    title_ko: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    text_ko: str = Field(min_length=20)
    text_en: str = Field(min_length=20)

    @field_validator("text_ko", "text_en", "title_ko", "title_en")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @property
    def sha256(self) -> str:
        """Hash of this item's wording and version (what the person saw)."""
        return hashlib.sha256(_canonical([self]).encode("utf-8")).hexdigest()


class ConsentSet(BaseModel):
    """All consent items of one text version, in screen order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    set_version: str = Field(min_length=1, max_length=20)
    authority_ko: str = Field(min_length=1)
    authority_en: str = Field(min_length=1)
    items: tuple[ConsentItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> ConsentSet:
        ids = [item.id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError(f"consent item ids must be unique, got {ids}")
        object.__setattr__(self, "items", tuple(sorted(self.items, key=lambda item: item.order)))
        return self

    @property
    def version(self) -> str:
        return self.set_version

    @property
    def sha256(self) -> str:
        return hashlib.sha256(_canonical(list(self.items)).encode("utf-8")).hexdigest()

    def item(self, item_id: str) -> ConsentItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"no consent item {item_id!r}; known: {[i.id for i in self.items]}")

    def required_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items if item.required)


def _canonical(items: list[ConsentItem]) -> str:
    """A stable serialisation: the same texts give the same hash on every machine."""
    rows = [item.model_dump() for item in sorted(items, key=lambda item: item.order)]
    return json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def load_consent_set(path: str | Path | None = None) -> ConsentSet:
    """Read and validate the consent texts; any problem is one ConfigError naming file and key."""
    file = Path(path) if path is not None else resource_path(*CONSENT_FILE)
    return load_data_file(file, ConsentSet)


@lru_cache(maxsize=1)
def consent_set() -> ConsentSet:
    """The packaged consent texts (cached; restart or call ``consent_set.cache_clear()`` to reload)."""
    return load_consent_set()


def consent_items() -> tuple[ConsentItem, ...]:
    return consent_set().items


def consent_item(item_id: str) -> ConsentItem:
    return consent_set().item(item_id)


def consent_text_sha256(items: list[ConsentItem] | tuple[ConsentItem, ...] | None = None) -> str:
    """SHA-256 of the consent wording shown (all packaged items unless ``items`` is given)."""
    chosen = list(consent_set().items if items is None else items)
    return hashlib.sha256(_canonical(chosen).encode("utf-8")).hexdigest()


def consent_version() -> str:
    return consent_set().version
