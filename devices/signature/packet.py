"""The 5-byte serial signature-pad packet (Topaz-style), encoded and decoded.

Exact format implemented here (every byte is 8 data bits; the line is 19200 baud 8O1 by default)::

    byte 0   1 P 0 T T T 0 D     bit 7 = 1: start of packet (the only byte with bit 7 set)
                                 bit 6 P  = pen in proximity (hovering or touching)
                                 bits 4-2 = packet type: 0 coordinates, 7 pressure, 2 model/serial info
                                 bit 0 D  = pen down (tip switch closed)
                                 bits 5, 1 are reserved: sent as 0, ignored when read
    byte 1   0 x6 x5 x4 x3 x2 x1 x0       low 7 bits of x
    byte 2   0 0  0  x11 x10 x9 x8 x7     high 5 bits of x   ->  x = byte1 | (byte2 & 0x1F) << 7
    byte 3   0 y6 y5 y4 y3 y2 y1 y0       low 7 bits of y
    byte 4   0 0  0  y11 y10 y9 y8 y7     high 5 bits of y   ->  y = byte3 | (byte4 & 0x1F) << 7

Type 7 (pressure) carries the tip pressure 0..4095 in bytes 1-2 exactly where x sits in a coordinate
packet (bytes 3-4 are 0); it is sent *before* the coordinate packet it belongs to. Type 2 (info) carries
two 7-bit ASCII characters of the model name in bytes 1 and 3. x grows to the right and y downwards in
the pad's own orientation; 0..4095 is the widest possible range, a given pad reports a smaller box.

Decoding is a stream: bytes arrive in any chunking, garbage and lost bytes are expected. The decoder
waits for a byte with bit 7 set, then needs four bytes with bit 7 clear; a sync byte arriving early
means a byte was lost, so the partial packet is dropped and decoding restarts at that byte. Packets
whose coordinates fall outside the configured pad range are dropped too (they can only be corruption),
so no decoded point is ever outside the pad's range and no input makes the decoder raise.
"""

from __future__ import annotations

from dataclasses import dataclass

SYNC = 0x80
PROXIMITY = 0x40
PEN_DOWN = 0x01
TYPE_SHIFT = 2
TYPE_MASK = 0x07

TYPE_COORDINATES = 0
TYPE_INFO = 2
TYPE_PRESSURE = 7

MAX_VALUE = 0x0FFF  # 12 bits
PACKET_LENGTH = 5


@dataclass(frozen=True, slots=True)
class PenReport:
    """One coordinate packet: raw pad counts and the pen state."""

    x: int
    y: int
    pen_down: bool
    proximity: bool


@dataclass(frozen=True, slots=True)
class PressureReport:
    """Tip pressure 0..4095 for the coordinate packet that follows."""

    pressure: int


@dataclass(frozen=True, slots=True)
class InfoReport:
    """Two characters of the pad's model name."""

    text: str


Report = PenReport | PressureReport | InfoReport


def _split(value: int) -> tuple[int, int]:
    if not 0 <= value <= MAX_VALUE:
        raise ValueError(f"{value} does not fit in 12 bits")
    return value & 0x7F, value >> 7


def _join(low: int, high: int) -> int:
    return low | (high & 0x1F) << 7


def encode_pen(x: int, y: int, pen_down: bool, proximity: bool = True) -> bytes:
    """The coordinate packet a pad sends for one sample."""
    head = SYNC | (PROXIMITY if proximity else 0) | (PEN_DOWN if pen_down else 0)
    x_lo, x_hi = _split(x)
    y_lo, y_hi = _split(y)
    return bytes((head, x_lo, x_hi, y_lo, y_hi))


def encode_pressure(pressure: int, pen_down: bool = True) -> bytes:
    """The pressure packet sent before a coordinate packet."""
    head = SYNC | PROXIMITY | TYPE_PRESSURE << TYPE_SHIFT | (PEN_DOWN if pen_down else 0)
    lo, hi = _split(pressure)
    return bytes((head, lo, hi, 0, 0))


def encode_info(text: str) -> bytes:
    """Info packets carrying ``text`` (7-bit ASCII), two characters each."""
    data = text.encode("ascii")
    out = bytearray()
    for i in range(0, len(data), 2):
        a = data[i] & 0x7F
        b = data[i + 1] & 0x7F if i + 1 < len(data) else 0
        out += bytes((SYNC | TYPE_INFO << TYPE_SHIFT, a, 0, b, 0))
    return bytes(out)


class PacketDecoder:
    """Turns a byte stream into reports, resynchronising after garbage or a lost byte.

    ``x_range``/``y_range`` are the inclusive ranges the pad can report; anything else is dropped.
    Counters (``packets``, ``resyncs``, ``dropped_bytes``, ``out_of_range``) feed diagnostics.
    """

    def __init__(self, x_range: tuple[int, int] = (0, MAX_VALUE), y_range: tuple[int, int] = (0, MAX_VALUE)):
        self.x_range = x_range
        self.y_range = y_range
        self._partial = bytearray()
        self.packets = 0
        self.resyncs = 0
        self.dropped_bytes = 0
        self.out_of_range = 0

    def reset(self) -> None:
        """Forget a partial packet (after reopening the port)."""
        self._partial.clear()

    def feed(self, data: bytes) -> list[Report]:
        """Decode as many complete packets as ``data`` finishes; keep the rest for the next call."""
        reports: list[Report] = []
        for byte in data:
            if byte & SYNC:
                if self._partial:
                    # A new packet began before this one ended: a byte was lost on the line.
                    self.resyncs += 1
                    self.dropped_bytes += len(self._partial)
                self._partial = bytearray((byte,))
                continue
            if not self._partial:
                self.dropped_bytes += 1  # garbage between packets
                continue
            self._partial.append(byte)
            if len(self._partial) == PACKET_LENGTH:
                report = self._decode(bytes(self._partial))
                self._partial.clear()
                if report is not None:
                    self.packets += 1
                    reports.append(report)
        return reports

    def _decode(self, packet: bytes) -> Report | None:
        head = packet[0]
        kind = head >> TYPE_SHIFT & TYPE_MASK
        if kind == TYPE_COORDINATES:
            x = _join(packet[1], packet[2])
            y = _join(packet[3], packet[4])
            if not (self.x_range[0] <= x <= self.x_range[1] and self.y_range[0] <= y <= self.y_range[1]):
                self.out_of_range += 1
                return None
            return PenReport(x, y, pen_down=bool(head & PEN_DOWN), proximity=bool(head & PROXIMITY))
        if kind == TYPE_PRESSURE:
            return PressureReport(_join(packet[1], packet[2]))
        if kind == TYPE_INFO:
            chars = bytes(c for c in (packet[1], packet[3]) if 0x20 <= c < 0x7F)
            return InfoReport(chars.decode("ascii"))
        self.dropped_bytes += PACKET_LENGTH  # a type this driver does not know
        return None
