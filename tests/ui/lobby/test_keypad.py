"""The amount keypad: what a visitor presses is what is stored, shown in 만원."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from ui.widgets.keypad import MAX_DIGITS, AmountKeypad, format_manwon


def test_format_manwon() -> None:
    assert format_manwon(32_000_000) == "3,200만원"
    assert format_manwon(35_000) == "3만 5,000원"
    assert format_manwon(5_000) == "5,000원"
    assert format_manwon(0) == "0만원"


@given(st.integers(min_value=0, max_value=10**12))
def test_format_manwon_round_trips(won: int) -> None:
    text = format_manwon(won)
    if "만" in text:
        head, _, tail = text.partition("만")
        rest = tail.replace("원", "").strip().replace(",", "")
        assert int(head.replace(",", "")) * 10_000 + int(rest or 0) == won
    else:
        assert int(text.replace(",", "").replace("원", "")) == won


def test_pressing_keys_gives_won(qtbot: QtBot) -> None:
    pad = AmountKeypad("amount")
    qtbot.addWidget(pad)
    for key in "3200":
        pad.keys[key].click()
    assert pad.value == 32_000_000
    assert pad.display.text() == "3,200만원"
    pad.unit_cheonwon.click()
    assert pad.value == 3_200_000
    pad.keys["back"].click()
    assert pad.value == 320_000
    pad.keys["clear"].click()
    assert not pad.has_value


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([*"0123456789", "back", "clear"]), max_size=25))
def test_random_presses_never_break_the_keypad(qtbot: QtBot, keys: list[str]) -> None:
    pad = AmountKeypad("count")
    qtbot.addWidget(pad)
    for key in keys:
        pad.press(key)
    assert 0 <= pad.value < 10**MAX_DIGITS
    assert pad.display.text()  # always says something
