"""ICAO 9303-11 Appendix D worked example, byte for byte (ICAO9303-BAC-VECTORS.md)."""

from __future__ import annotations

import pytest

from devices.id.pcsc.apdu import CommandApdu
from devices.id.pcsc.bac import (
    BacError,
    KeyPair,
    chip_answer,
    complete_mutual_auth,
    external_authenticate_data,
    key_seed,
    mrz_information,
)
from devices.id.pcsc.secure_messaging import SecureChannel, SecureMessagingError

h = bytes.fromhex
RND_IC = h("4608F91988702212")
RND_IFD = h("781723860C06C226")
K_IFD = h("0B795240CB7049B01C19B33E32804F0B")
K_IC = h("0B4F80323EB3191CB04970CB4052790B")
CHIP_RESPONSE = h("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449")
E_IFD = h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2")
M_IFD = h("5F1448EEA8AD90A7")


@pytest.fixture
def keys() -> KeyPair:
    return KeyPair.from_seed(key_seed(mrz_information("L898902C", "690806", "940623")))


def _session(keys: KeyPair) -> SecureChannel:
    return SecureChannel(complete_mutual_auth(keys, CHIP_RESPONSE, RND_IC, RND_IFD, K_IFD))


def test_key_derivation_d2() -> None:
    info = mrz_information("L898902C", "690806", "940623")
    assert info == "L898902C<369080619406236"
    import hashlib

    assert hashlib.sha1(info.encode()).hexdigest().upper() == "239AB9CB282DAF66231DC5A4DF6BFBAEDF477565"
    seed = key_seed(info)
    assert seed.hex().upper() == "239AB9CB282DAF66231DC5A4DF6BFBAE"
    pair = KeyPair.from_seed(seed)
    assert pair.enc.hex().upper() == "AB94FDECF2674FDFB9B391F85D7F76F2"
    assert pair.mac.hex().upper() == "7962D9ECE03D1ACD4C76089DCE131543"


def test_mutual_authentication_d3(keys: KeyPair) -> None:
    data, _, _ = external_authenticate_data(keys, RND_IC, RND_IFD, K_IFD)
    assert data[:32] == E_IFD
    assert data[32:] == M_IFD
    command = CommandApdu(0x00, 0x82, 0x00, 0x00, data, le=0x28).to_bytes()
    assert command == h("0082000028") + E_IFD + M_IFD + h("28")
    session = complete_mutual_auth(keys, CHIP_RESPONSE, RND_IC, RND_IFD, K_IFD)
    assert session.enc.hex().upper() == "979EC13B1CBFE9DCD01AB0FED307EAE5"
    assert session.mac.hex().upper() == "F1CB1F1FB5ADF208806B89DC579DC1F8"
    assert session.ssc.to_bytes(8, "big").hex().upper() == "887022120C06C226"


def test_chip_side_reproduces_the_chips_answer(keys: KeyPair) -> None:
    """The virtual ePassport's crypto, fed the example's K.IC, gives the example's E_IC ‖ M_IC."""
    answer, k_ic = chip_answer(keys, E_IFD + M_IFD, RND_IC, K_IC)
    assert answer == CHIP_RESPONSE
    assert k_ic == K_IC


def test_secure_messaging_d4(keys: KeyPair) -> None:
    channel = _session(keys)
    select = channel.wrap(CommandApdu(0x00, 0xA4, 0x02, 0x0C, h("011E")))
    assert CommandApdu(0x00, 0xA4, 0x02, 0x0C, h("011E")).to_bytes() == h("00A4020C02011E")
    assert select == h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
    assert channel.ssc & 0xFFFFFFFF == 0x0C06C227
    reply = channel.unwrap(h("990290008E08FA855A5D4C50A8ED9000"))
    assert (reply.sw, reply.data) == (0x9000, b"")
    read4 = channel.wrap(CommandApdu(0x00, 0xB0, 0x00, 0x00, le=4))
    assert read4 == h("0CB000000D9701048E08ED6705417E96BA5500")
    reply = channel.unwrap(h("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"))
    assert reply.data == h("60145F01") and reply.sw == 0x9000
    read18 = channel.wrap(CommandApdu(0x00, 0xB0, 0x00, 0x04, le=0x12))
    assert read18 == h("0CB000040D9701128E082EA28A70F3C7B53500")
    reply = channel.unwrap(
        h("871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000")
    )
    assert reply.data == h("04303130365F36063034303030305C026175")
    assert channel.ssc & 0xFFFFFFFF == 0x0C06C22C


def test_chip_side_produces_the_example_responses(keys: KeyPair) -> None:
    """Chip and terminal share the SSC; the chip's wrap of the example data gives the example bytes."""
    chip = _session(keys)
    assert chip.chip_unwrap(h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")).data == h("011E")
    assert chip.chip_wrap(b"", 0x9000) == h("990290008E08FA855A5D4C50A8ED9000")
    assert chip.chip_unwrap(h("0CB000000D9701048E08ED6705417E96BA5500")).le == 4
    assert chip.chip_wrap(h("60145F01"), 0x9000) == h(
        "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"
    )


@pytest.mark.parametrize("bit", [0, 7, 63])
def test_a_response_mac_off_by_one_bit_is_rejected(keys: KeyPair, bit: int) -> None:
    channel = _session(keys)
    channel.wrap(CommandApdu(0x00, 0xA4, 0x02, 0x0C, h("011E")))
    channel.unwrap(h("990290008E08FA855A5D4C50A8ED9000"))
    channel.wrap(CommandApdu(0x00, 0xB0, 0x00, 0x00, le=4))
    response = bytearray(h("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"))
    mac_start = len(response) - 2 - 8
    response[mac_start + bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(SecureMessagingError, match="MAC"):
        channel.unwrap(bytes(response))


def test_tampered_ciphertext_is_rejected_even_with_the_old_mac(keys: KeyPair) -> None:
    channel = _session(keys)
    channel.wrap(CommandApdu(0x00, 0xA4, 0x02, 0x0C, h("011E")))
    channel.unwrap(h("990290008E08FA855A5D4C50A8ED9000"))
    channel.wrap(CommandApdu(0x00, 0xB0, 0x00, 0x00, le=4))
    response = bytearray(h("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"))
    response[4] ^= 0x80
    with pytest.raises(SecureMessagingError):
        channel.unwrap(bytes(response))


@pytest.mark.parametrize(
    "raw",
    [
        h("90"),  # shorter than a status word
        h("9000"),  # success without any MAC
        h("8E08AD55CC17140B2DED9000"),  # MAC but no DO'99'
        h("99029000"),  # status but no MAC
        h("8709019FF0EC9000"),  # truncated TLV
        h("99019000"),  # DO'99' of the wrong length, then garbage
    ],
)
def test_malformed_sm_responses_raise_not_crash(keys: KeyPair, raw: bytes) -> None:
    channel = _session(keys)
    channel.wrap(CommandApdu(0x00, 0xB0, 0x00, 0x00, le=4))
    with pytest.raises(SecureMessagingError):
        channel.unwrap(raw)


def test_wrong_mrz_keys_fail_mutual_authentication(keys: KeyPair) -> None:
    wrong = KeyPair.from_seed(key_seed(mrz_information("L898902C", "690807", "940623")))
    with pytest.raises(BacError):
        chip_answer(keys, external_authenticate_data(wrong, RND_IC)[0], RND_IC)
    with pytest.raises(BacError):
        complete_mutual_auth(wrong, CHIP_RESPONSE, RND_IC, RND_IFD, K_IFD)
    with pytest.raises(BacError, match="40"):
        complete_mutual_auth(keys, CHIP_RESPONSE[:39], RND_IC, RND_IFD, K_IFD)
