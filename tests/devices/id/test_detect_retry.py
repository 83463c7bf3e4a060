"""When the card's outline is found in the wrong place, the next-best outline is read (issue 15).

Cards come from the TUNING split only (devices/id/emulators/split.py): the held-out faces and
designs are for the bench alone.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.id.emulators.samples import CardSample, card_samples
from devices.id.image import detect
from devices.id.image.detect import detect_candidates, detect_card
from devices.id.image.loader import ImageReadOptions
from devices.id.image.pipeline import MAX_RETRIES, CardImagePipeline
from devices.id.model import IdError


@pytest.fixture(scope="module")
def pipeline() -> CardImagePipeline:
    # What is proved here is which outline is read, not how fast: the kiosk's 0.7 s CPU budget would
    # stop the retry before it starts (this card costs about 2 s of CPU over both outlines), so it is
    # lifted; what the budget costs in reads is measured by `kiosk bench id`.
    return CardImagePipeline(ImageReadOptions(read_budget_s=30.0))


@pytest.fixture(scope="module")
def on_printed_form() -> tuple[CardSample, np.ndarray]:
    """A hard-level shot under a lamp's glare, lying on a printed form (tuning face and design)."""
    on_papers = [s for s in card_samples("hard", 32, split="tuning", seed=3)
                 if s.perturbation.background == "papers"]  # fmt: skip
    sample = on_papers[6]
    assert not sample.held_out
    return sample, sample.render()


def test_a_card_whose_best_outline_is_its_photo_is_read_through_the_retry(
    pipeline: CardImagePipeline,
    on_printed_form: tuple[CardSample, np.ndarray],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample, frame = on_printed_form
    # the blob outlines alone, as before the print-free straight-edge check: the portrait outscores
    # the card on the busy form, so the best outline is far too small (once refused as too_small)
    monkeypatch.setattr(detect, "_takes_over", lambda *_: False)
    best = detect_card(frame)
    assert best is not None and best.area_fraction < 0.15
    doc = pipeline.read(frame)
    assert (doc.kind, doc.name, doc.rrn) == (sample.kind, sample.identity.name, sample.identity.rrn)
    assert doc.extra["outline"] == "2 (runner_up)"  # which outline won is in the candidate info
    assert "outline=2" in doc.extra["candidate"]


def _on_papers(seed: int, index: int) -> CardSample:
    sample = card_samples("hard", index + 1, split="tuning", seed=seed)[index]
    assert not sample.held_out and sample.perturbation.background == "papers" and sample.perturbation.glare
    return sample


@pytest.mark.parametrize(
    ("seed", "index", "before"),
    [
        (3, 26, "the portrait was the best outline"),
        (11, 14, "a patch between glare and print"),
        (11, 26, "the card merged with the page, running off the frame: refused as cut_off"),
    ],
)
def test_a_card_on_a_printed_page_under_glare_is_outlined_by_its_straight_edges(
    seed: int, index: int, before: str
) -> None:
    best = detect_card(_on_papers(seed, index).render())
    # the whole card and nothing but: a quarter to a half of the camera's frame, clear of its edges
    assert best is not None and 0.25 < best.area_fraction < 0.6 and not best.touches_border, before


def test_a_card_found_by_its_straight_edges_reads_on_the_first_outline(pipeline: CardImagePipeline) -> None:
    sample = _on_papers(11, 14)  # Noto Sans CJK KR: refused as invalid_rrn on a patch of the card
    doc = pipeline.read(sample.render())
    assert (doc.name, doc.rrn) == (sample.identity.name, sample.identity.rrn)
    assert doc.extra["outline"] == "1 (best)"


def test_the_straight_edge_check_leaves_a_plain_outline_alone() -> None:
    """A card with a thin black margin (a flatbed crop): the blob outline is whole and inside the
    frame, so the print-free edges are not even looked for — a design's inner frame never wins."""
    sample = next(s for s in card_samples("clean", 16, split="tuning", seed=23)
                  if s.capture == "flatbed-black-margin")  # fmt: skip
    best = detect_card(sample.render())
    assert best is not None and not best.fills_frame and best.area_fraction > 0.75


def test_a_clean_card_reads_on_the_first_outline_with_the_same_reads(pipeline: CardImagePipeline) -> None:
    handwriting = ("UnPilgi", "UnGungseo")  # read less well: the bench measures them, a test does not
    sample = next(s for s in card_samples("clean", 8, split="tuning", seed=1)
                  if s.capture == "flatbed-light" and s.font.name not in handwriting)  # fmt: skip
    frame = sample.render()
    doc = pipeline.read(frame)
    assert (doc.name, doc.rrn) == (sample.identity.name, sample.identity.rrn)
    assert doc.extra["outline"] == "1 (best)"
    located = pipeline.locate(frame)
    alone = pipeline.read_card(located.card, hint=located.hint)  # the read without any retry
    assert doc.candidates_tried == alone.candidates_tried


def test_candidates_are_ranked_with_the_best_first_and_bounded(
    on_printed_form: tuple[CardSample, np.ndarray],
) -> None:
    _, frame = on_printed_form
    ranked = detect_candidates(frame, 1 + MAX_RETRIES)
    best = detect_card(frame)
    assert best is not None
    assert np.allclose(ranked[0].corners, best.corners)  # what read before reads the same way
    assert 2 <= len(ranked) <= 1 + MAX_RETRIES
    assert ranked[-1].fills_frame  # the whole frame as a card (flatbed output) is the last resort
    assert detect_candidates(frame, 1)[0].area_fraction == pytest.approx(best.area_fraction)


def test_a_frame_with_no_card_is_still_no_card(pipeline: CardImagePipeline) -> None:
    grey = np.full((700, 1400, 3), 128, np.uint8)  # not card-shaped either
    assert detect_card(grey) is None and detect_candidates(grey) == []
    with pytest.raises(IdError) as refused:
        pipeline.read(grey)
    assert refused.value.code == "no_card"
    assert refused.value.message_ko  # the person is told in Korean


@settings(max_examples=25, deadline=None)
@given(
    width=st.integers(20, 400),
    height=st.integers(20, 400),
    seed=st.integers(0, 2**16),
    limit=st.integers(1, 4),
    boxes=st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0.05, 1), st.floats(0.05, 1)), max_size=3
    ),
)
def test_any_frame_gives_a_bounded_ranking_that_starts_with_the_best(
    width: int, height: int, seed: int, limit: int, boxes: list[tuple[float, float, float, float]]
) -> None:
    rng = np.random.default_rng(seed)
    frame = cv2.GaussianBlur(rng.integers(0, 256, (height, width, 3), dtype=np.uint8), (0, 0), 3)
    for x, y, w, h in boxes:  # card-like plain rectangles over the noise
        x0, y0 = int(x * width), int(y * height)
        cv2.rectangle(frame, (x0, y0), (x0 + int(w * width), y0 + int(h * height)), (200, 190, 230), -1)
    ranked = detect_candidates(frame, limit)
    assert len(ranked) <= limit
    best = detect_card(frame)
    if best is None:
        assert not ranked or ranked[0].loose
    else:
        assert np.allclose(ranked[0].corners, best.corners)
        assert all(d.corners.shape == (4, 2) for d in ranked)


def test_an_outline_run_off_the_frame_around_a_whole_card_gives_way_to_the_card(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a licence on a printed page under a lamp (tuning face and design): the page's lines merge with
    # the card into an oversized outline running off the frame; the card's own outline lies inside it.
    # With the kiosk's own budget there is time for one outline only, so the whole card is read first.
    sample = next(s for s in card_samples("hard", 60, split="tuning", seed=31) if s.identity.name == "조동호")
    assert not sample.held_out and sample.perturbation.background == "papers"
    frame = sample.render()
    first = detect_candidates(frame)[0]
    assert not first.touches_border
    document = CardImagePipeline().read(frame)
    assert (document.name, document.rrn) == (sample.identity.name, sample.identity.rrn)
    monkeypatch.setattr(detect, "_prefer_whole_card", lambda ranked: ranked)
    assert detect_candidates(frame)[0].touches_border  # the oversized one, as before
    # with no time for a second outline (a busy kiosk), only the oversized one is read: refused
    with pytest.raises(IdError) as refused:
        CardImagePipeline(ImageReadOptions(read_budget_s=0.0)).read(frame)
    assert refused.value.code == "cut_off"
