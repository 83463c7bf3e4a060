"""A virtual ePassport chip that plugs into the real pcscd through Debian's vsmartcard-vpcd driver.

The vpcd driver listens on TCP 127.0.0.1:35963 (reader ``Virtual PCD 00 00``; 35964 for ``00 01``);
the card is the TCP client. Every message is a 2-byte big-endian length and a payload: a 1-byte payload
is control (0 power off, 1 power on, 2 reset, 4 ATR request — only 4 gets an answer), anything longer
is a command APDU answered with data + SW1 SW2. Closing the socket means "card removed".

Debian 12's own vpicc is broken as packaged, so the card side is written here: SELECT, GET CHALLENGE,
EXTERNAL AUTHENTICATE (BAC) and secure-messaging SELECT / READ BINARY over EF.COM and DG1.
"""

from __future__ import annotations

import logging
import os
import socket
import struct
import threading
import time
from dataclasses import dataclass

from devices.id.image.mrz import build_td3, parse_td3
from devices.id.pcsc import tlv
from devices.id.pcsc.apdu import (
    SW_AUTH_FAILED,
    SW_CLA_NOT_SUPPORTED,
    SW_CONDITIONS,
    SW_FILE_NOT_FOUND,
    SW_INS_NOT_SUPPORTED,
    SW_OK,
    SW_REF_NOT_FOUND,
    SW_SECURITY_NOT_SATISFIED,
    SW_SM_DATA_WRONG,
    SW_WRONG_LENGTH,
    SW_WRONG_P1P2,
    ApduError,
    CommandApdu,
)
from devices.id.pcsc.bac import BacError, KeyPair, chip_answer, chip_session, key_seed, mrz_information
from devices.id.pcsc.emrtd import FID_DG1, FID_EF_COM, LDS_AID
from devices.id.pcsc.secure_messaging import SecureChannel, SecureMessagingError

log = logging.getLogger(__name__)

VPCD_HOST = "127.0.0.1"
VPCD_PORT = 35963
# An ISO 14443 contactless ATR as PC/SC reports it for a type-B passport chip.
DEFAULT_ATR = bytes.fromhex("3B8880014241525420534D4D4B")


@dataclass(frozen=True)
class PassportHolder:
    """Synthetic passport data (never a real person)."""

    surname: str = "HONG"
    given_names: str = "GILDONG"
    document_number: str = "M12345678"
    nationality: str = "KOR"
    birth: str = "900101"
    sex: str = "M"
    expiry: str = "330101"

    @property
    def mrz(self) -> str:
        return build_td3(
            self.surname,
            self.given_names,
            self.document_number,
            self.nationality,
            self.birth,
            self.sex,
            self.expiry,
        )


class VirtualPassport:
    """The chip's logic: one APDU in, one response out. ``fault`` injects bad behaviour for tests:
    ``"pace_only"`` (BAC answered 6A88), ``"auth_6982"`` (wrong key → 6982 instead of 6300),
    ``"bad_mac"`` (flip one bit of every SM response MAC), ``"short_challenge"`` (7-byte nonce)."""

    def __init__(self, holder: PassportHolder | None = None, fault: str = "") -> None:
        self.holder = holder or PassportHolder()
        self.fault = fault
        td3 = parse_td3(self.holder.mrz)
        self._keys = KeyPair.from_seed(key_seed(mrz_information(td3.document_number, td3.birth, td3.expiry)))
        mrz_bytes = self.holder.mrz.replace("\n", "").encode("ascii")
        self.files = {
            FID_EF_COM: tlv.encode(
                0x60,
                tlv.encode(0x5F01, b"0107") + tlv.encode(0x5F36, b"040000") + tlv.encode(0x5C, b"\x61\x75"),
            ),
            FID_DG1: tlv.encode(0x61, tlv.encode(0x5F1F, mrz_bytes)),
        }
        self.reset()

    def reset(self) -> None:
        self._selected_app = False
        self._rnd_ic: bytes | None = None
        self._channel: SecureChannel | None = None
        self._current: bytes | None = None

    def process(self, raw: bytes) -> bytes:
        try:
            command = CommandApdu.parse(raw)
        except ApduError:
            return SW_WRONG_LENGTH.to_bytes(2, "big")
        if command.cla & 0x0C == 0x0C:
            return self._secure(raw)
        if command.cla != 0x00:
            return SW_CLA_NOT_SUPPORTED.to_bytes(2, "big")
        if self._channel is not None:
            self.reset()  # a plain command after BAC ends the secure session
        return self._plain(command)

    def _plain(self, c: CommandApdu) -> bytes:
        sw = SW_OK.to_bytes(2, "big")
        if c.ins == 0xA4:
            if c.p1 == 0x04 and c.data == LDS_AID:
                self._selected_app = True
                return sw
            return SW_FILE_NOT_FOUND.to_bytes(2, "big") if c.p1 == 0x04 else _sw(SW_SECURITY_NOT_SATISFIED)
        if c.ins == 0x84:
            if not self._selected_app:
                return _sw(SW_CONDITIONS)
            if c.le != 8:
                return _sw(SW_WRONG_LENGTH)
            self._rnd_ic = os.urandom(8)
            nonce = self._rnd_ic[:7] if self.fault == "short_challenge" else self._rnd_ic
            return nonce + sw
        if c.ins == 0x82:
            if self.fault == "pace_only":
                return _sw(SW_REF_NOT_FOUND)
            if self._rnd_ic is None:
                return _sw(SW_CONDITIONS)
            if len(c.data) != 40:
                return _sw(SW_WRONG_LENGTH)
            try:
                answer, k_ic = chip_answer(self._keys, c.data, self._rnd_ic)
            except BacError:
                self._rnd_ic = None
                return _sw(SW_SECURITY_NOT_SATISFIED if self.fault == "auth_6982" else SW_AUTH_FAILED)
            self._channel = SecureChannel(chip_session(self._keys, c.data, self._rnd_ic, k_ic))
            self._rnd_ic = None
            return answer + sw
        if c.ins == 0xB0:
            return _sw(SW_SECURITY_NOT_SATISFIED)  # the LDS files need BAC first
        return _sw(SW_INS_NOT_SUPPORTED)

    def _secure(self, raw: bytes) -> bytes:
        if self._channel is None:
            return _sw(SW_SECURITY_NOT_SATISFIED)
        channel = self._channel
        try:
            command = channel.chip_unwrap(raw)
        except SecureMessagingError:
            self.reset()  # ICAO: an SM error ends the session
            return _sw(SW_SM_DATA_WRONG)
        data, status = self._inner(command)
        response = channel.chip_wrap(data, status)
        if self.fault == "bad_mac":
            flipped = bytearray(response)
            flipped[-3] ^= 0x01  # last byte of the MAC, before SW1 SW2
            response = bytes(flipped)
        return response

    def _inner(self, c: CommandApdu) -> tuple[bytes, int]:
        if c.ins == 0xA4 and c.p1 == 0x02:
            fid = int.from_bytes(c.data, "big") if len(c.data) == 2 else -1
            if fid not in self.files:
                return b"", SW_FILE_NOT_FOUND
            self._current = self.files[fid]
            return b"", SW_OK
        if c.ins == 0xB0:
            if c.p1 & 0x80:  # short EF identifier in P1
                sfi = c.p1 & 0x1F
                by_sfi = {0x1E: FID_EF_COM, 0x01: FID_DG1}
                if sfi not in by_sfi:
                    return b"", SW_FILE_NOT_FOUND
                self._current = self.files[by_sfi[sfi]]
                offset = c.p2
            else:
                offset = (c.p1 << 8) | c.p2
            if self._current is None:
                return b"", SW_CONDITIONS
            if offset > len(self._current):
                return b"", SW_WRONG_P1P2
            length = 256 if c.le == 0 else (c.le or 0)
            return self._current[offset : offset + length], SW_OK
        return b"", SW_INS_NOT_SUPPORTED


def _sw(sw: int) -> bytes:
    return sw.to_bytes(2, "big")


class VpcdCard:
    """Connects a VirtualPassport to pcscd's vpcd reader: ``insert()`` connects, ``remove()`` closes."""

    def __init__(
        self,
        passport: VirtualPassport,
        host: str = VPCD_HOST,
        port: int = VPCD_PORT,
        atr: bytes = DEFAULT_ATR,
    ) -> None:
        self.passport = passport
        self.host, self.port, self.atr = host, port, atr
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.connected = threading.Event()

    def insert(self, timeout: float = 10.0) -> None:
        """Connect to the reader (retrying while pcscd starts); returns once connected."""
        deadline = time.monotonic() + timeout
        last: OSError | None = None
        while time.monotonic() < deadline:
            try:
                self._sock = socket.create_connection((self.host, self.port), timeout=2.0)
                break
            except OSError as exc:
                last = exc
                self._stop.wait(0.05)
        else:
            raise ConnectionError(f"vpcd reader at {self.host}:{self.port} is not listening: {last}")
        self._sock.settimeout(0.2)
        self._stop.clear()
        self.connected.set()
        self._thread = threading.Thread(target=self._serve, name="virtual-epassport", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        self._stop.set()
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._sock = None
        self._thread = None
        self.connected.clear()

    def _recv_exact(self, count: int) -> bytes | None:
        assert self._sock is not None
        buf = b""
        while len(buf) < count:
            if self._stop.is_set():
                return None
            try:
                chunk = self._sock.recv(count - len(buf))
            except TimeoutError:
                continue
            except OSError:
                return None
            if not chunk:
                return None
            buf += chunk
        return buf

    def _serve(self) -> None:
        while not self._stop.is_set():
            header = self._recv_exact(2)
            if header is None:
                break
            (length,) = struct.unpack(">H", header)
            payload = self._recv_exact(length)
            if payload is None:
                break
            reply = self.handle(payload)
            if reply is not None:
                try:
                    assert self._sock is not None
                    self._sock.sendall(struct.pack(">H", len(reply)) + reply)
                except OSError:
                    break
        self.connected.clear()

    def handle(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            control = payload[0]
            if control in (0, 2):  # power off / reset: the chip forgets its session
                self.passport.reset()
            elif control == 4:
                return self.atr
            return None
        return self.passport.process(payload)

    def __enter__(self) -> VpcdCard:
        self.insert()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()
