"""The demo's window plan: every window inside the screen's free area, none covering another."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.desk.demo_layout import LOBBY_ASPECT, WINDOWS, Rect, all_apart, plan_layout

SCREENS = {
    "1920x1080": Rect(0, 0, 1920, 1080),
    "1920x1080 under a 28 px panel": Rect(0, 28, 1920, 1052),
    "1366x768": Rect(0, 0, 1366, 768),
    "1366x768 with a dock on the left": Rect(64, 0, 1302, 768),
}


@pytest.mark.parametrize("name", SCREENS)
def test_every_window_is_inside_and_apart(name: str) -> None:
    area = SCREENS[name]
    plan = plan_layout(area)
    assert set(plan) == set(WINDOWS)
    for window, rect in plan.items():
        assert area.contains(rect), f"{window} {rect} leaves {area}"
    assert all_apart(plan) == []


@pytest.mark.parametrize("name", ["1920x1080", "1366x768"])
def test_the_lobby_keeps_its_kiosk_shape_and_the_desk_gets_room(name: str) -> None:
    plan = plan_layout(SCREENS[name])
    lobby = plan["lobby"]
    assert lobby.h == SCREENS[name].h  # the whole height: the largest kiosk that fits
    assert abs(lobby.w / lobby.h - LOBBY_ASPECT) < 0.01
    # The desk is the biggest window after the lobby: a counselor reads dense tables there.
    others = {n: r.w * r.h for n, r in plan.items() if n not in ("lobby", "desk")}
    assert plan["desk"].w * plan["desk"].h > max(others.values())


def test_a_screen_too_small_is_refused_in_words() -> None:
    with pytest.raises(ValueError, match="too small"):
        plan_layout(Rect(0, 0, 600, 380))


def test_overlap_means_sharing_a_pixel() -> None:
    a = Rect(0, 0, 10, 10)
    assert a.overlaps(Rect(9, 9, 5, 5))
    assert not a.overlaps(Rect(10, 0, 5, 5))  # touching edges
    assert not a.overlaps(Rect(0, 10, 5, 5))
    assert all_apart({"a": a, "b": Rect(5, 5, 10, 10)}) == [("a", "b")]


@given(
    x=st.integers(-2000, 2000),
    y=st.integers(-2000, 2000),
    w=st.integers(640, 7680),
    h=st.integers(400, 4320),
)
def test_any_screen_big_enough_gets_a_clean_plan(x: int, y: int, w: int, h: int) -> None:
    area = Rect(x, y, w, h)
    plan = plan_layout(area)
    assert all(area.contains(rect) and rect.w > 0 and rect.h > 0 for rect in plan.values())
    assert all_apart(plan) == []
