"""What rides in a short message: Hangul as UCS-2 in 70-character segments or 67-character parts behind
a UDH, and the delivery-receipt text; malformed ones are a TextError, never another crash."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.sms.smpp.text import (
    Concat,
    Receipt,
    TextError,
    decode_ucs2,
    encode_ucs2,
    parse_receipt,
    segments,
    split_udh,
)

bmp_text = st.text(st.characters(max_codepoint=0xFFFF, codec="utf-8"), min_size=1, max_size=400)


def test_seventy_hangul_go_in_one_segment_and_seventy_one_in_two_parts() -> None:
    assert segments("가" * 70, 1) == ["가".encode("utf-16-be") * 70]
    parts = segments("가" * 71, 9)
    assert [split_udh(p)[0] for p in parts] == [Concat(9, 2, 1), Concat(9, 2, 2)]
    assert [len(split_udh(p)[1]) // 2 for p in parts] == [67, 4]


@settings(max_examples=60, deadline=None)
@given(bmp_text, st.integers(0, 255))
def test_parts_put_back_together_are_the_text(text: str, reference: int) -> None:
    parts = segments(text, reference)
    if len(parts) == 1:
        assert decode_ucs2(parts[0]) == text
    else:
        assert "".join(decode_ucs2(split_udh(p)[1]) for p in parts) == text


def test_an_emoji_cannot_go_as_ucs2() -> None:
    with pytest.raises(TextError):
        encode_ucs2("확인했어요 👍")


@pytest.mark.parametrize(
    "payload",
    [b"", b"\x00abc", b"\x09\x00\x03\x01\x02\x01", b"\x05\x00\x03\x01\x02\x03ab", b"\x05\x00\x02\x01\x02ab",
     b"\x03\x00\x03\x01", b"\x05\x00\x03\x01\x00\x00ab", b"\x0a\x00\x03\x01\x02\x01\x00\x03\x01\x02\x01"],
)  # fmt: skip
def test_a_malformed_udh_is_a_text_error(payload: bytes) -> None:
    with pytest.raises(TextError):
        split_udh(payload)


def test_a_16_bit_reference_is_read_too() -> None:
    assert split_udh(b"\x06\x08\x04\x12\x34\x03\x02hi") == (Concat(0x1234, 3, 2), b"hi")


def test_odd_or_surrogate_ucs2_is_refused() -> None:
    for raw in (b"\xac", b"\xd8\x00\x00\x41"):
        with pytest.raises(TextError):
            decode_ucs2(raw)


def test_a_receipt_reads_back_as_it_was_built() -> None:
    at = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)  # 10:30 in Seoul
    text = Receipt("0A1B2C", "UNDELIV", at, at, "001", text="안내").build()
    assert text.startswith("id:0A1B2C sub:001 dlvrd:001 submit date:2612021030 done date:2612021030")
    back = parse_receipt(text)
    assert (back.message_id, back.stat, back.err, back.done) == ("0A1B2C", "UNDELIV", "001", at)


def test_a_carrier_receipt_with_seconds_and_capital_text_is_read() -> None:
    text = (
        "id:77 sub:001 dlvrd:001 submit date:261202103001 done date:261202103005 stat:DELIVRD err:000 Text:hi"
    )
    assert parse_receipt(text).stat == "DELIVRD"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=150))
def test_text_that_is_not_a_receipt_is_a_text_error(text: str) -> None:
    try:
        parse_receipt(text)
    except TextError:
        pass


@pytest.mark.parametrize(
    "text",
    [
        "id:1 sub:001 dlvrd:001 submit date:2613451030 done date:2612021030 stat:DELIVRD err:000 text:",
        "id:1 sub:001 dlvrd:001 submit date:2612021030 done date:2612021030 stat:GOODBYE err:000 text:",
        "hello",
    ],
)
def test_bad_dates_and_unknown_states_are_refused(text: str) -> None:
    with pytest.raises(TextError):
        parse_receipt(text)
