"""Command and response APDUs (ISO 7816-4, short form) and the status words we act on."""

from __future__ import annotations

from dataclasses import dataclass


class ApduError(ValueError):
    """Bytes that cannot be a command or response APDU."""


@dataclass(frozen=True)
class CommandApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # None: no Le; 0 means 256

    def to_bytes(self) -> bytes:
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            if len(self.data) > 255:
                raise ApduError("extended length is not used here")
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le & 0xFF])
        return out

    @classmethod
    def parse(cls, raw: bytes) -> CommandApdu:
        """Short APDU cases 1–4."""
        if len(raw) < 4:
            raise ApduError("shorter than a header")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0])
        lc = body[0]
        if lc == 0:
            raise ApduError("extended length is not supported")
        if len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, body[1:])
        if len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, body[1 : 1 + lc], body[1 + lc])
        raise ApduError(f"Lc {lc} does not match a body of {len(body)} bytes")


@dataclass(frozen=True)
class ResponseApdu:
    data: bytes
    sw: int

    @classmethod
    def parse(cls, raw: bytes) -> ResponseApdu:
        if len(raw) < 2:
            raise ApduError("response shorter than a status word")
        return cls(bytes(raw[:-2]), (raw[-2] << 8) | raw[-1])

    def to_bytes(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")

    @property
    def ok(self) -> bool:
        return self.sw == 0x9000


SW_OK = 0x9000
SW_AUTH_FAILED = 0x6300  # some chips answer a wrong BAC key with 6300
SW_SECURITY_NOT_SATISFIED = 0x6982  # others with 6982 (also: SM missing or wrong)
SW_SM_DATA_WRONG = 0x6988  # SM data objects incorrect
SW_WRONG_LENGTH = 0x6700
SW_WRONG_DATA = 0x6A80
SW_FILE_NOT_FOUND = 0x6A82
SW_REF_NOT_FOUND = 0x6A88  # BAC refused: the chip wants PACE (reference data not found)
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00
SW_WRONG_P1P2 = 0x6B00
SW_CONDITIONS = 0x6985
