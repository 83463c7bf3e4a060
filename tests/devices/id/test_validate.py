"""Field parsers for OCR text: RRN (birth date and century digit agree), dates, licence numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.id.image.fallback import find_fields
from devices.id.image.validate import parse_date, parse_license_number, parse_name, parse_rrn_text
from devices.id.model import DocumentKind

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("900101-1234567", "9001011234567"),
        ("9OO1O1-1234567", "9001011234567"),  # O read for 0
        ("900101 - 2234567", "9001012234567"),
        ("050729-3785915", "0507293785915"),
    ],
)
def test_rrn_from_ocr_text(text: str, digits: str) -> None:
    rrn = parse_rrn_text(text, TODAY)
    assert rrn is not None and rrn.digits == digits


@pytest.mark.parametrize(
    "text",
    [
        "901301-1234567",  # month 13
        "900101-9234567",  # gender digit 9
        "300101-3234567",  # 2030: birth in the future for century digit 3
        "900101-123456",  # too short
        "",
    ],
)
def test_invalid_rrns_are_refused(text: str) -> None:
    assert parse_rrn_text(text, TODAY) is None


def test_century_digit_decides_the_birth_year() -> None:
    old = parse_rrn_text("050729-1785915", TODAY)
    young = parse_rrn_text("050729-3785915", TODAY)
    assert old is not None and old.birth_date == date(1905, 7, 29)
    assert young is not None and young.birth_date == date(2005, 7, 29)


def test_dates_must_be_plausible() -> None:
    born = date(1990, 1, 1)
    assert parse_date("2020. 3. 15.", born, TODAY) == date(2020, 3, 15)
    assert parse_date("2020.03.15", born, TODAY) == date(2020, 3, 15)
    assert parse_date("1985. 3. 15.", born, TODAY) is None  # issued before birth
    assert parse_date("2031. 3. 15.", born, TODAY) is None  # in the future
    assert parse_date("2020. 2. 30.", born, TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11-20-123456-78", "11-20-123456-78"),
        ("1I-2O-123456-78", "11-20-123456-78"),
        ("11 20 123456 78", "11-20-123456-78"),
        ("99-20-123456-78", None),  # no such region code
        ("11-20-12345-78", None),
    ],
)
def test_licence_numbers(text: str, expected: str | None) -> None:
    assert parse_license_number(text) == expected


def test_names() -> None:
    assert parse_name("정 현 재 ( 혜 빨 랬 )") == "정현재"
    assert parse_name("홍길동") == "홍길동"
    assert parse_name("1234") is None
    # the address line, read where no layout said which line is which: 경 is a surname, 경기도 a province
    assert parse_name("경기도 수원시 팔달구 효원로 12") is None
    assert parse_name("서울특별시 종로구") is None
    assert parse_name("경기수 (景基洙)") == "경기수"  # a name that merely starts like one


def test_layout_free_fields_from_block_text() -> None:
    text = "\n".join(
        [
            "주민등록증",
            "홍길동(洪吉東)",
            "900101-1234567",
            "서울특별시 종로구 세종대로 209",
            "2019. 5. 3.",
            "서울특별시 종로구청장",
        ]
    )
    fields = find_fields(text, TODAY)
    assert fields.kind is DocumentKind.RESIDENT_CARD
    assert fields.name == "홍길동"
    assert fields.rrn is not None and fields.rrn.digits == "9001011234567"
    assert fields.issue_date == date(2019, 5, 3)
    licence = find_fields("자동차운전면허증\n11-19-123456-78\n김영희\n850202-2345678\n2019.05.03", TODAY)
    assert licence.kind is DocumentKind.DRIVER_LICENSE
    assert licence.license_number == "11-19-123456-78" and licence.name == "김영희"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_parsers_never_crash_on_any_text(text: str) -> None:
    parse_rrn_text(text, TODAY)
    parse_date(text, None, TODAY)
    parse_license_number(text)
    parse_name(text)
    find_fields(text, TODAY)


@settings(max_examples=100, deadline=None)
@given(
    region=st.integers(11, 28).filter(lambda r: r != 27),
    year=st.integers(0, 99),
    serial=st.integers(0, 999_999),
    check=st.integers(0, 99),
)
def test_licence_number_round_trip(region: int, year: int, serial: int, check: int) -> None:
    number = f"{region}-{year:02d}-{serial:06d}-{check:02d}"
    assert parse_license_number(f"면허번호 {number} ") == number


@settings(max_examples=100, deadline=None)
@given(st.dates(date(1920, 1, 1), date(2019, 12, 31)), st.sampled_from("1234"), st.integers(0, 999_999))
def test_rrn_round_trip(born: date, gender: str, rest: int) -> None:
    if (born.year >= 2000) != (gender in "34"):
        return
    text = f"{born:%y%m%d}-{gender}{rest:06d}"
    rrn = parse_rrn_text(text, TODAY)
    assert rrn is not None and rrn.birth_date == born
