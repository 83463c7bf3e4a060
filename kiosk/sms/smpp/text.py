"""What rides inside a short message: UCS-2 text, the concatenation UDH, and delivery-receipt text.

- Hangul goes as data coding 8 (UCS-2, big-endian): 70 characters in one segment; a longer text is cut
  into parts of 67 characters, each behind a 6-octet UDH ``05 00 03 <ref> <total> <n>`` (8-bit reference,
  IEI 0x00) with esm_class bit 0x40 set. 16-bit references (IEI 0x08) are read as well.
- UCS-2 has no surrogates: a character outside the Basic Multilingual Plane (most emoji) cannot go.
- A delivery receipt (SMPP 3.4 Appendix B) is the text ``id:… sub:001 dlvrd:001 submit date:YYMMDDhhmm
  done date:YYMMDDhhmm stat:DELIVRD err:000 text:…``; dates are the SMSC's wall clock (the center's zone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from config import clock

SINGLE_UCS2_CHARS = 70
PART_UCS2_CHARS = 67
MAX_PARTS = 255


class TextError(ValueError):
    """Text or UDH that cannot be carried / is malformed."""


def encode_ucs2(text: str) -> bytes:
    """UCS-2 octets of ``text``; TextError for a character outside the BMP (UCS-2 cannot carry it)."""
    if any(ord(ch) > 0xFFFF for ch in text):
        raise TextError("a character outside UCS-2 (emoji?) cannot go over SMPP")
    return text.encode("utf-16-be")


def decode_ucs2(data: bytes) -> str:
    if len(data) % 2:
        raise TextError("UCS-2 text of an odd number of octets")
    text = data.decode("utf-16-be", errors="surrogatepass")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise TextError("surrogate code unit in UCS-2 text")
    return text


@dataclass(frozen=True)
class Concat:
    reference: int
    total: int
    number: int  # 1-based


def split_udh(payload: bytes) -> tuple[Concat | None, bytes]:
    """(the concatenation element if any, the text octets after the UDH); TextError when malformed."""
    if not payload:
        raise TextError("UDHI set but the message is empty")
    udhl = payload[0]
    if udhl == 0 or udhl + 1 > len(payload):
        raise TextError(f"UDH length {udhl} does not fit the message ({len(payload)} octets)")
    header, rest = payload[1 : udhl + 1], payload[udhl + 1 :]
    concat: Concat | None = None
    pos = 0
    while pos < len(header):
        if pos + 2 > len(header):
            raise TextError("UDH information element truncated")
        iei, length = header[pos], header[pos + 1]
        value = header[pos + 2 : pos + 2 + length]
        if len(value) != length:
            raise TextError(f"UDH element 0x{iei:02X} longer than the UDH")
        if iei in (0x00, 0x08):
            if concat is not None:
                raise TextError("two concatenation elements")
            if (iei, length) not in ((0x00, 3), (0x08, 4)):
                raise TextError(f"concatenation element 0x{iei:02X} of length {length}")
            ref = value[0] if iei == 0x00 else int.from_bytes(value[:2], "big")
            total, number = value[-2], value[-1]
            if total == 0 or not 1 <= number <= total:
                raise TextError(f"part {number} of {total}")
            concat = Concat(ref, total, number)
        pos += 2 + length
    return concat, rest


def make_udh(concat: Concat) -> bytes:
    return bytes((5, 0x00, 3, concat.reference & 0xFF, concat.total, concat.number))


def segments(text: str, reference: int) -> list[bytes]:
    """The short_message of each part (UDH included when there is more than one)."""
    raw = encode_ucs2(text)
    if len(raw) <= SINGLE_UCS2_CHARS * 2:
        return [raw]
    step = PART_UCS2_CHARS * 2
    chunks = [raw[i : i + step] for i in range(0, len(raw), step)]
    if len(chunks) > MAX_PARTS:
        raise TextError(f"{len(chunks)} parts; at most {MAX_PARTS}")
    return [make_udh(Concat(reference, len(chunks), n)) + c for n, c in enumerate(chunks, start=1)]


# --- delivery receipts -------------------------------------------------------------------------------

_RECEIPT = re.compile(
    r"id:(?P<id>\S{1,65}) sub:(?P<sub>\d{3}) dlvrd:(?P<dlvrd>\d{3}) "
    r"submit date:(?P<submit>\d{10}(?:\d{2})?) done date:(?P<done>\d{10}(?:\d{2})?) "
    r"stat:(?P<stat>[A-Z]{7}) err:(?P<err>[0-9A-Za-z]{3})(?: [Tt]ext:(?P<text>.{0,20}))?",
    re.DOTALL,
)
STATS = ("DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD", "ENROUTE")


@dataclass(frozen=True)
class Receipt:
    message_id: str
    stat: str
    submitted: datetime
    done: datetime
    err: str = "000"
    sub: int = 1
    dlvrd: int = 1
    text: str = ""

    def build(self) -> str:
        return (
            f"id:{self.message_id} sub:{self.sub:03d} dlvrd:{self.dlvrd:03d} "
            f"submit date:{_smsc_time(self.submitted)} done date:{_smsc_time(self.done)} "
            f"stat:{self.stat} err:{self.err} text:{self.text[:20]}"
        )


def _smsc_time(at: datetime) -> str:
    return clock.local(at).strftime("%y%m%d%H%M")


def _parse_time(text: str) -> datetime:
    fmt = "%y%m%d%H%M%S" if len(text) == 12 else "%y%m%d%H%M"
    try:
        return datetime.strptime(text, fmt).replace(tzinfo=clock.zone())
    except ValueError as exc:
        raise TextError(f"receipt date {text!r}: {exc}") from None


def parse_receipt(text: str) -> Receipt:
    """A receipt's fields; TextError for text that is not a receipt."""
    match = _RECEIPT.fullmatch(text.strip("\0"))
    if match is None:
        raise TextError("not a delivery receipt")
    if match["stat"] not in STATS:
        raise TextError(f"unknown receipt stat {match['stat']!r}")
    return Receipt(
        message_id=match["id"],
        stat=match["stat"],
        submitted=_parse_time(match["submit"]),
        done=_parse_time(match["done"]),
        err=match["err"],
        sub=int(match["sub"]),
        dlvrd=int(match["dlvrd"]),
        text=match["text"] or "",
    )
