"""The screenshot tour's consult path: the scripted visitor's taps are counted and written down, and a
number question answered with one range tap is shown with that range selected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lobby-e2e")]


def test_the_tour_writes_its_tap_count_and_shows_a_range_answer(
    make_lobby: Any, emulated: Any, tmp_path: Path
) -> None:
    from ui.lobby.tour import run_tour

    services, _ctx = emulated
    window = make_lobby(services, kiosk_mode=False)
    wanted = {"06-needs-range", "07-results", "08-ticket"}  # the pictures this test looks for, no more
    shots = run_tour(window, tmp_path, language="ko", variants=False, only=wanted)
    report = json.loads((tmp_path / "ko-consult-taps.json").read_text(encoding="utf-8"))
    assert report["language"] == "ko"
    # one tap per single answer (a range too), one amount typed (the new borrowing; the whole debt is
    # then a range): issue 16's target of 25, from the 46 taps the keypad and 다음 took
    assert 0 < report["consult_taps"] <= 25
    assert 0 < report["questions_asked"] <= 9
    names = {path.name for path in shots if path.exists()}
    assert names == {"ko-06-needs-range.png", "ko-07-results.png", "ko-08-ticket.png"}
