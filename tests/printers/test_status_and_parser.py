"""The status decoder and the emulator's parser against good bytes, bad bytes and random bytes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from printers.escpos.parser import EscPosParser
from printers.escpos.status import HealthState, decode_status, health_from_replies

READY = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}


def test_decodes_each_condition_from_its_bits() -> None:
    assert health_from_replies(READY).state is HealthState.READY
    assert health_from_replies({**READY, 2: 0x12 | 0x04}).state is HealthState.COVER_OPEN
    assert health_from_replies({**READY, 4: 0x12 | 0x60}).state is HealthState.PAPER_OUT
    assert health_from_replies({**READY, 4: 0x12 | 0x0C}).state is HealthState.PAPER_NEAR_END
    assert health_from_replies({**READY, 3: 0x12 | 0x08}).state is HealthState.ERROR
    assert health_from_replies({**READY, 1: 0x12 | 0x08}).state is HealthState.OFFLINE


def test_silence_is_unknown_never_paper_out() -> None:
    health = health_from_replies({1: None})
    assert health.state is HealthState.UNKNOWN and health.paper_out is None
    assert health.code == "PRN-NO-ANSWER" and "응답" in health.message_ko
    assert health_from_replies({**READY, 4: None}).state is HealthState.UNKNOWN


def test_bytes_breaking_the_fixed_bits_are_garbage() -> None:
    for garbage in (0x00, 0xFF, 0xA5, 0x13, 0x92):
        assert decode_status(4, garbage) is None
        assert health_from_replies({**READY, 1: garbage}).state is HealthState.UNKNOWN


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(1, 4), st.one_of(st.none(), st.integers(0, 255)), min_size=1))
def test_any_replies_give_a_health_and_paper_out_only_from_a_valid_byte(
    replies: dict[int, int | None],
) -> None:
    health = health_from_replies(replies)
    assert health.state in set(HealthState)
    if health.state is HealthState.PAPER_OUT:
        assert all(value is not None and (value & 0x93) == 0x12 for value in replies.values())


def test_parser_reports_unknown_commands_with_their_bytes() -> None:
    commands = EscPosParser().feed(b"\x1b@AB\x1bz\x01\x1dV\x00")
    assert [c.name for c in commands] == ["ESC @", "text", "unknown", "unknown", "GS V"]
    assert commands[2].raw == b"\x1bz"


def test_parser_waits_for_the_rest_of_a_raster_image() -> None:
    parser = EscPosParser()
    image = b"\x1dv0\x00\x01\x00\x02\x00" + b"\xff\x10"  # 1 byte wide, 2 rows; data holds a DLE
    assert parser.feed(image[:9]) == []
    [command] = parser.feed(image[9:])
    assert command.name == "GS v 0" and command.data == b"\xff\x10"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.lists(st.integers(1, 40), max_size=20))
def test_parser_never_drops_or_invents_bytes_however_they_are_split(data: bytes, cuts: list[int]) -> None:
    whole = EscPosParser()
    expected = whole.feed(data)
    split = EscPosParser()
    got = []
    position = 0
    for size in cuts:
        got += split.feed(data[position : position + size])
        position += size
    got += split.feed(data[position:])
    assert b"".join(c.raw for c in got) + split.pending == data
    assert b"".join(c.raw for c in expected) + whole.pending == data
    assert [c.name for c in got if c.name != "text"] == [c.name for c in expected if c.name != "text"]


ESC_POS_PIECES = st.sampled_from(
    [
        b"\x1b@",
        b"\x1b!",
        b"\x1bE",
        b"\x1ba",
        b"\x1d!",
        b"\x1c&",
        b"\x1c.",
        b"\x1dV",
        b"\x1dv0",
        b"\x1d(k",
        b"\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(ESC_POS_PIECES, st.binary(max_size=12)), max_size=40))
def test_paper_draws_any_command_stream_without_crashing(pieces: list[bytes]) -> None:
    from printers.escpos.paper import Paper

    paper = Paper(576)
    for command in EscPosParser().feed(b"".join(pieces)):
        paper.apply(command)
    job = paper.tear_off(0, b"")
    assert job.image.width == 576
