"""The end-of-run sweep finds personal numbers in clear in raw bytes, and nothing else."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from tests.privacy_sweep import clear_pii_in


def test_finds_an_rrn_and_a_phone_inside_binary_data() -> None:
    blob = b"\x00\x01SQLite format 3\x00" + b'{"rrn": "900101-1234567"}' + b"\xff" * 20
    assert clear_pii_in(blob) == ["900101-1234567"]
    assert clear_pii_in(b"\x13\x37 tel 010-1234-5678;") == ["010-1234-5678"]
    assert clear_pii_in(b"9001011234567") == ["9001011234567"]  # without the hyphen too


def test_masked_forms_ids_and_digests_are_not_personal() -> None:
    digest = "3f1a" + "01012345678" * 5 + "e"  # a hex digest with a phone-shaped run inside
    text = f"900101-1****** 010-****-5678 {uuid.uuid4()} {digest} 2026-12-01 12:00:00"
    assert clear_pii_in(text.encode()) == []
    # A UUID stored as 32 hex digits right before a timestamp column, as SQLite lays out a row.
    assert clear_pii_in(b"9b1f0c2aa2e779337747" + b"2026-12-01 12:00:00") == []
    assert clear_pii_in(b"991399-1234567") == []  # month 13 is no birth date
    # A timestamp's microseconds run into the next column's year.
    assert clear_pii_in(b"2026-12-01 21:46:54.011659" + b"2026-12-01 21:46:54") == []


@given(st.binary(max_size=512))
def test_never_fails_on_arbitrary_bytes(data: bytes) -> None:
    assert isinstance(clear_pii_in(data), list)
