"""ICAO 9303-11 Basic Access Control: key derivation from the MRZ, 3DES, retail MAC, mutual auth.

Checked byte for byte against the standard's worked example (tests/devices/id/test_bac_vectors.py).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, modes

from devices.id.image.mrz import check_digit

ZERO_IV = bytes(8)


class BacError(Exception):
    """Mutual authentication failed: the chip's answer does not match our keys or nonces."""


def pad(data: bytes) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 0x80 then zeros to a multiple of 8."""
    data = data + b"\x80"
    return data + bytes(-len(data) % 8)


def unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        raise ValueError("bad ISO 9797-1 padding")
    return stripped[:-1]


def adjust_parity(key: bytes) -> bytes:
    """DES keys carry odd parity in the low bit of each byte."""
    out = bytearray()
    for byte in key:
        high = byte & 0xFE
        out.append(high | (bin(high).count("1") + 1) % 2)
    return bytes(out)


def derive_key(seed: bytes, counter: int) -> bytes:
    digest = hashlib.sha1(seed + counter.to_bytes(4, "big")).digest()  # noqa: S324 - mandated by ICAO
    return adjust_parity(digest[:16])


def mrz_information(document_number: str, birth_yymmdd: str, expiry_yymmdd: str) -> str:
    """Document number (padded to 9 with '<') + check, birth + check, expiry + check."""
    number = document_number.upper().replace(" ", "")
    if len(number) < 9:
        number = number.ljust(9, "<")
    return (
        number
        + str(check_digit(number))
        + birth_yymmdd
        + str(check_digit(birth_yymmdd))
        + expiry_yymmdd
        + str(check_digit(expiry_yymmdd))
    )


def key_seed(mrz_info: str) -> bytes:
    return hashlib.sha1(mrz_info.encode("ascii")).digest()[:16]  # noqa: S324 - mandated by ICAO


@dataclass(frozen=True)
class KeyPair:
    enc: bytes
    mac: bytes

    @classmethod
    def from_seed(cls, seed: bytes) -> KeyPair:
        return cls(derive_key(seed, 1), derive_key(seed, 2))


def _3des_key(key16: bytes) -> bytes:
    return key16 + key16[:8]  # 2-key 3DES as K1 K2 K1


def tdes_encrypt(key: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    enc = Cipher(TripleDES(_3des_key(key)), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def tdes_decrypt(key: bytes, data: bytes, iv: bytes = ZERO_IV) -> bytes:
    if len(data) % 8:
        raise ValueError("ciphertext is not a multiple of the block size")
    dec = Cipher(TripleDES(_3des_key(key)), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def _des_ecb(key8: bytes, block: bytes, decrypt: bool = False) -> bytes:
    cipher = Cipher(TripleDES(key8 * 3), modes.ECB())  # noqa: S305 - single blocks of a MAC chain
    op = cipher.decryptor() if decrypt else cipher.encryptor()
    return op.update(block) + op.finalize()


def retail_mac(key: bytes, data: bytes, already_padded: bool = False) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 (DES CBC with K1, then D(K2), E(K1) on the last block)."""
    message = data if already_padded else pad(data)
    k1, k2 = key[:8], key[8:16]
    state = bytes(8)
    for i in range(0, len(message), 8):
        block = bytes(a ^ b for a, b in zip(state, message[i : i + 8], strict=True))
        state = _des_ecb(k1, block)
    state = _des_ecb(k2, state, decrypt=True)
    return _des_ecb(k1, state)


@dataclass(frozen=True)
class SessionKeys:
    enc: bytes
    mac: bytes
    ssc: int


def external_authenticate_data(
    keys: KeyPair, rnd_ic: bytes, rnd_ifd: bytes | None = None, k_ifd: bytes | None = None
) -> tuple[bytes, bytes, bytes]:
    """Build E_IFD ‖ M_IFD; returns (cmd_data, rnd_ifd, k_ifd). Nonces are random unless given."""
    rnd_ifd = rnd_ifd if rnd_ifd is not None else os.urandom(8)
    k_ifd = k_ifd if k_ifd is not None else os.urandom(16)
    e_ifd = tdes_encrypt(keys.enc, rnd_ifd + rnd_ic + k_ifd)
    return e_ifd + retail_mac(keys.mac, e_ifd), rnd_ifd, k_ifd


def session_keys(k_ifd: bytes, k_ic: bytes, rnd_ic: bytes, rnd_ifd: bytes) -> SessionKeys:
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic, strict=True))
    pair = KeyPair.from_seed(seed)
    ssc = int.from_bytes(rnd_ic[-4:] + rnd_ifd[-4:], "big")
    return SessionKeys(pair.enc, pair.mac, ssc)


def complete_mutual_auth(
    keys: KeyPair, response: bytes, rnd_ic: bytes, rnd_ifd: bytes, k_ifd: bytes
) -> SessionKeys:
    """Check the chip's E_IC ‖ M_IC and derive the session keys."""
    if len(response) != 40:
        raise BacError(f"EXTERNAL AUTHENTICATE answer has {len(response)} bytes, expected 40")
    e_ic, m_ic = response[:32], response[32:]
    if not hmac.compare_digest(retail_mac(keys.mac, e_ic), m_ic):
        raise BacError("chip's MAC does not verify")
    plain = tdes_decrypt(keys.enc, e_ic)
    if plain[:8] != rnd_ic or plain[8:16] != rnd_ifd:
        raise BacError("chip's nonces do not match")
    return session_keys(k_ifd, plain[16:32], rnd_ic, rnd_ifd)


def chip_answer(
    keys: KeyPair, cmd_data: bytes, rnd_ic: bytes, k_ic: bytes | None = None
) -> tuple[bytes, bytes]:
    """The chip side (used by the virtual ePassport): verify E_IFD ‖ M_IFD, answer E_IC ‖ M_IC.

    Returns (answer, k_ic) and raises BacError when the terminal used the wrong keys.
    """
    if len(cmd_data) != 40:
        raise BacError("EXTERNAL AUTHENTICATE data must be 40 bytes")
    e_ifd, m_ifd = cmd_data[:32], cmd_data[32:]
    if not hmac.compare_digest(retail_mac(keys.mac, e_ifd), m_ifd):
        raise BacError("terminal's MAC does not verify")
    plain = tdes_decrypt(keys.enc, e_ifd)
    if plain[8:16] != rnd_ic:
        raise BacError("terminal did not echo our challenge")
    rnd_ifd = plain[:8]
    k_ic = k_ic if k_ic is not None else os.urandom(16)
    e_ic = tdes_encrypt(keys.enc, rnd_ic + rnd_ifd + k_ic)
    return e_ic + retail_mac(keys.mac, e_ic), k_ic


def chip_session(keys: KeyPair, cmd_data: bytes, rnd_ic: bytes, k_ic: bytes) -> SessionKeys:
    plain = tdes_decrypt(keys.enc, cmd_data[:32])
    return session_keys(plain[16:32], k_ic, rnd_ic, plain[:8])
