"""An incremental ESC/POS parser for the emulator: bytes in, commands out, nothing dropped.

Bytes may arrive split anywhere (the emulator reads at line rate), so an incomplete command waits for
more. Printable bytes (and CP949 double-byte codes, whose bytes are never control codes) become ``text``
commands. A command we do not know becomes ``unknown`` with its bytes, so the emulator can report it.
"""

from __future__ import annotations

from dataclasses import dataclass

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
LF, CR, HT = 0x0A, 0x0D, 0x09

# Fixed-length commands: prefix bytes -> number of parameter bytes after them.
FIXED: dict[bytes, int] = {
    b"\x1b@": 0,
    b"\x1b!": 1,
    b"\x1bE": 1,
    b"\x1ba": 1,
    b"\x1bR": 1,
    b"\x1bt": 1,
    b"\x1b-": 1,
    b"\x1bM": 1,
    b"\x1bd": 1,
    b"\x1bJ": 1,
    b"\x1b2": 0,
    b"\x1b3": 1,
    b"\x1bG": 1,
    b"\x1bV": 1,
    b"\x1b{": 1,
    b"\x1bp": 3,
    b"\x1d!": 1,
    b"\x1dB": 1,
    b"\x1db": 1,
    b"\x1dL": 2,
    b"\x1dW": 2,
    b"\x1dH": 1,
    b"\x1dh": 1,
    b"\x1dw": 1,
    b"\x1df": 1,
    b"\x1c&": 0,
    b"\x1c.": 0,
    b"\x1c!": 1,
    b"\x1c-": 1,
    b"\x1cW": 1,
    b"\x10\x04": 1,
}


def _name(prefix: bytes) -> str:
    lead = {ESC: "ESC", GS: "GS", FS: "FS", DLE: "DLE"}[prefix[0]]
    rest = prefix[1:]
    if rest == b"\x04":
        return f"{lead} EOT"
    return f"{lead} {rest.decode('latin-1')}"


@dataclass(frozen=True)
class Command:
    """One parsed command. ``name`` is e.g. ``"ESC a"``, ``"GS ( k"``, ``"text"``, ``"LF"``, ``"unknown"``."""

    name: str
    raw: bytes
    params: bytes = b""
    data: bytes = b""


class EscPosParser:
    """Feed bytes as they arrive; get the complete commands so far."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    @property
    def pending(self) -> bytes:
        return bytes(self._buffer)

    def feed(self, data: bytes) -> list[Command]:
        self._buffer.extend(data)
        commands: list[Command] = []
        while self._buffer:
            parsed = self._next()
            if parsed is None:
                break
            command, used = parsed
            del self._buffer[:used]
            commands.append(command)
        return commands

    def _next(self) -> tuple[Command, int] | None:
        buf = self._buffer
        first = buf[0]
        if first == LF:
            return Command("LF", b"\n"), 1
        if first in (CR, HT):
            return Command("CR" if first == CR else "HT", bytes([first])), 1
        if first in (ESC, GS, FS, DLE):
            return self._control(buf)
        if first < 0x20 or first == 0x7F:
            return Command("unknown", bytes([first])), 1
        end = 0
        while end < len(buf) and buf[end] >= 0x20 and buf[end] != 0x7F:
            end += 1
        # A double-byte code split by a read boundary waits for its trail byte.
        if end == len(buf) and _ends_inside_pair(bytes(buf[:end])):
            if end == 1:
                return None
            end -= 1
        return Command("text", bytes(buf[:end]), data=bytes(buf[:end])), end

    def _control(self, buf: bytearray) -> tuple[Command, int] | None:
        if len(buf) < 2:
            return None
        prefix = bytes(buf[:2])
        if prefix == b"\x1dv":  # GS v 0 m xL xH yL yH d1...dk
            if len(buf) < 8:
                return None
            width_bytes = buf[4] + 256 * buf[5]
            height = buf[6] + 256 * buf[7]
            total = 8 + width_bytes * height
            if buf[2] != 0x30:
                return Command("unknown", bytes(buf[:3])), 3
            if len(buf) < total:
                return None
            return Command("GS v 0", bytes(buf[:total]), bytes(buf[3:8]), bytes(buf[8:total])), total
        if prefix == b"\x1d(":  # GS ( k / GS ( L pL pH data
            if len(buf) < 5:
                return None
            size = buf[3] + 256 * buf[4]
            total = 5 + size
            if len(buf) < total:
                return None
            name = f"GS ( {chr(buf[2])}"
            if buf[2] not in (ord("k"), ord("L")):
                return Command("unknown", bytes(buf[:total])), total
            return Command(name, bytes(buf[:total]), bytes(buf[2:5]), bytes(buf[5:total])), total
        if prefix == b"\x1dV":  # GS V m [n]
            if len(buf) < 3:
                return None
            mode = buf[2]
            total = 4 if mode in (65, 66, 97, 98, 103, 104) else 3
            if len(buf) < total:
                return None
            return Command("GS V", bytes(buf[:total]), bytes(buf[2:total])), total
        if prefix in FIXED:
            total = 2 + FIXED[prefix]
            if len(buf) < total:
                return None
            return Command(_name(prefix), bytes(buf[:total]), bytes(buf[2:total])), total
        return Command("unknown", prefix), 2


def _ends_inside_pair(text: bytes) -> bool:
    """True when the last byte is the lead byte of an unfinished CP949 pair."""
    index = 0
    while index < len(text):
        if text[index] >= 0x81:
            if index + 1 >= len(text):
                return True
            index += 2
        else:
            index += 1
    return False
