"""Dates on ID cards are judged against the Korean date: at 08:59 KST a UTC machine is still on the day
before, and a baby born today, a card issued today or a birthday today must count as today."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from db.pii import InvalidRRN, parse_rrn
from devices.id.image.mrz import parse_yymmdd
from devices.id.image.validate import plausible_date
from devices.id.manual import manual_document
from devices.id.model import IdError

KST = ZoneInfo("Asia/Seoul")
BEFORE_NINE = datetime(2026, 12, 2, 8, 59, tzinfo=KST)  # 2026-12-01 23:59 in UTC
TODAY, TOMORROW = date(2026, 12, 2), date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _before_nine_in_seoul() -> object:
    with time_machine.travel(BEFORE_NINE, tick=False) as traveller:
        yield traveller


def test_a_baby_born_today_in_korea_has_a_valid_rrn() -> None:
    assert parse_rrn("261202-3123456").birth_date == TODAY
    with pytest.raises(InvalidRRN):
        parse_rrn("261203-3123456")  # tomorrow is still the future


def test_a_birth_date_typed_as_today_is_accepted() -> None:
    assert manual_document("홍길동", TODAY, "010-1234-5678").birth_date == TODAY
    with pytest.raises(IdError):
        manual_document("홍길동", TOMORROW, "010-1234-5678")


def test_a_card_issued_today_is_plausible() -> None:
    assert plausible_date(TODAY, born=date(1980, 1, 1))
    assert not plausible_date(TOMORROW, born=date(1980, 1, 1))


def test_a_passport_birth_date_of_new_years_day_is_this_century() -> None:
    # On 1 January before 09:00 KST the UTC year is still the old one: "270101" must not become 1927.
    with time_machine.travel(datetime(2027, 1, 1, 8, 59, tzinfo=KST), tick=False):
        assert parse_yymmdd("270101", future_ok=False) == date(2027, 1, 1)


def test_the_age_counts_a_birthday_that_is_today_in_korea() -> None:
    from ui.lobby.screens.identify import age_from_birth

    draft = SimpleNamespace(document=SimpleNamespace(birth_date=date(1956, 12, 2)), manual={})
    assert age_from_birth(draft) == 70  # on a UTC date it would still be 69
