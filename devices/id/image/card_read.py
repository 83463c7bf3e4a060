"""Reading the field lines of one corrected card in passes of candidate variants, stopping early.

Pass 1 is one stacked Tesseract run over every field line (name and RRN in two variants each, so
two reads can already agree). Pass 2 runs only for fields not yet settled: a digits-only English run
(RRN, licence number, date) and a Korean run (name) at once, on other binarisations and scales.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from db.pii import RRN
from devices.id.image import hanja_name, tess_api
from devices.id.image.candidates import (
    Ballot,
    Candidate,
    CardEvidence,
    date_ballot,
    license_ballot,
    name_ballot,
    rrn_ballot,
)
from devices.id.image.digit_vote import RRN_DIGITS
from devices.id.image.glyph_digits import LICENSE_PARTS, RRN_PARTS, read_number
from devices.id.image.ocr import FLAT, Box, OcrText, StackedRead, Variant, prepare_box
from devices.id.image.validate import has_known_surname, parse_name, parse_serial

DIGITS = "0123456789-"
# Pass 1 reads numbers with the Korean model (whitelisted to digits): it loads in ~35 ms of CPU where
# the English model takes ~110 ms, and model loads are most of what a card costs. Pass 2, run only
# for what pass 1 left unsettled, uses the English model: a second model errs differently. (Measured
# on 96 tuning cards: 91 right and 0 wrong this way round, 89 right and 3 wrong the other way.)
PASS1_DIGITS_LANG = "kor"
DIGITS_LANG = "eng"
DATE_CHARS = "0123456789. "
PASS2_DIGITS = (Variant("adaptive"), Variant("clahe"), Variant("flat", 0.8), Variant("grey", 1.25))
PASS2_NAME = (Variant("adaptive"), Variant("clahe"), Variant("flat", 0.8), Variant("flat", 1.25),
              Variant("grey", 1.25))  # fmt: skip
NUMERIC = ("rrn", "license_number", "date")
CARRIED = ("rrn", "license_number", "date")
CROSS_RRN = ("hangul_name",)  # lines whose reads may hold the RRN when the print is shifted
_RRN_SHAPED = re.compile(r"\d{5}[\d\s]*[-.~—–_]?\s*\d{5}")
# two variants of the name and the RRN in pass 1, at two glyph sizes: one model's misreads depend on
# the size, so agreement across sizes is evidence where two binarisations at one size agree on a
# misread as often as not
PASS1_PAIR = (FLAT, Variant("grey", 0.8))
# the number lines the glyph reader (glyph_digits) also reads, with their digits per dash-separated part,
# and the prepared variants it reads them in: a second recogniser's vote beside Tesseract's
GLYPH_PARTS = {"rrn": RRN_PARTS, "license_number": LICENSE_PARTS}
GLYPH_VARIANTS = frozenset({FLAT, Variant("grey", 1.25)})
GLYPH_SOURCE = "glyph"
# below the confidence a lone read needs (candidates.SINGLE_READ_MIN): a glyph read is believed only
# where another read agrees (on tuning cards lone glyph reads of blurred lines were wrong numbers)
GLYPH_MAX_CONFIDENCE = 0.6
# the name line read by the Traditional Chinese model for the hanja after the name (hanja_name)
HANJA_VARIANTS = (FLAT, Variant("grey", 1.25))
HANJA_LINE = "hanja"
HANJA_SOURCE = "hanja"


@dataclass(frozen=True)
class FieldLine:
    kind: str  # hangul_name, rrn, date, license_number, serial
    box: Box
    font_px: int


@dataclass
class CardRead:
    card: np.ndarray
    lines: list[FieldLine]
    lang: str = "kor"
    today: date | None = None
    evidence: CardEvidence = field(init=False)
    ballots: dict[str, Ballot] = field(init=False)
    serial: str = ""
    passes: list[str] = field(default_factory=list)
    vote: bool = False  # per-digit voting across the RRN reads (ImageReadOptions.vote_digits)
    hanja: bool = False  # read the hanja after the name as a witness (resident cards print them)
    glyphs: bool = True  # the glyph reader's second opinion on the numbers (not on tiny cards)
    hanja_reads: list[OcrText] = field(default_factory=list)  # the name line through chi_tra

    def __post_init__(self) -> None:
        self.evidence = CardEvidence(self.today)
        self.ballots = {
            "hangul_name": name_ballot(),
            "rrn": rrn_ballot(self.evidence),
            "license_number": license_ballot(self.evidence),
            "date": date_ballot(self.evidence),
        }

    # ---- what is known ----------------------------------------------------------------------------
    def best(self, kind: str) -> Candidate | None:
        return self.ballots[kind].best()

    def wants(self, kind: str) -> bool:
        return any(line.kind == kind for line in self.lines)

    def settled(self) -> bool:
        return all(self.ballots[k].settled() for k in ("hangul_name", "rrn") if self.wants(k))

    def found_anything(self) -> bool:
        """A believable name or RRN, or any RRN-shaped read that validates (a weak read is worth
        pass 2's other binarisations before the layout is given up)."""
        return bool(self.ballots["rrn"].candidates) or any(
            self.ballots[k].best() is not None for k in ("hangul_name", "rrn")
        )

    @property
    def candidates_tried(self) -> int:
        return sum(ballot.reads_tried for ballot in self.ballots.values())

    # ---- passes -----------------------------------------------------------------------------------
    def pass1(self) -> None:
        """Two runs at once: the Korean model on the name (and the serial), the English model with a
        digits whitelist on the numbers — different models err differently, so their agreement is
        worth more than two variants through one model."""
        words: list[tuple[FieldLine, Variant]] = []
        numbers: list[tuple[FieldLine, Variant]] = []
        for line in self.lines:
            variants = PASS1_PAIR if line.kind in ("hangul_name", "rrn") else (FLAT,)
            target = numbers if line.kind in NUMERIC else words
            target.extend((line, variant) for variant in variants)
        runs = []
        if words:
            runs.append(self._start(words, self.lang, "", "p1k"))
        if numbers:
            runs.append(self._start(numbers, PASS1_DIGITS_LANG, DIGITS + ". ", "p1d"))
        hanja_jobs = self._hanja_jobs()
        if hanja_jobs:
            runs.append(self._start(hanja_jobs, hanja_name.HANJA_LANG, "", "p1h"))
        self._run(runs)
        self.passes.append("p1")

    def _hanja_jobs(self) -> list[tuple[FieldLine, Variant]]:
        """The name line through the Traditional Chinese model, once per card read."""
        if not self.hanja or self.hanja_reads or not tess_api.model_installed(hanja_name.HANJA_LANG):
            return []
        names = [line for line in self.lines if line.kind == "hangul_name"][:1]
        return [(replace(line, kind=HANJA_LINE), variant) for line in names for variant in HANJA_VARIANTS]

    def missing_numbers(self) -> bool:
        """A licence number or a date the card has but pass 1 did not read."""
        return any(self.wants(k) and self.ballots[k].best() is None for k in ("license_number", "date"))

    def pass2(self, names: bool = True) -> None:
        digit_jobs = [
            (line, variant)
            for line in self.lines
            if line.kind in NUMERIC and self._unsettled(line.kind) and (names or line.kind != "rrn")
            for variant in (PASS2_DIGITS if line.kind == "rrn" else PASS2_DIGITS[:2])
        ]
        name_jobs = [
            (line, variant)
            for line in self.lines
            if names and line.kind == "hangul_name" and self._unsettled("hangul_name")
            for variant in PASS2_NAME
        ]
        hanja_jobs = self._hanja_jobs() if name_jobs else []
        runs = []
        if digit_jobs:
            runs.append(self._start(digit_jobs, DIGITS_LANG, DIGITS + ". ", "p2d"))
        if name_jobs:
            runs.append(self._start(name_jobs, "kor", "", "p2k"))
        if hanja_jobs:
            runs.append(self._start(hanja_jobs, hanja_name.HANJA_LANG, "", "p2h"))
        self._run(runs)
        self.passes.append("p2")

    def add_reads(self, kind: str, reads: list[OcrText]) -> None:
        """Reads made elsewhere (the layout-free survey) count as votes too."""
        for read in reads:
            self._vote(kind, read)

    def _unsettled(self, kind: str) -> bool:
        if kind in ("date", "license_number"):
            return self.ballots[kind].best() is None
        return not self.ballots[kind].settled()

    def _start(self, jobs: list[tuple[FieldLine, Variant]], lang: str, whitelist: str,
               tag: str) -> tuple[StackedRead, list[FieldLine]]:  # fmt: skip
        images = [prepare_box(self.card, line.box, line.font_px, variant) for line, variant in jobs]
        sources = [f"{tag}:{variant.label}" for _, variant in jobs]
        stacked = StackedRead(images, sources, lang, 6, whitelist)  # runs on the OCR workers meanwhile
        for (line, variant), image in zip(jobs, images, strict=True):
            if self.glyphs and line.kind in GLYPH_PARTS and variant in GLYPH_VARIANTS:
                # one voter however many variants it read: its errors on two variants of one line
                # go together (a tiny card's blurred 4 is a 1 in both), so they are not two votes
                read = read_number(image, GLYPH_PARTS[line.kind], GLYPH_SOURCE)
                if read is not None:  # a second opinion: believed with another read, never alone
                    capped = min(read.confidence, GLYPH_MAX_CONFIDENCE)
                    self._vote(line.kind, replace(read, confidence=capped))
        return stacked, [line for line, _ in jobs]

    def _run(self, runs: list[tuple[StackedRead, list[FieldLine]]]) -> None:
        for stacked, lines in runs:
            for line, read in zip(lines, stacked.result(), strict=True):
                if line.kind == HANJA_LINE:
                    self.hanja_reads.append(read)
                    continue
                self._vote(line.kind, read)
                if line.kind in CROSS_RRN and _RRN_SHAPED.search(read.text):
                    self._also_rrn(line)
        if self.hanja_reads:  # again after every pass: the Korean reads it weighs have grown
            self._hanja_vote(self.hanja_reads)
        self._cross_check()

    def _hanja_vote(self, reads: list[OcrText]) -> None:
        """The hanja's reading, when every variant read the same hanja name, decides between the
        Korean reads: it votes for a name they gave, and takes the votes of a Korean read one letter
        away (오서지 read, 吳瑞珍 printed: 오서진) or of one whose surname they misread into nobody's
        (항숙 read, 黃淑 printed: 황숙). Never for a name otherwise unlike them: on tuning cards the
        hanja were misread on a third of the lines, into another character, whose reading is unlike."""
        if len(reads) < len(HANJA_VARIANTS):
            return
        others = [hanja_name.readings(read.text) for read in reads[1:]]
        # the usual reading first; a surname nobody has (림 where the register has 임) is no name
        agreed = [
            reading
            for reading in hanja_name.readings(reads[0].text)
            if has_known_surname(reading) and all(reading in readings for readings in others)
        ]
        ballot = self.ballots["hangul_name"]
        korean = [
            (name, seen)
            for seen in ballot.seen
            if HANJA_SOURCE not in seen.source and (name := parse_name(seen.text))
        ]
        # a reading the Korean reads gave as printed comes before one they are a letter from: 柳 is
        # 유 or 류, and a card printing 류 read 류 is not 유 (on tuning cards the usual-first order
        # turned right 류 reads into 유)
        given = {name for name, _ in korean}
        for reading in sorted(agreed, key=lambda reading: reading not in given):
            same = [seen for name, seen in korean if name == reading]
            near = [
                seen
                for name, seen in korean
                if name != reading
                and name not in agreed
                and (
                    hanja_name.one_jamo_apart(name, reading)
                    or (not has_known_surname(name) and hanja_name.surname_misread(name, reading))
                )
            ]
            if not (same or near):
                continue
            # one witness however many variants read it (they err together), worth the Korean read
            # it agrees with: the hanja line's own confidence is mostly its Hangul, misread
            ballot.add(OcrText(reading, max(seen.confidence for seen in same + near), HANJA_SOURCE))
            for seen in near:  # the Korean read, its one letter decided by the hanja
                ballot.add(OcrText(reading, seen.confidence, f"{seen.source}+{HANJA_SOURCE}"))
            return

    def _also_rrn(self, line: FieldLine) -> None:
        """The RRN turned up in another field's box: read that box as numbers in pass 2 too."""
        moved = FieldLine("rrn", line.box, line.font_px)
        if moved not in self.lines:
            self.lines.append(moved)

    def carry(self, other: CardRead) -> None:
        """The number reads of another read of the same card (the layout's, before the layout-free
        read) count here too, under their own sources. Names are not carried: a layout box that
        missed its line holds the address or a caption, and those parse as names."""
        for kind in CARRIED:
            for candidate in other.ballots[kind].candidates.values():
                for read in candidate.reads:
                    self._vote(kind, OcrText(read.text, read.confidence, f"layout/{read.source}"))
        self._cross_check()

    def _vote(self, kind: str, read: OcrText) -> None:
        if kind == "serial":
            self.serial = self.serial or parse_serial(read.text) or ""
        elif kind in self.ballots:
            self.ballots[kind].add(read)
        if kind in CROSS_RRN and _RRN_SHAPED.search(read.text):
            # a card printed a little off its layout puts the RRN in the name's box: thirteen
            # digits that validate are an RRN read wherever they were found
            self.ballots["rrn"].add(OcrText(read.text, read.confidence, f"{read.source}@{kind}"))

    def _cross_check(self) -> None:
        """Dates tell about the RRN and the licence number: refresh their evidence."""
        self.evidence.issue_date = self.issue_date()
        if self.vote:
            self.ballots["rrn"].vote_digits(RRN_DIGITS)
        self.ballots["rrn"].refresh_evidence()
        self.ballots["license_number"].refresh_evidence()

    def issue_date(self) -> date | None:
        """The best-read date after the birth date (the aptitude period is skipped by its place)."""
        rrn = self.ballots["rrn"].best()
        born = birth_date(rrn.value) if rrn else None
        for candidate in self.ballots["date"].ranked():
            value = date.fromisoformat(candidate.value)
            if born is None or value > born:
                return value
        return None


def birth_date(rrn_value: str) -> date:
    """The birth date of an already validated ``YYMMDD-GNNNNNN``."""
    return RRN(rrn_value[:6], rrn_value[7:]).birth_date
