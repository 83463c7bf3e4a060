"""Per-digit voting across the candidate reads of the RRN (issue 15): reads that each misread a
different digit still give the number; a read that validates is never outvoted by reads that don't."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.id.image.candidates import VOTE_MIN, VOTED, Ballot, CardEvidence, rrn_ballot
from devices.id.image.digit_vote import MIN_READS, RRN_DIGITS, digit_string, vote_digits
from devices.id.image.ocr import OcrText
from devices.id.image.validate import rrn_candidates

TODAY = date(2026, 11, 26)
RIGHT = "821122-1687071"
INVALID = ("901301-1234567", "900141-1234567", "900101-9234567", "900101-0234567", "900100-1234567")


def _reads(*texts: str, confidence: float = 0.6) -> list[OcrText]:
    return [OcrText(text, confidence, f"v{index}") for index, text in enumerate(texts)]


def _ballot(reads: list[OcrText]) -> Ballot:
    ballot = rrn_ballot(CardEvidence(TODAY))
    for read in reads:
        ballot.add(read)
    ballot.vote_digits(RRN_DIGITS)
    return ballot


def test_reads_each_wrong_in_one_digit_vote_to_the_right_number() -> None:
    # a handwriting face: one variant reads it right, every other misreads a different digit (into
    # another valid number, an invalid month or gender digit): no value has two reads behind it
    reads = _reads("821123-1687071", "821122-1681071", "8211 22-1687071", "823122-1687071", "821122-7687071")
    vote = vote_digits(reads)
    assert vote is not None
    assert vote.digits == RIGHT.replace("-", "")
    assert vote.reads == 5
    best = _ballot(reads).best()
    assert best is not None
    assert best.value == RIGHT
    assert VOTED in {read.source for read in best.reads}  # the result says it was voted


def test_a_vote_rescues_a_number_no_read_validated() -> None:
    # month 13, day 41, gender digit 9 or 0, day 0: no read is a valid RRN, the positions agree on one
    reads = _reads(*INVALID, confidence=0.8)
    assert all(not rrn_candidates(read.text, TODAY) for read in reads)
    best = _ballot(reads).best()
    assert best is not None
    assert best.value == "900101-1234567"
    assert best.source == VOTED


def test_a_validating_read_is_never_outvoted_by_invalid_ones() -> None:
    invalid = _reads(*INVALID, confidence=0.9)
    valid = OcrText("850505-2345678", 0.8, "valid")
    ballot = _ballot([*invalid, valid])
    assert "900101-1234567" not in ballot.candidates
    best = ballot.best()
    assert best is not None
    assert best.value == "850505-2345678"


def test_reads_that_disagree_everywhere_are_not_believed() -> None:
    reads = _reads("821122-1687071", "831123-1587071", "721121-1697071", "921124-1687172")
    vote = vote_digits(reads)
    assert vote is not None and vote.confidence < VOTE_MIN
    ballot = _ballot(reads)
    assert all(VOTED not in {r.source for r in c.reads} for c in ballot.candidates.values())


def test_too_few_reads_of_the_right_length_give_no_vote() -> None:
    assert vote_digits(_reads("821122-1687071", "821122-1687071", "821122-1687071")) is None
    assert vote_digits(_reads("821122-168707", "8211221687071 9", "", "주민등록번호")) is None
    assert vote_digits([]) is None


def test_a_later_pass_replaces_the_earlier_vote() -> None:
    ballot = _ballot(_reads(*INVALID, confidence=0.8))
    assert "900101-1234567" in ballot.candidates
    later = ("911301-2234567", "910141-2234567", "911101-2234567", "910101-0234567", "910100-2234567",
             "910101-9234567")  # fmt: skip
    for read in _reads(*later, confidence=0.9):
        ballot.add(OcrText(read.text, read.confidence, "p2:" + read.source))
    ballot.vote_digits(RRN_DIGITS)
    voted = [c.value for c in ballot.candidates.values() if VOTED in {r.source for r in c.reads}]
    assert len(voted) <= 1
    assert "900101-1234567" not in ballot.candidates  # held only by the old vote: gone


_ocr_text = st.text(alphabet="0123456789-. OoIlSB|가", max_size=24)
_reads_strategy = st.lists(
    st.builds(OcrText, _ocr_text, st.floats(min_value=-1.0, max_value=1.0, allow_nan=False), st.just("")),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(_reads_strategy)
def test_the_vote_over_any_reads_is_a_number_their_digits_support(reads: list[OcrText]) -> None:
    vote = vote_digits(reads)
    aligned = [digit_string(read.text) for read in reads if len(digit_string(read.text)) == RRN_DIGITS]
    if vote is None:
        assert len(aligned) < MIN_READS
        return
    assert len(vote.digits) == RRN_DIGITS and vote.digits.isdigit()
    assert 0.0 < vote.confidence <= 1.0
    for position, digit in enumerate(vote.digits):
        assert digit in {digits[position] for digits in aligned}
    if len(set(aligned)) == 1:
        assert vote.digits == aligned[0] and vote.confidence == 1.0


@settings(max_examples=300, deadline=None)
@given(_reads_strategy)
def test_a_vote_never_adds_a_value_beside_validating_reads(reads: list[OcrText]) -> None:
    tagged = [OcrText(read.text, read.confidence, f"v{index}") for index, read in enumerate(reads)]
    ballot = _ballot(tagged)
    from_reads = {rrn.hyphenated for read in tagged for rrn in rrn_candidates(read.text, TODAY)}
    if from_reads:
        assert set(ballot.candidates) <= from_reads
    best = ballot.best()
    assert best is None or rrn_candidates(best.value, TODAY)
