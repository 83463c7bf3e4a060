"""Korean mobile numbers as people type them, and everything that is not one (a clear Korean message)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.crypto import KeyRing
from kiosk.sms.numbers import MESSAGE_KO, InvalidMobile, mask_phone, normalize_mobile, phone_blind_index


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("010-1234-5678", "01012345678"),
        ("010 1234 5678", "01012345678"),
        ("01012345678", "01012345678"),
        ("+82 10-1234-5678", "01012345678"),
        ("+82-010-1234-5678", "01012345678"),
        ("+821012345678", "01012345678"),
        ("(010) 1234.5678", "01012345678"),
        ("011-234-5678", "0112345678"),
        ("016-1234-5678", "01612345678"),
        ("019 987 6543", "0199876543"),
    ],
)
def test_the_forms_people_type_become_digits(typed: str, digits: str) -> None:
    assert normalize_mobile(typed) == digits


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("02-1234-5678", "not_mobile_prefix"),  # a landline
        ("1588-0000", "not_mobile_prefix"),
        ("010-1234-567", "wrong_length"),
        ("010-1234-56789", "wrong_length"),
        ("010-0123-4567", "wrong_length"),  # 010 numbers never start their middle with 0
        ("012-1234-5678", "wrong_length"),  # no such prefix
        ("+1 650 555 0100", "foreign_country_code"),
        ("010-abcd-5678", "not_digits"),
        ("０１０１２３４５６７８", "not_digits"),  # full-width digits are not taken silently
    ],
)
def test_what_is_not_a_korean_mobile_gets_the_korean_message(typed: str, code: str) -> None:
    with pytest.raises(InvalidMobile) as caught:
        normalize_mobile(typed)
    assert caught.value.code == code
    assert caught.value.message_ko == MESSAGE_KO
    assert "휴대전화 번호가 아니에요" in str(caught.value)


def test_the_error_never_repeats_the_number() -> None:
    with pytest.raises(InvalidMobile) as caught:
        normalize_mobile("010-9876-543")
    assert "9876" not in str(caught.value)


middle = st.integers(1000, 9999).map(str)
last = st.integers(0, 9999).map(lambda n: f"{n:04d}")
separator = st.sampled_from(["", "-", " ", ".", " - "])


@given(middle, last, separator, st.booleans())
def test_any_010_number_in_any_spelling_normalises_to_the_same_digits(
    mid: str, end: str, sep: str, international: bool
) -> None:
    typed = (f"+82{sep}10" if international else "010") + f"{sep}{mid}{sep}{end}"
    assert normalize_mobile(typed) == f"010{mid}{end}"
    assert mask_phone(normalize_mobile(typed)) == f"010-****-{end}"


@given(st.text(max_size=20))
def test_any_text_is_either_a_mobile_or_a_clear_error(text: str) -> None:
    try:
        digits = normalize_mobile(text)
    except InvalidMobile as exc:
        assert exc.message_ko == MESSAGE_KO
    else:
        assert digits.isdigit() and digits.startswith("01") and len(digits) in (10, 11)


def test_the_blind_index_finds_a_number_however_it_was_typed() -> None:
    keys = KeyRing.generate()
    other = KeyRing.generate()
    one = phone_blind_index(keys, "010-1234-5678")
    assert one == phone_blind_index(keys, "+82 10 1234 5678")
    assert one != phone_blind_index(keys, "010-1234-5679")
    assert one != phone_blind_index(other, "010-1234-5678")  # keyed: no rainbow table over all numbers
    assert "5678" not in one
