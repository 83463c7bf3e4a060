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


def test_units_in_the_language_of_the_screen() -> None:
    from ui.widgets.keypad import format_won_english, with_unit

    assert with_unit(14, "개월") == "14개월" and with_unit(45, "일") == "45일"
    assert with_unit(14, "months") == "14 months" and with_unit(45, "days") == "45 days"
    assert with_unit(1200, "") == "1,200"
    assert format_won_english(24_000_000) == "₩24,000,000"


@given(st.integers(min_value=0, max_value=10**12))
def test_english_money_round_trips(won: int) -> None:
    from ui.widgets.keypad import format_won_english

    text = format_won_english(won)
    assert text.startswith("₩") and int(text[1:].replace(",", "")) == won


def test_the_keypad_shows_english_money_in_english_mode(qtbot: QtBot) -> None:
    from ui.i18n import LanguageSwitch

    pad = AmountKeypad("amount")
    qtbot.addWidget(pad)
    for key in "2400":
        pad.keys[key].click()
    assert pad.display.text() == "2,400만원"
    switch = LanguageSwitch()
    switch.set_language("en")
    try:
        qtbot.waitUntil(lambda: pad.display.text() == "₩24,000,000")
        assert pad.unit_manwon.text() == "In 10,000 won"
    finally:
        switch.set_language("ko")
    qtbot.waitUntil(lambda: pad.display.text() == "2,400만원")
