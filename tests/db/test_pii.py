"""RRN parsing and masking, and the logging filter that keeps PII out of every log line."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.pii import (
    InvalidRRN,
    PiiMaskingFilter,
    find_rrn,
    mask_name,
    mask_phone,
    mask_pii_text,
    mask_rrn,
    parse_rrn,
)


def test_parse_rrn_gives_birth_date_and_century() -> None:
    assert parse_rrn("900101-1234567").birth_date == date(1990, 1, 1)
    assert parse_rrn("0503154123456").birth_date == date(2005, 3, 15)


@pytest.mark.parametrize(
    "bad", ["", "900101-123456", "901301-1234567", "900230-2234567", "900101-9234567", "abcdef-1234567"]
)
def test_invalid_rrns_are_refused_without_echoing_them(bad: str) -> None:
    with pytest.raises(InvalidRRN) as info:
        parse_rrn(bad)
    assert bad[7:] not in str(info.value) or len(bad) < 13


def test_future_birth_date_is_refused() -> None:
    with pytest.raises(InvalidRRN):
        parse_rrn("250101-3234567", today=date(2024, 1, 1))


def test_masking_keeps_only_the_gender_digit() -> None:
    assert mask_rrn("900101-1234567") == "900101-1******"
    assert mask_rrn("9001011234567", keep_gender_digit=False) == "900101-*******"
    assert mask_phone("010-1234-5678") == "010-****-5678"
    assert "900101" in repr(parse_rrn("900101-1234567")) and "234567" not in repr(parse_rrn("900101-1234567"))


@pytest.mark.parametrize(
    "typed",
    [
        "010-1234-5678",
        "01012345678",
        "+82 10-1234-5678",
        "+82 010 1234 5678",
        "+821012345678",
        "0082-10-1234-5678",
    ],
)
def test_a_mobile_number_is_masked_the_same_in_every_written_form(typed: str) -> None:
    assert mask_phone(typed) == "010-****-5678"


def test_find_rrn_in_ocr_text() -> None:
    rrn = find_rrn("주민등록증\n홍길동\n900101 - 1234567\n2019.5.1")
    assert rrn is not None and rrn.digits == "9001011234567"


def test_logging_filter_masks_rrn_and_phone(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.pii")
    caplog.handler.addFilter(PiiMaskingFilter())
    with caplog.at_level(logging.INFO, logger="test.pii"):
        logger.info("visitor %s phone %s", "900101-1234567", "010-9876-5432")
        logger.info("raw 9001011234567 and 01098765432")
        try:
            raise ValueError("bad rrn 900101-1234567")
        except ValueError:
            logger.exception("failed")
    text = caplog.text
    assert "1234567" not in text and "9876" not in text
    assert "900101-1******" in text and "010-****-5432" in text


@given(st.text())
def test_mask_pii_text_never_leaves_a_13_digit_rrn_shape(noise: str) -> None:
    masked = mask_pii_text(noise + " 900101-1234567 " + noise)
    assert "1234567" not in masked.replace(noise, "") or "1234567" in noise


_BIRTH_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))


@given(_BIRTH_DATES, st.integers(0, 1), st.integers(0, 999_999), st.booleans(), st.booleans())
@settings(max_examples=200, deadline=None)
def test_every_real_birth_date_and_century_digit_parses(
    born: date, sex: int, serial: int, foreign: bool, hyphen: bool
) -> None:
    digit = (1 if born.year < 2000 else 3) + sex + (4 if foreign else 0)
    text = f"{born:%y%m%d}{'-' if hyphen else ''}{digit}{serial:06d}"
    rrn = parse_rrn(text, today=date(2026, 1, 1))
    assert rrn.birth_date == born and rrn.gender_digit == str(digit)
    assert rrn.masked() == f"{born:%y%m%d}-{digit}******"
    # The serial may equal the birth-date digits by chance (000301-3000301): look only behind the hyphen.
    assert f"{serial:06d}" not in rrn.masked().split("-", 1)[1]


@given(st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_any_text_parses_or_raises_invalid_rrn_only(text: str) -> None:
    try:
        rrn = parse_rrn(text)
    except InvalidRRN as exc:
        assert text not in str(exc) or len(text) < 7
    else:
        assert len(rrn.digits) == 13
    find_rrn(text)  # never raises


@pytest.mark.parametrize(
    ("phone", "middle"),
    [
        ("010-1234-5678", "1234"),
        ("01012345678", "1234"),
        ("010 1234 5678", "1234"),
        ("010.1234.5678", "1234"),
        ("011-987-6543", "987"),
        ("+82 010-2468-1357", "2468"),
    ],
)
def test_mobile_numbers_are_masked_in_free_text(phone: str, middle: str) -> None:
    masked = mask_pii_text(f"연락처 {phone} 입니다")
    assert middle not in masked and "****" in masked


def test_configured_logging_masks_every_handler() -> None:
    import io

    from kiosk.logging_setup import configure_logging

    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    try:
        configure_logging(verbose=True)
        logging.getLogger("kiosk.visit").warning(
            "scan %s / %s", "주민 900101-1234567", {"phone": "010-2222-3333"}
        )
    finally:
        root.removeHandler(handler)
    line = stream.getvalue()
    assert "1234567" not in line and "2222" not in line and "900101-1******" in line


@given(st.uuids(), st.binary(min_size=32, max_size=32))
@settings(max_examples=300, deadline=None)
def test_row_ids_and_digests_are_not_mistaken_for_pii(row_id: object, data: bytes) -> None:
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    text = f"person:{row_id} document {digest}"
    if any(c in "abcdef" for c in digest):
        assert mask_pii_text(text) == text
    assert mask_pii_text(f"person:{row_id}") == f"person:{row_id}"


def test_a_uuid_with_a_phone_shaped_middle_stays_whole_but_a_real_number_beside_it_is_masked() -> None:
    row_id = "8c1ff010-1234-4678-9abc-def012345678"
    assert mask_pii_text(f"visit {row_id}") == f"visit {row_id}"
    assert mask_pii_text(f"visit {row_id} 010-1234-5678") == f"visit {row_id} 010-****-5678"
    assert mask_pii_text("12345678901234567890123456789012 900101-1234567").endswith("900101-1******")


# --- names (one rule for the lobby's identify screen and the hub's views) -----------------------------
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("홍길동", "홍*동"),
        ("남궁민수", "남**수"),
        ("김수", "김*"),
        ("김", "김*"),
        ("  김수  ", "김*"),  # OCR and typed names carry stray spaces
        ("Kim Su", "K****u"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_names_are_masked_to_a_first_and_last_letter(name: str | None, shown: str) -> None:
    assert mask_name(name) == shown


def test_a_one_letter_name_shows_no_more_than_a_two_letter_name() -> None:
    # Shown whole ("김") it would be the only name masking hides nothing of; shown as "*" it would tell
    # a passer-by the name is one letter long. "김*" is what every 김 with a two-letter name shows.
    assert mask_name("김") == mask_name("김수") == mask_name("김철") == "김*"
    assert mask_name("김") != "김"


@given(st.text(alphabet=st.characters(categories=["Lo", "Lu", "Ll"]), min_size=1, max_size=12))
def test_a_masked_name_never_shows_more_than_its_first_and_last_letter(name: str) -> None:
    shown = mask_name(name)
    assert len(shown) == max(2, len(name))
    assert shown[0] == name[0]
    assert set(shown[1:-1]) <= {"*"}
    if len(name) <= 2:
        assert shown[1:] == "*"


def test_the_lobby_and_the_hub_mask_names_with_the_one_rule() -> None:
    from kiosk.hub import document_fields, routes_visits

    assert routes_visits.mask_name is mask_name
    assert document_fields.mask_name is mask_name
    pytest.importorskip("PySide6")
    from ui.lobby.screens import identify

    assert identify.mask_name is mask_name


# --- the written form of an RRN (db.people encrypts it, the ID readers hand it on) ---------------------
@pytest.mark.parametrize("typed", ["9001011234567", "900101-1234567", "900101 - 1234567", "900101–1234567"])
def test_an_rrn_is_written_one_way_whatever_was_typed(typed: str) -> None:
    rrn = parse_rrn(typed)
    assert rrn.hyphenated == "900101-1234567"
    assert mask_rrn(rrn.hyphenated) == rrn.masked() == "900101-1******"
    assert "1234567" not in f"{rrn} {rrn!r}"  # the clear form only on request, never by accident


def test_a_person_stored_with_a_bare_rrn_reads_back_in_the_written_form(tmp_path: Path) -> None:
    from db.base import Base
    from db.crypto import load_keyring
    from db.people import read_person, store_person
    from db.session import make_engine, make_sessionmaker

    engine = make_engine(f"sqlite:///{tmp_path / 'people.db'}")
    Base.metadata.create_all(engine)
    keys = load_keyring(tmp_path / "keys.json", environ={})
    with make_sessionmaker(engine)() as session:
        person = store_person(session, keys, name="김", rrn="9001011234567")
        session.commit()
        view = read_person(session, keys, person.id, actor="test", purpose="written form")
    engine.dispose()
    assert view.rrn == "900101-1234567" and view.rrn_masked == "900101-1******"
