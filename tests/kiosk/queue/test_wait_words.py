"""The one wording of a wait (kiosk.queue.waits.wait_words): "바로 차례예요" when nobody is ahead, never
"앞에 0명 · 약 0분"; the same words on the hub's estimate, the ticket screen and the printed slip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.queue.waits import WaitEstimate, wait_words


@pytest.mark.parametrize(
    ("ahead", "minutes", "korean", "english"),
    [
        (0, 0, "바로 차례예요", "You're next"),
        (0, 15, "바로 차례예요", "You're next"),  # nobody ahead: the pace does not matter
        (3, 12, "앞에 3명 · 약 12분 기다려요", "People ahead of you: 3 · about 12 min wait"),
        (2, 0, "앞에 2명 있어요", "People ahead of you: 2"),  # no estimate yet: only how many
        (-1, -5, "바로 차례예요", "You're next"),  # a bad count never reads as "-1명"
    ],
)
def test_the_wait_in_words(ahead: int, minutes: int, korean: str, english: str) -> None:
    assert wait_words(ahead, minutes) == korean
    assert wait_words(ahead, minutes, english=True) == english


def test_the_estimate_uses_the_same_words() -> None:
    assert WaitEstimate(0, 20.0, True).text_ko() == "바로 차례예요"
    assert WaitEstimate(0, 20.0, True).text_en() == "You're next"
    assert WaitEstimate(2, 7.5, False).text_ko() == "앞에 2명 · 약 15분 기다려요"


@given(st.integers(min_value=-(10**6), max_value=10**6), st.integers(min_value=-(10**6), max_value=10**6))
def test_no_wait_reads_as_zero_people_or_zero_minutes(ahead: int, minutes: int) -> None:
    korean, english = wait_words(ahead, minutes), wait_words(ahead, minutes, english=True)
    assert not korean.startswith("앞에 0명") and "약 0분" not in korean and "-" not in korean
    assert "about 0 min" not in english and ": 0" not in english and "-" not in english
    assert not any("가" <= ch <= "힣" for ch in english)  # one language per text
    assert (korean == "바로 차례예요") is (ahead <= 0) is (english == "You're next")
