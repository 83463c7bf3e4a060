"""TLV and MRZ parsers: known values, bad input, and hypothesis."""

from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.id.image.mrz import MrzError, build_td3, check_digit, parse_td3
from devices.id.model import IdError
from devices.id.pcsc import tlv
from devices.id.pcsc.emrtd import parse_dg1, parse_ef_com

# ICAO 9303 specimen (Part 4, Appendix A): Anna Maria Eriksson, Utopia
SPECIMEN = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_icao_specimen_parses_with_every_check_digit() -> None:
    td3 = parse_td3(SPECIMEN)
    assert (td3.surname, td3.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert td3.document_number == "L898902C3"
    assert td3.nationality == "UTO"
    assert td3.birth_date == date(1974, 8, 12)
    assert td3.sex == "F"
    assert td3.optional_data == "ZE184226B"


@pytest.mark.parametrize(
    ("position", "replacement", "field"),
    [
        (44 + 9, "7", "document number"),
        (44 + 19, "3", "birth date"),
        (44 + 27, "0", "expiry"),
        (87, "1", "composite"),
    ],
)
def test_a_wrong_check_digit_is_named(position: int, replacement: str, field: str) -> None:
    compact = SPECIMEN.replace("\n", "")
    broken = compact[:position] + replacement + compact[position + 1 :]
    with pytest.raises(MrzError, match=field):
        parse_td3(broken)


@pytest.mark.parametrize("text", ["", "P<UTO", "x" * 88, SPECIMEN.replace("P<", "I<", 1), SPECIMEN.lower()])
def test_not_a_td3(text: str) -> None:
    with pytest.raises(MrzError):
        parse_td3(text)


def test_check_digit_examples() -> None:
    assert check_digit("L898902C3") == 6
    assert check_digit("740812") == 2
    assert check_digit("<<<<<<<<<<<<<<") == 0


mrz_text = st.text(alphabet=string.ascii_uppercase + string.digits + "<", min_size=0, max_size=100)


@settings(max_examples=150, deadline=None)
@given(st.one_of(mrz_text, st.text(max_size=100)))
def test_mrz_parser_only_ever_raises_mrz_error(text: str) -> None:
    try:
        parse_td3(text)
    except MrzError:
        pass


names = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(
    surname=names,
    given_name=names,
    number=st.text(alphabet=string.ascii_uppercase + string.digits, min_size=8, max_size=9),
    born=st.dates(date(1931, 1, 1), date(2020, 12, 31)),
    expiry=st.dates(date(2021, 1, 1), date(2040, 12, 31)),
    sex=st.sampled_from("MF<"),
)
def test_built_mrz_round_trips(
    surname: str, given_name: str, number: str, born: date, expiry: date, sex: str
) -> None:
    text = build_td3(surname, given_name, number, "KOR", f"{born:%y%m%d}", sex, f"{expiry:%y%m%d}")
    td3 = parse_td3(text)
    assert td3.surname == surname and td3.given_names == given_name
    assert td3.document_number == number
    assert td3.birth_date == born and td3.expiry_date == expiry


# ---- TLV -----------------------------------------------------------------------------------------

EF_COM = bytes.fromhex("60145F0104303130365F36063034303030305C026175")


def test_ef_com_from_the_icao_example() -> None:
    ef_com = parse_ef_com(EF_COM)
    assert ef_com.lds_version == "0106"
    assert ef_com.unicode_version == "040000"
    assert ef_com.data_groups == ("DG1", "DG2")


def test_multibyte_tags_and_long_lengths() -> None:
    value = bytes(300)
    encoded = tlv.encode(0x5F1F, value)
    assert encoded[:5] == bytes.fromhex("5F1F82012C")
    node = tlv.parse_one(encoded)
    assert node.tag == 0x5F1F and node.value == value
    assert tlv.total_length(encoded[:5]) == len(encoded)


@pytest.mark.parametrize(
    "raw",
    [
        bytes.fromhex("6005"),  # value runs past the end
        bytes.fromhex("5F"),  # truncated tag
        bytes.fromhex("5F1F"),  # missing length
        bytes.fromhex("6080"),  # indefinite length
        bytes.fromhex("60850000000001"),  # length of length too long
        bytes.fromhex("5FFFFFFFFF0100"),  # tag longer than 4 bytes
    ],
)
def test_malformed_tlv_raises_tlv_error(raw: bytes) -> None:
    with pytest.raises(tlv.TlvError):
        tlv.parse(raw)


@pytest.mark.parametrize(
    "raw",
    [b"", bytes.fromhex("6003"), bytes.fromhex("610A5F1F03414243"), bytes.fromhex("6103020100")],
)
def test_malformed_dg1_is_a_clear_error(raw: bytes) -> None:
    with pytest.raises(IdError) as info:
        parse_dg1(raw)
    assert info.value.code in ("bad_tlv", "bad_mrz")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_tlv_parser_never_crashes(raw: bytes) -> None:
    try:
        nodes = tlv.parse(raw)
    except tlv.TlvError:
        return
    for node in nodes:
        assert tlv.parse_one(tlv.encode(node.tag, node.value)).value == node.value


tags = st.sampled_from([0x5F01, 0x5F36, 0x5C, 0x5F1F, 0x87, 0x99, 0x8E, 0x04])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(tags, st.binary(max_size=300)), max_size=5))
def test_tlv_round_trip(items: list[tuple[int, bytes]]) -> None:
    encoded = b"".join(tlv.encode(tag, value) for tag, value in items)
    parsed = tlv.parse(encoded)
    assert [(n.tag, n.value) for n in parsed] == items
    wrapped = tlv.parse_one(tlv.encode(0x61, encoded))
    assert [(n.tag, n.value) for n in wrapped.children] == items


def test_ocr_repair_of_miscounted_filler_and_a_stray_character() -> None:
    from devices.id.image.mrz import parse_ocr_td3

    ocr = "PMKORHONG<<GILDONG<<<\nM123456788KO0R9001011M3301018<<<<<<<<<O0\n"
    td3 = parse_ocr_td3(ocr)
    assert (td3.document_number, td3.nationality, td3.birth, td3.expiry) == (
        "M12345678",
        "KOR",
        "900101",
        "330101",
    )
    with pytest.raises(MrzError):
        parse_ocr_td3("PMKORHONG<<GILDONG<<<\nM123456789KOR9001011M3301018<<<<<<<<<00\n")  # wrong check


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=150))
def test_ocr_mrz_repair_only_raises_mrz_error(text: str) -> None:
    from devices.id.image.mrz import parse_ocr_td3

    try:
        parse_ocr_td3(text)
    except MrzError:
        pass
