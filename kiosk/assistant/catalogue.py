"""Program facts for FAQ answers, taken from the visit area's catalogue (kiosk.matching, config/products).

The FAQ never copies a figure: an answer says ``{{kinfa.sunshine15:limit_ko}}`` and the value comes from
the catalogue file, so one edit by an administrator updates the matching results and the chatbot alike.
Fields an answer may use: the catalogue's text keys (name_ko, name_en, provider_ko/en, limit_ko/en,
rate_ko/en, term_ko/en) and documents_ko/en, notes_ko/en, note1_ko/en…, source_name, source_url,
effective_date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from config import ConfigError
from kiosk.matching.catalogue import CatalogueInvalid, load_catalogue

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*\.[a-z0-9_]+)\s*:\s*([a-z0-9_]+)\s*\}\}")


@dataclass(frozen=True)
class Catalogue:
    """Program id -> field -> display text."""

    programs: Mapping[str, Mapping[str, str]]
    version: str
    source: str

    @classmethod
    def load(cls, products_dir: str | Path = "") -> Catalogue:
        try:
            catalogue = load_catalogue(products_dir or None)
        except CatalogueInvalid as exc:
            first = exc.problems[0]
            raise ConfigError(
                f"catalogue {first.file}", first.where, "(see `kiosk catalogue check`)", str(first)
            ) from None
        programs: dict[str, dict[str, str]] = {}
        for program in catalogue.programs:
            fields = dict(program.text)
            fields["documents_ko"] = ", ".join(d.ko for d in program.required_documents)
            fields["documents_en"] = "; ".join(d.en for d in program.required_documents)
            fields["notes_ko"] = " ".join(n.ko for n in program.notes)
            fields["notes_en"] = " ".join(n.en for n in program.notes)
            for number, note in enumerate(program.notes, start=1):
                fields[f"note{number}_ko"], fields[f"note{number}_en"] = note.ko, note.en
            fields["source_name"] = program.source.get("name", "")
            fields["source_url"] = program.source.get("url", "")
            fields["effective_date"] = program.effective_date.isoformat()
            programs[program.id] = fields
        return cls(
            programs=programs, version=catalogue.version, source=str(products_dir or "config/products")
        )

    def lookup(self, program_id: str, name: str) -> str:
        program = self.programs.get(program_id)
        if program is None:
            raise KeyError(f"no program {program_id!r} in the catalogue")
        value = program.get(name)
        if not value:
            raise KeyError(f"{program_id} has no {name!r} (fields: {', '.join(sorted(program))})")
        return value

    def render(self, text: str, where: str) -> str:
        """Fill every ``{{program:field}}`` in ``text``; a missing value is a ConfigError naming it."""

        def fill(match: re.Match[str]) -> str:
            try:
                return self.lookup(match.group(1), match.group(2))
            except KeyError as exc:
                raise ConfigError(where, match.group(0), exc.args[0], "an existing catalogue value") from None

        rendered = PLACEHOLDER.sub(fill, text)
        if "{{" in rendered or "}}" in rendered:
            raise ConfigError(
                where, "(placeholder)", rendered[:80], "{{program.id:field}} with a known field"
            )
        return rendered
