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
    shots = run_tour(window, tmp_path, language="ko", variants=False)
    report = json.loads((tmp_path / "ko-consult-taps.json").read_text(encoding="utf-8"))
    assert report["language"] == "ko"
    # one tap per single answer (a range too): far under the 46 taps the keypad and 다음 took
    assert 0 < report["consult_taps"] <= 32
    assert 0 < report["questions_asked"] <= 10
    names = {path.name for path in shots}
    assert {"ko-06-needs-range.png", "ko-07-results.png", "ko-08-ticket.png"} <= names
