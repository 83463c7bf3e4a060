"""Keep personal data out of chat transcripts: RRNs, phone numbers and account/card numbers (db.pii).

People type their account number or RRN into a chat box "to be helpful"; the transcript that goes with a
hand-off to the desk must not carry them. The rule itself lives in db.pii, with the counselor notes'.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from db.pii import mask_free_text

# The chat's name for the one rule (callers and tests use it).
mask_chat_text = mask_free_text


@dataclass
class Transcript:
    """The masked conversation a hand-off carries to the desk; nothing unmasked is ever stored."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    max_lines: int = 40

    def add(self, speaker: str, text: str) -> None:
        self.lines.append((speaker, mask_chat_text(text)))
        del self.lines[: -self.max_lines]

    def text(self) -> str:
        return "\n".join(f"{speaker}: {text}" for speaker, text in self.lines)

    def clear(self) -> None:
        self.lines.clear()
