"""The 5-byte packet: exact bit layout, resynchronisation, and random bytes that never break it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.signature import packet
from devices.signature.packet import InfoReport, PacketDecoder, PenReport, PressureReport


def test_bit_layout_is_the_documented_one() -> None:
    # x = 0xABC = 1010101 11100 -> low 7 bits 0x3C, high 5 bits 0x15; y = 0x123 -> 0x23, 0x02
    assert packet.encode_pen(0xABC, 0x123, pen_down=True, proximity=True) == bytes(
        [0xC1, 0x3C, 0x15, 0x23, 0x02]
    )
    assert packet.encode_pen(5, 6, pen_down=False, proximity=False) == bytes([0x80, 5, 0, 6, 0])
    assert packet.encode_pressure(4095) == bytes([0x80 | 0x40 | 7 << 2 | 1, 0x7F, 0x1F, 0, 0])


def test_decodes_pen_pressure_and_info_reports() -> None:
    decoder = PacketDecoder()
    stream = packet.encode_info("TP") + packet.encode_pressure(2000) + packet.encode_pen(1234, 567, True)
    assert decoder.feed(stream) == [InfoReport("TP"), PressureReport(2000), PenReport(1234, 567, True, True)]


def test_split_across_reads_is_reassembled() -> None:
    decoder = PacketDecoder()
    data = packet.encode_pen(100, 200, True) + packet.encode_pen(101, 201, False)
    reports = [r for byte in data for r in decoder.feed(bytes([byte]))]
    assert reports == [PenReport(100, 200, True, True), PenReport(101, 201, False, True)]


def test_lost_byte_drops_only_the_damaged_packet() -> None:
    decoder = PacketDecoder()
    damaged = packet.encode_pen(300, 300, True)[:3]  # two bytes lost on the line
    reports = decoder.feed(damaged + packet.encode_pen(301, 302, True))
    assert reports == [PenReport(301, 302, True, True)]
    assert decoder.resyncs == 1


def test_garbage_between_packets_is_skipped() -> None:
    decoder = PacketDecoder()
    reports = decoder.feed(b"\x01\x02\x7f" + packet.encode_pen(7, 8, True) + b"\x00\x10")
    assert reports == [PenReport(7, 8, True, True)]
    assert decoder.dropped_bytes == 5


def test_points_outside_the_pad_range_are_dropped() -> None:
    decoder = PacketDecoder(x_range=(0, 2000), y_range=(0, 600))
    reports = decoder.feed(packet.encode_pen(2500, 100, True) + packet.encode_pen(1999, 600, True))
    assert reports == [PenReport(1999, 600, True, True)]
    assert decoder.out_of_range == 1


def test_unknown_packet_type_yields_nothing() -> None:
    assert PacketDecoder().feed(bytes([0x80 | 5 << 2, 1, 2, 3, 4])) == []


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=400),
    x_max=st.integers(1, 4095),
    y_max=st.integers(1, 4095),
    chunk=st.integers(1, 17),
)
def test_random_bytes_never_raise_nor_leave_the_pad_range(
    data: bytes, x_max: int, y_max: int, chunk: int
) -> None:
    decoder = PacketDecoder(x_range=(0, x_max), y_range=(0, y_max))
    for i in range(0, len(data), chunk):
        for report in decoder.feed(data[i : i + chunk]):
            if isinstance(report, PenReport):
                assert 0 <= report.x <= x_max and 0 <= report.y <= y_max
            elif isinstance(report, PressureReport):
                assert 0 <= report.pressure <= 4095


@settings(max_examples=150, deadline=None)
@given(
    points=st.lists(st.tuples(st.integers(0, 4095), st.integers(0, 4095), st.booleans()), max_size=30),
    garbage=st.lists(
        st.binary(max_size=6).map(lambda b: bytes(x & 0x7F for x in b)), min_size=30, max_size=30
    ),
)
def test_every_packet_survives_garbage_without_sync_bits(
    points: list[tuple[int, int, bool]], garbage: list[bytes]
) -> None:
    stream = b"".join(g + packet.encode_pen(x, y, d) for (x, y, d), g in zip(points, garbage, strict=False))
    decoded = PacketDecoder().feed(stream)
    assert decoded == [PenReport(x, y, d, True) for x, y, d in points]
