"""Issue 15: a name line that Tesseract's block layout cut in two is read again as one line, and a
read that validates nothing stops at its budget. Cards come from the TUNING split only."""

from __future__ import annotations

import pytest

from devices.id.emulators.samples import card_samples
from devices.id.image.ocr import split_line
from devices.id.image.pipeline import CardImagePipeline, ImageReadOptions
from devices.id.image.tesseract import Word
from devices.id.model import IdError


def _word(text: str, left: int, top: int, height: int, line: int) -> Word:
    return Word(text, 0.9, left, top, 20, height, (1, 1, line))


def test_words_one_above_the_other_on_two_lines_are_a_split_line() -> None:
    # what psm 6 made of "김동" in a wide-spaced face: the syllables' tops, then their final consonants
    tops = [_word("길", 14, 33, 15, 1), _word("돋", 51, 33, 15, 1)]
    assert split_line([*tops, _word("=", 16, 50, 9, 2)])
    assert not split_line(tops)  # one line: as read
    assert not split_line([])
    # two lines side by side (a caption Tesseract put on a line of its own) are not one above the other
    assert not split_line([_word("성명", 0, 36, 12, 1), _word("김동", 60, 30, 26, 2)])


def _wide_spaced_name_card():  # type: ignore[no-untyped-def]
    """The tuning card where the stacked read said 길동 for 김동 (UnDinaru on the 1999 licence)."""
    sample = card_samples("clean", 38, split="tuning", seed=11)[37]
    assert not sample.held_out and sample.font.name == "UnDinaru" and sample.identity.name == "김동"
    return sample


def test_a_name_whose_syllables_were_cut_at_their_final_consonants_is_read_right() -> None:
    sample = _wide_spaced_name_card()
    document = CardImagePipeline().read(sample.render())
    assert (document.name, document.rrn) == (sample.identity.name, sample.identity.rrn)


@pytest.fixture(scope="module")
def washed_out():  # type: ignore[no-untyped-def]
    sample = card_samples("washout", 3, split="tuning", seed=5)[2]
    assert not sample.held_out
    assert sample.perturbation.glare_field == "rrn"  # no RRN validates: other outlines are worth a read
    return sample.render()


def test_a_card_whose_rrn_was_read_is_refused_without_reading_other_outlines() -> None:
    # the glare burns out the name; the RRN validates, so the best outline is the card: the runner-up
    # outlines (no other card there) are not read however much time is left
    sample = card_samples("washout", 3, split="tuning", seed=15)[2]
    assert not sample.held_out and sample.perturbation.glare_field == "name"
    assert (sample.design.name, sample.font.name) == ("rc-2013", "NanumSquare")  # its RRN is readable
    frame = sample.render()
    with pytest.raises(IdError) as patient:
        CardImagePipeline(ImageReadOptions(read_budget_s=30.0)).read(frame)
    with pytest.raises(IdError) as hurried:
        CardImagePipeline(ImageReadOptions(read_budget_s=0.0)).read(frame)
    assert patient.value.code == hurried.value.code == "glare"
    assert patient.value.candidates_tried == hurried.value.candidates_tried


def test_a_read_out_of_budget_refuses_without_turning_the_card_or_trying_other_outlines(washed_out) -> None:  # type: ignore[no-untyped-def]
    # a budget with room (the default's 0.7 s of CPU is spent by the first outline on a busy machine,
    # where CPU time grows too): the card turned over, other outlines
    with pytest.raises(IdError) as patient:
        CardImagePipeline(ImageReadOptions(read_budget_s=30.0)).read(washed_out)
    with pytest.raises(IdError) as hurried:
        CardImagePipeline(ImageReadOptions(read_budget_s=0.0)).read(washed_out)
    # the same cause for the person, found with fewer reads
    assert hurried.value.code == patient.value.code
    assert 0 < hurried.value.candidates_tried < patient.value.candidates_tried
