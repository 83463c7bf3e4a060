"""BER-TLV as used by ICAO 9303 LDS files (EF.COM, DG1): tags of 1–3 bytes, definite lengths only."""

from __future__ import annotations

from dataclasses import dataclass, field


class TlvError(ValueError):
    """The bytes are not well-formed BER-TLV."""


@dataclass
class Tlv:
    tag: int
    value: bytes
    children: list[Tlv] = field(default_factory=list)

    @property
    def constructed(self) -> bool:
        first = self.tag
        while first > 0xFF:
            first >>= 8
        return bool(first & 0x20)

    def find(self, tag: int) -> Tlv | None:
        """Depth-first search for the first node with this tag (self included)."""
        if self.tag == tag:
            return self
        for child in self.children:
            hit = child.find(tag)
            if hit is not None:
                return hit
        return None


def _read_tag(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TlvError("missing tag")
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:  # multi-byte tag: continue while bit 8 is set
        for _ in range(3):
            if pos >= len(data):
                raise TlvError("truncated tag")
            byte = data[pos]
            pos += 1
            tag = (tag << 8) | byte
            if not byte & 0x80:
                break
        else:
            raise TlvError("tag longer than 4 bytes")
    return tag, pos


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TlvError("missing length")
    first = data[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    count = first & 0x7F
    if count == 0:
        raise TlvError("indefinite length is not allowed")
    if count > 3:
        raise TlvError("length field too long")
    if pos + count > len(data):
        raise TlvError("truncated length")
    return int.from_bytes(data[pos : pos + count], "big"), pos + count


def parse(data: bytes, depth: int = 0) -> list[Tlv]:
    """Parse a sequence of TLVs; constructed values are parsed recursively."""
    if depth > 16:
        raise TlvError("nested too deeply")
    nodes: list[Tlv] = []
    pos = 0
    while pos < len(data):
        if data[pos] in (0x00, 0xFF) and depth == 0 and all(b in (0x00, 0xFF) for b in data[pos:]):
            break  # padding after the last object (files are often read in whole blocks)
        tag, pos = _read_tag(data, pos)
        length, pos = _read_length(data, pos)
        if pos + length > len(data):
            raise TlvError(f"value of tag {tag:X} runs past the end ({length} > {len(data) - pos})")
        value = data[pos : pos + length]
        pos += length
        node = Tlv(tag, value)
        if node.constructed:
            node.children = parse(value, depth + 1)
        nodes.append(node)
    return nodes


def parse_one(data: bytes) -> Tlv:
    nodes = parse(data)
    if not nodes:
        raise TlvError("empty")
    return nodes[0]


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    if length <= 0xFF:
        return bytes([0x81, length])
    if length <= 0xFFFF:
        return bytes([0x82]) + length.to_bytes(2, "big")
    raise ValueError("length too large")


def encode(tag: int, value: bytes) -> bytes:
    tag_bytes = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    return tag_bytes + encode_length(len(value)) + value


def total_length(header: bytes) -> int:
    """Length of the whole first TLV given at least its first few bytes (to size a file read)."""
    tag_end = _read_tag(header, 0)[1]
    length, value_start = _read_length(header, tag_end)
    return value_start + length
