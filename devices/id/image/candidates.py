"""Candidate reads of one field, and the choice between them by validation.

Every read (a variant of a line through Tesseract) that parses into a valid value casts a vote for
it. A value's score is the confidence its reads carry plus the evidence the card gives for it:

- RRN: the birth date agrees with a birth date read elsewhere on the card; an issue date at least 16
  years after the birth date (cards and licences are issued from 17 and 16); the old check digit when
  it passes (numbers issued since October 2020 have none, so a failure says nothing);
- name: a surname from the national statistics (a name without one is never returned), 2–5
  syllables;
- licence number: a region code from the table (a parse condition) and a year pair that matches the
  issue date.

A field is *settled* when two independent variants agree (or one strongly evidenced read stands
alone): then the pipeline stops reading it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from db.pii import RRN, InvalidRRN, parse_rrn
from devices.id.image.digit_vote import DigitVote, vote_digits
from devices.id.image.ocr import OcrText
from devices.id.image.validate import (
    SURNAMES,
    has_known_surname,
    parse_date,
    parse_license_number,
    parse_name,
    rrn_candidates,
    rrn_check_digit_ok,
)

ISSUE_MIN_AGE = 16
VOTED = "voted"  # the source of a per-digit vote's read
# the weakest digit's share a vote of four or more reads needs. On 240 tuning cards (seeds 101, 202,
# votes taken after every pass) the right numbers no read had settled voted 0.53-0.59 and the wrong
# ones 0.57-0.73: no share separates them, which is why voting is off by default (loader.py)
VOTE_MIN = 0.5
SINGLE_READ_MIN = 0.7
MULTI_READ_MIN = 0.3  # agreeing reads all below this are what a faint line gives: not believed alone


@dataclass
class Candidate:
    value: str
    reads: list[OcrText] = field(default_factory=list)
    evidence: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def votes(self) -> int:
        return len({read.source for read in self.reads})

    @property
    def score(self) -> float:
        return sum(read.confidence for read in self.reads) + self.evidence

    @property
    def confidence(self) -> float:
        """0..1 for the result: the best read's confidence, raised by agreement and evidence."""
        best = max((read.confidence for read in self.reads), default=0.0)
        return min(1.0, best * (0.8 + 0.1 * min(self.votes, 2)) + 0.1 * min(self.evidence, 1.0))

    @property
    def source(self) -> str:
        best = max(self.reads, key=lambda read: read.confidence)
        return best.source


class Ballot:
    """The votes for one field. ``parse`` turns OCR text into zero or more valid values."""

    def __init__(self, name: str, parse: Callable[[str], list[str]],
                 evidence: Callable[[str], tuple[float, list[str]]] | None = None,
                 valid: Callable[[str], bool] | None = None) -> None:  # fmt: skip
        self.name = name
        self.parse = parse
        self.evidence = evidence
        self.valid = valid  # what a value must satisfy to be returned at all (else: keep reading)
        self.candidates: dict[str, Candidate] = {}
        self.reads_tried = 0
        self.seen: list[OcrText] = []  # every read, valid or not: the per-digit vote's inputs

    def add(self, read: OcrText) -> None:
        self.reads_tried += 1
        if read.source != VOTED:
            self.seen.append(read)
        self._add(read)

    def _add(self, read: OcrText) -> None:
        for value in self.parse(read.text):
            candidate = self.candidates.get(value)
            if candidate is None:
                candidate = self.candidates[value] = Candidate(value)
                if self.evidence is not None:
                    candidate.evidence, candidate.notes = self.evidence(value)
            if read.source not in {r.source for r in candidate.reads}:
                candidate.reads.append(read)

    def vote_digits(self, length: int, min_confidence: float = VOTE_MIN) -> DigitVote | None:
        """Align the reads of ``length`` digits and vote per position (``digit_vote``). A vote
        agreed well enough (``min_confidence``) that validates counts as one more read, named
        ``voted`` — but only for a value some read already gave, or when no read validated at all:
        a validating read is never outvoted by reads that did not validate. Called again after
        each pass, it replaces its earlier vote."""
        for candidate in list(self.candidates.values()):
            candidate.reads = [read for read in candidate.reads if read.source != VOTED]
            if not candidate.reads:
                del self.candidates[candidate.value]
        distinct = list({(read.text, read.confidence): read for read in self.seen}.values())
        vote = vote_digits(distinct, length)
        if vote is None or vote.confidence < min_confidence:
            return None
        values = self.parse(vote.digits)
        if not values or (self.candidates and values[0] not in self.candidates):
            return None
        self._add(OcrText(vote.digits, vote.confidence, VOTED))
        return vote

    def refresh_evidence(self) -> None:
        if self.evidence is None:
            return
        for candidate in self.candidates.values():
            candidate.evidence, candidate.notes = self.evidence(candidate.value)

    def ranked(self) -> list[Candidate]:
        return sorted(self.candidates.values(), key=lambda c: (c.score, c.votes), reverse=True)

    def best(self) -> Candidate | None:
        """The leading value that validates, if it is believable: agreed by two variants, or read
        once with a confidence a washed-out field never gets (burnt-out strokes read as a valid but
        wrong value at 0.0–0.3)."""
        ranked = [c for c in self.ranked() if self.valid is None or self.valid(c.value)]
        if not ranked:
            return None
        best = ranked[0]
        strongest = max(read.confidence for read in best.reads)
        if best.evidence >= 0 and any(read.source == VOTED for read in best.reads):
            return best  # the reads' per-digit vote agreed on it (and only kept when it did, firmly)
        if best.votes >= 2 and (strongest >= MULTI_READ_MIN or "check_digit" in best.notes):
            return best  # agreed; but variants of one faint or scrawled line agree on misreads too
        if best.evidence >= 0 and strongest >= SINGLE_READ_MIN:
            return best  # one read, nothing against it and read with some confidence
        return None

    def settled(self, strong_alone: float = 2.0) -> bool:
        ranked = self.ranked()
        if not ranked:
            return False
        best = ranked[0]
        if best.evidence < 0:
            return False  # e.g. a name whose surname is nobody's: worth more variants
        rival = ranked[1].votes if len(ranked) > 1 else 0
        if best.votes >= 2 and best.votes > rival:
            return True
        return rival == 0 and best.score >= strong_alone


@dataclass
class CardEvidence:
    """What the rest of the card says about a field: dates read elsewhere."""

    today: date | None = None
    issue_date: date | None = None
    other_dates: list[date] = field(default_factory=list)

    def rrn_evidence(self, value: str) -> tuple[float, list[str]]:
        rrn = _rrn(value, self.today)
        if rrn is None:
            return 0.0, []
        score, notes = 0.0, list[str]()
        if rrn_check_digit_ok(rrn.digits):
            score, notes = score + 0.6, [*notes, "check_digit"]
        if rrn.birth_date in self.other_dates:
            score, notes = score + 1.0, [*notes, "birth_date_printed"]
        if self.issue_date is not None:
            if _years_between(rrn.birth_date, self.issue_date) >= ISSUE_MIN_AGE:
                score, notes = score + 0.3, [*notes, "issue_after_16"]
            else:
                score, notes = score - 0.8, [*notes, "issued_too_young"]
        return score, notes

    def license_evidence(self, value: str) -> tuple[float, list[str]]:
        if self.issue_date is not None and value[3:5] == f"{self.issue_date.year % 100:02d}":
            return 0.5, ["year_matches_issue"]
        return 0.0, []


def name_evidence(value: str) -> tuple[float, list[str]]:
    long_name = len(value) >= 4 and value[:2] not in SURNAMES  # 4–5 syllables: rare but for 남궁…
    if has_known_surname(value):
        return (-0.1, ["known_surname", "long"]) if long_name else (0.6, ["known_surname"])
    return -0.3, []


def _years_between(born: date, later: date) -> int:
    return later.year - born.year - ((later.month, later.day) < (born.month, born.day))


def _rrn(value: str, today: date | None) -> RRN | None:
    try:
        return parse_rrn(value, today)
    except InvalidRRN:
        return None


def rrn_ballot(evidence: CardEvidence) -> Ballot:
    def parse(text: str) -> list[str]:
        return [rrn.hyphenated for rrn in rrn_candidates(text, evidence.today)]

    return Ballot("rrn", parse, evidence.rrn_evidence)


def name_ballot() -> Ballot:
    def parse(text: str) -> list[str]:
        name = parse_name(text)
        return [name] if name else []

    # A name whose first syllable is no surname in the statistics is a misread (황→항, 문→운) far
    # more often than a rare surname: never returned, so the person is asked again (or types it)
    return Ballot("name", parse, name_evidence, has_known_surname)


def license_ballot(evidence: CardEvidence) -> Ballot:
    def parse(text: str) -> list[str]:
        number = parse_license_number(text)
        return [number] if number else []

    return Ballot("license_number", parse, evidence.license_evidence)


def date_ballot(evidence: CardEvidence) -> Ballot:
    """Dates are parsed without the birth date; which one is the issue date is chosen at the end."""

    def parse(text: str) -> list[str]:
        value = parse_date(text, None, evidence.today)
        return [value.isoformat()] if value else []

    return Ballot("issue_date", parse)
