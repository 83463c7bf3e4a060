"""The SMPP 3.4 codec: every PDU we use survives a round trip, and bytes that are not a PDU get a clear
PduError with the status an SMSC would answer (never a crash of another kind)."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.sms.smpp import codec
from kiosk.sms.smpp.codec import (
    Bind,
    BindResp,
    Command,
    MessageIdResp,
    Pdu,
    PduError,
    ShortMessage,
    Status,
    Tag,
)

ascii_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=5)


def cstr(max_size: int) -> st.SearchStrategy[str]:
    return st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=max_size - 1)


octet = st.integers(0, 255)
smpp_time = st.one_of(st.just(""), st.from_regex(r"\A[0-9]{12}[0-9][0-4][0-9][+\-R]\Z"))
tlvs = st.lists(
    st.tuples(
        st.sampled_from([Tag.RECEIPTED_MESSAGE_ID, Tag.KIOSK_MESSAGE_ID, 0x1400]), st.binary(max_size=8)
    ),
    max_size=3,
).map(lambda items: tuple((int(tag), value) for tag, value in items))

short_messages = st.builds(
    ShortMessage,
    source_addr=cstr(21),
    destination_addr=cstr(21),
    short_message=st.binary(max_size=254),
    data_coding=octet,
    esm_class=octet,
    registered_delivery=octet,
    service_type=cstr(6),
    source_addr_ton=octet,
    dest_addr_npi=octet,
    schedule_delivery_time=smpp_time,
    validity_period=smpp_time,
    tlvs=tlvs,
)
bodies: dict[Command, st.SearchStrategy[codec.Body]] = {
    Command.BIND_TRANSCEIVER: st.builds(Bind, cstr(16), cstr(9), cstr(13), octet, octet, octet, cstr(41)),
    Command.BIND_TRANSCEIVER_RESP: st.builds(BindResp, cstr(16), tlvs),
    Command.SUBMIT_SM: short_messages,
    Command.DELIVER_SM: short_messages,
    Command.SUBMIT_SM_RESP: st.builds(MessageIdResp, cstr(65)),
    Command.DELIVER_SM_RESP: st.builds(MessageIdResp, st.just("")),
}


@st.composite
def pdus(draw: st.DrawFn) -> Pdu:
    command = draw(st.sampled_from(list(Command)))
    sequence = draw(st.integers(0 if command is Command.GENERIC_NACK else 1, 0x7FFFFFFF))
    status = draw(st.sampled_from([0, *Status])) if command.is_response else 0
    body = draw(bodies[command]) if command in bodies else None
    return Pdu(command, sequence, int(status), body)


@settings(max_examples=80, deadline=None)
@given(pdus())
def test_every_pdu_survives_a_round_trip(pdu: Pdu) -> None:
    assert codec.decode(codec.encode(pdu)) == pdu


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_refused_with_a_pdu_error_and_nothing_else(data: bytes) -> None:
    try:
        codec.decode(data)
    except PduError as exc:
        assert isinstance(exc.status, Status)


@settings(max_examples=60, deadline=None)
@given(pdus(), st.data())
def test_a_damaged_pdu_is_refused_or_still_a_pdu(pdu: Pdu, data: st.DataObject) -> None:
    raw = bytearray(codec.encode(pdu))
    cut = data.draw(st.integers(0, len(raw)))
    if data.draw(st.booleans()) and len(raw) > 16:
        at = data.draw(st.integers(16, len(raw) - 1))
        raw[at] = data.draw(octet)
    else:
        raw = raw[:cut]
        raw[0:4] = struct.pack(">I", len(raw))[: len(raw[0:4])]
    try:
        codec.decode(bytes(raw))
    except PduError:
        pass


def _submit() -> bytes:
    body = ShortMessage("0215880000", "01012345678", "안녕".encode("utf-16-be"), 8, registered_delivery=1)
    return codec.encode(Pdu(Command.SUBMIT_SM, 7, 0, body))


def test_a_submit_sm_reads_back_field_by_field() -> None:
    pdu = codec.decode(_submit())
    assert isinstance(pdu.body, ShortMessage)
    assert (pdu.command, pdu.sequence, pdu.body.destination_addr) == (Command.SUBMIT_SM, 7, "01012345678")
    assert pdu.body.short_message.decode("utf-16-be") == "안녕"
    assert pdu.body.registered_delivery == 1 and pdu.body.data_coding == 8


def _with_length(raw: bytes) -> bytes:
    return struct.pack(">I", len(raw)) + raw[4:]


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"\x00\x00\x00\x0c" + b"\x00" * 8, Status.RINVCMDLEN),  # shorter than a header
        (struct.pack(">IIII", 17, Command.ENQUIRE_LINK, 0, 1), Status.RINVCMDLEN),  # length lies
        (struct.pack(">IIII", 16, 0x00000099, 0, 1), Status.RINVCMDID),  # unknown command
        (
            struct.pack(">IIII", 17, Command.ENQUIRE_LINK, 0, 1) + b"x",
            Status.RINVCMDLEN,
        ),  # body on a bodiless
        (struct.pack(">IIII", 16, Command.SUBMIT_SM, 0, 1), Status.RINVCMDLEN),  # empty submit_sm
        (_with_length(_submit()[:-3]), Status.RINVCMDLEN),  # short_message cut short
        (_with_length(struct.pack(">IIII", 0, Command.BIND_TRANSCEIVER, 0, 1) + b"kiosk"), Status.RINVCMDLEN),
        (
            _with_length(
                struct.pack(">IIII", 0, Command.BIND_TRANSCEIVER, 0, 1) + b"kiosk\0" + b"p" * 12 + b"\0"
            ),
            Status.RINVPASWD,
        ),
        (_submit() + b"\x14\x01\x00", Status.RINVCMDLEN),  # length field no longer matches
        (_with_length(_submit() + b"\x14\x01\x00"), Status.RINVOPTPARSTREAM),  # truncated TLV
        (_with_length(_submit() + b"\x04\x27\x00\x02ab"), Status.RINVPARLEN),  # message_state of 2 octets
        (struct.pack(">IIII", 16, Command.ENQUIRE_LINK, 0, 0), Status.RINVCMDLEN),  # sequence 0
    ],
)
def test_malformed_pdus_get_the_status_an_smsc_answers(raw: bytes, status: Status) -> None:
    with pytest.raises(PduError) as caught:
        codec.decode(raw)
    assert caught.value.status == status


def test_an_error_response_may_come_without_a_body() -> None:
    raw = struct.pack(">IIII", 16, Command.SUBMIT_SM_RESP, Status.RTHROTTLED, 5)
    assert codec.decode(raw) == Pdu(Command.SUBMIT_SM_RESP, 5, Status.RTHROTTLED)


def test_text_in_both_short_message_and_message_payload_is_refused() -> None:
    body = ShortMessage("0215880000", "01012345678", b"ab", tlvs=((Tag.MESSAGE_PAYLOAD, b"cd"),))
    with pytest.raises(PduError) as caught:
        codec.decode(codec.encode(Pdu(Command.SUBMIT_SM, 1, 0, body)))
    assert caught.value.status == Status.RINVOPTPARAMVAL


def test_a_pdu_too_big_to_be_ours_is_refused_from_its_first_four_octets() -> None:
    with pytest.raises(PduError):
        codec.peek_length(struct.pack(">I", 1 << 20))
