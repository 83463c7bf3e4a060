"""The terminal's ePassport read against the virtual chip directly (no pcscd): the whole protocol
and each failure the person or staff would see."""

from __future__ import annotations

from datetime import date

import pytest

from devices.id.emulators.vicc import PassportHolder, VirtualPassport, VpcdCard
from devices.id.image.mrz import parse_td3
from devices.id.model import IdError
from devices.id.pcsc import tlv
from devices.id.pcsc.emrtd import FID_DG1, BacKey, read_passport
from devices.id.pcsc.reader import passport_document

HOLDER = PassportHolder(surname="KIM", given_names="MINJI", document_number="M70689098", birth="850412",
                        sex="F", expiry="310923")  # fmt: skip
KEY = BacKey.from_td3(parse_td3(HOLDER.mrz))


def test_reads_ef_com_and_dg1() -> None:
    chip = VirtualPassport(HOLDER)
    data = read_passport(chip.process, KEY)
    assert data.ef_com.data_groups == ("DG1", "DG2")
    assert data.mrz.name == "KIM MINJI"
    doc = passport_document(data)
    assert doc.birth_date == date(1985, 4, 12)
    assert doc.expiry_date == date(2031, 9, 23)
    assert doc.document_number == "M70689098"
    assert doc.public_fields()["kind"] == "passport"


@pytest.mark.parametrize("fault", ["", "auth_6982"])
def test_wrong_mrz_is_wrong_mrz(fault: str) -> None:
    chip = VirtualPassport(HOLDER, fault=fault)
    with pytest.raises(IdError) as info:
        read_passport(chip.process, BacKey("M70689098", "850413", "310923"))
    assert info.value.code == "wrong_mrz"
    assert "여권 정보가 맞지 않아요" in info.value.message_ko


def test_pace_only_chip() -> None:
    with pytest.raises(IdError) as info:
        read_passport(VirtualPassport(HOLDER, fault="pace_only").process, KEY)
    assert info.value.code == "pace_only"
    assert info.value.message_ko == "이 신분증은 지원하지 않는 방식입니다"


def test_bad_mac_from_the_chip_is_rejected() -> None:
    with pytest.raises(IdError) as info:
        read_passport(VirtualPassport(HOLDER, fault="bad_mac").process, KEY)
    assert info.value.code == "sm_failed"


def test_short_challenge_is_a_card_error() -> None:
    with pytest.raises(IdError) as info:
        read_passport(VirtualPassport(HOLDER, fault="short_challenge").process, KEY)
    assert info.value.code == "card_error"


def test_not_an_epassport() -> None:
    with pytest.raises(IdError) as info:
        read_passport(lambda apdu: bytes.fromhex("6A82"), KEY)
    assert info.value.code == "not_emrtd"


def test_reply_too_short_is_a_card_error() -> None:
    with pytest.raises(IdError) as info:
        read_passport(lambda apdu: b"\x90", KEY)
    assert info.value.code == "card_error"


def test_malformed_dg1_on_the_chip() -> None:
    chip = VirtualPassport(HOLDER)
    chip.files[FID_DG1] = tlv.encode(0x61, tlv.encode(0x5F1F, b"NOT AN MRZ"))
    with pytest.raises(IdError) as info:
        read_passport(chip.process, KEY)
    assert info.value.code == "bad_mrz"


def test_the_chip_refuses_files_without_bac_and_bad_apdus() -> None:
    chip = VirtualPassport(HOLDER)
    assert chip.process(bytes.fromhex("00B0000004")) == bytes.fromhex("6982")
    assert chip.process(bytes.fromhex("0084000008"))[-2:] == bytes.fromhex("6985")  # no SELECT yet
    assert chip.process(bytes.fromhex("00A4")) == bytes.fromhex("6700")  # shorter than a header
    assert chip.process(bytes.fromhex("00A4040C09A000")) == bytes.fromhex("6700")  # Lc says 9, has 2
    assert chip.process(bytes.fromhex("0CB000000D9701048E08ED6705417E96BA5500")) == bytes.fromhex("6982")


def test_vpcd_control_bytes() -> None:
    card = VpcdCard(VirtualPassport(HOLDER))
    assert card.handle(b"\x04") == card.atr  # ATR request is the only control that answers
    for control in (b"\x00", b"\x01", b"\x02"):
        assert card.handle(control) is None
    assert card.handle(bytes.fromhex("00A4040C07A0000002471001")) == bytes.fromhex("9000")
