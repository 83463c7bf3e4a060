"""Per-digit voting across the candidate reads of one number line (the RRN, the licence number).

Handwriting-like faces make Tesseract misread one or two digits per read, and a different digit in
each variant: no two reads agree on the whole number, so no read validates or two misreads agree by
chance. Reads of the same length are aligned position by position; each position takes the digit
with most confidence behind it. The vote's confidence is its weakest position's share, so a number
the reads disagree on anywhere is not believed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from devices.id.image.ocr import OcrText
from devices.id.image.validate import digits_only

RRN_DIGITS = 13
LICENSE_DIGITS = 12
# three reads are too few: on tuning cards, votes of three (mostly faint) reads made 4 wrong numbers
# that validate; from four reads on, 2 new wrong ones (and 4 right ones no read had settled)
MIN_READS = 4
READ_FLOOR = 0.1  # a read Tesseract gave no confidence still says which digits it saw
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class DigitVote:
    digits: str
    confidence: float  # the weakest position's share of the weight, 0..1
    reads: int  # how many reads of the right length took part


def digit_string(text: str) -> str:
    """The digits of one read, look-alikes repaired, everything else (hyphens, dots, spaces) gone."""
    return _NOT_DIGIT.sub("", digits_only(text))


def vote_digits(
    reads: Sequence[OcrText], length: int = RRN_DIGITS, min_reads: int = MIN_READS
) -> DigitVote | None:
    """The per-position vote of the reads with exactly ``length`` digits, or None with fewer than
    ``min_reads`` such reads. Each read weighs its confidence (plus a small floor)."""
    aligned = [(digits, READ_FLOOR + max(0.0, read.confidence))
               for read in reads if len(digits := digit_string(read.text)) == length]  # fmt: skip
    if len(aligned) < min_reads:
        return None
    total = sum(weight for _, weight in aligned)
    winners, weakest = [], 1.0
    for position in range(length):
        tally: dict[str, float] = {}
        for digits, weight in aligned:
            tally[digits[position]] = tally.get(digits[position], 0.0) + weight
        digit, weight = max(tally.items(), key=lambda item: (item[1], item[0]))
        winners.append(digit)
        weakest = min(weakest, weight / total)
    return DigitVote("".join(winners), round(weakest, 4), len(aligned))
