"""SMPP 3.4 PDUs, encoded and decoded strictly: the few operations a kiosk's transceiver needs.

A PDU is a 16-byte header (command_length, command_id, command_status, sequence_number, all big-endian
32-bit) and a body of C-strings (NUL-terminated, each with its maximum size), integers and TLVs.
Anything that is not a well-formed PDU of a command we know raises `PduError` carrying the status an
SMSC answers with (ESME_RINVCMDLEN, ESME_RINVCMDID, …): the emulator turns it into a generic_nack.

This codec is the emulator's (the server side). The backend speaks through ``smpplib``, so the two
sides of every test are independent implementations of the protocol.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntEnum

MAX_PDU_LENGTH = 4096  # far above any PDU we send; a larger length is a broken stream
MAX_SHORT_MESSAGE = 254  # sm_length is one octet, 255 is reserved by SMPP 3.4
HEADER = struct.Struct(">IIII")


class Command(IntEnum):
    GENERIC_NACK = 0x80000000
    BIND_TRANSCEIVER = 0x00000009
    BIND_TRANSCEIVER_RESP = 0x80000009
    SUBMIT_SM = 0x00000004
    SUBMIT_SM_RESP = 0x80000004
    DELIVER_SM = 0x00000005
    DELIVER_SM_RESP = 0x80000005
    UNBIND = 0x00000006
    UNBIND_RESP = 0x80000006
    ENQUIRE_LINK = 0x00000015
    ENQUIRE_LINK_RESP = 0x80000015

    @property
    def is_response(self) -> bool:
        return bool(self.value & 0x80000000)

    def response(self) -> Command:
        return Command(self.value | 0x80000000)


class Status(IntEnum):
    ROK = 0x00
    RINVMSGLEN = 0x01
    RINVCMDLEN = 0x02
    RINVCMDID = 0x03
    RINVBNDSTS = 0x04
    RALYBND = 0x05
    RSYSERR = 0x08
    RINVSRCADR = 0x0A
    RINVDSTADR = 0x0B
    RINVMSGID = 0x0C
    RBINDFAIL = 0x0D
    RINVPASWD = 0x0E
    RINVSYSID = 0x0F
    RMSGQFUL = 0x14
    RINVESMCLASS = 0x43
    RSUBMITFAIL = 0x45
    RTHROTTLED = 0x58
    RINVSCHED = 0x61
    RINVEXPIRY = 0x62
    RINVOPTPARSTREAM = 0xC0
    RINVPARLEN = 0xC2
    RINVOPTPARAMVAL = 0xC4
    RUNKNOWNERR = 0xFF


class Tag(IntEnum):
    """The TLVs we read or write (SMPP 3.4 §5.3.2) and our one vendor TLV."""

    RECEIPTED_MESSAGE_ID = 0x001E
    USER_MESSAGE_REFERENCE = 0x0204
    MESSAGE_PAYLOAD = 0x0424
    MESSAGE_STATE = 0x0427
    # Vendor-specific range (0x1400-0x3FFF): our own message id, so the SMSC drops a resent copy.
    KIOSK_MESSAGE_ID = 0x1501


class PduError(ValueError):
    """Not a PDU we accept. ``status`` is what the SMSC answers; ``sequence`` when the header was read."""

    def __init__(self, status: Status, detail: str, sequence: int = 0) -> None:
        super().__init__(f"{status.name}: {detail}")
        self.status = status
        self.detail = detail
        self.sequence = sequence


@dataclass(frozen=True)
class Bind:
    system_id: str
    password: str
    system_type: str = ""
    interface_version: int = 0x34
    addr_ton: int = 0
    addr_npi: int = 0
    address_range: str = ""


@dataclass(frozen=True)
class BindResp:
    system_id: str
    tlvs: tuple[tuple[int, bytes], ...] = ()


@dataclass(frozen=True)
class ShortMessage:
    """The body of submit_sm and deliver_sm (the same layout in SMPP 3.4)."""

    source_addr: str
    destination_addr: str
    short_message: bytes = b""
    data_coding: int = 8
    esm_class: int = 0
    registered_delivery: int = 0
    service_type: str = ""
    source_addr_ton: int = 0
    source_addr_npi: int = 0
    dest_addr_ton: int = 0
    dest_addr_npi: int = 0
    protocol_id: int = 0
    priority_flag: int = 0
    schedule_delivery_time: str = ""
    validity_period: str = ""
    replace_if_present_flag: int = 0
    sm_default_msg_id: int = 0
    tlvs: tuple[tuple[int, bytes], ...] = ()

    def tlv(self, tag: int) -> bytes | None:
        return next((value for t, value in self.tlvs if t == tag), None)

    @property
    def payload(self) -> bytes:
        """The message octets: short_message, or the message_payload TLV when it carries them."""
        return self.tlv(Tag.MESSAGE_PAYLOAD) or self.short_message

    @property
    def has_udh(self) -> bool:
        return bool(self.esm_class & 0x40)

    @property
    def is_receipt(self) -> bool:
        return (self.esm_class & 0x3C) == 0x04


@dataclass(frozen=True)
class MessageIdResp:
    """submit_sm_resp (the SMSC's message id) and deliver_sm_resp (message_id always empty)."""

    message_id: str = ""


Body = Bind | BindResp | ShortMessage | MessageIdResp | None

_BODY_TYPES: dict[Command, type | None] = {
    Command.GENERIC_NACK: None,
    Command.BIND_TRANSCEIVER: Bind,
    Command.BIND_TRANSCEIVER_RESP: BindResp,
    Command.SUBMIT_SM: ShortMessage,
    Command.SUBMIT_SM_RESP: MessageIdResp,
    Command.DELIVER_SM: ShortMessage,
    Command.DELIVER_SM_RESP: MessageIdResp,
    Command.UNBIND: None,
    Command.UNBIND_RESP: None,
    Command.ENQUIRE_LINK: None,
    Command.ENQUIRE_LINK_RESP: None,
}


@dataclass(frozen=True)
class Pdu:
    command: Command
    sequence: int
    status: int = 0
    body: Body = field(default=None)

    def __post_init__(self) -> None:
        expected = _BODY_TYPES[self.command]
        if self.body is not None and not isinstance(self.body, expected or type(None)):
            raise TypeError(f"{self.command.name} does not carry a {type(self.body).__name__}")
        if not 0 <= self.sequence <= 0x7FFFFFFF or not 0 <= self.status <= 0xFFFFFFFF:
            raise ValueError("sequence must be 0..0x7FFFFFFF and status 0..0xFFFFFFFF")


# --- encoding ----------------------------------------------------------------------------------------


def _cstr(value: str, max_size: int) -> bytes:
    raw = value.encode("ascii")
    if len(raw) >= max_size or b"\0" in raw:
        raise ValueError(f"C-string {value!r} does not fit in {max_size} octets")
    return raw + b"\0"


def _tlvs(tlvs: tuple[tuple[int, bytes], ...]) -> bytes:
    return b"".join(struct.pack(">HH", tag, len(value)) + value for tag, value in tlvs)


def _encode_body(body: Body) -> bytes:
    if body is None:
        return b""
    if isinstance(body, Bind):
        return b"".join(
            (
                _cstr(body.system_id, 16),
                _cstr(body.password, 9),
                _cstr(body.system_type, 13),
                bytes((body.interface_version, body.addr_ton, body.addr_npi)),
                _cstr(body.address_range, 41),
            )
        )
    if isinstance(body, BindResp):
        return _cstr(body.system_id, 16) + _tlvs(body.tlvs)
    if isinstance(body, MessageIdResp):
        return _cstr(body.message_id, 65)
    if len(body.short_message) > MAX_SHORT_MESSAGE:
        raise ValueError("short_message longer than 254 octets; use message_payload")
    return b"".join(
        (
            _cstr(body.service_type, 6),
            bytes((body.source_addr_ton, body.source_addr_npi)),
            _cstr(body.source_addr, 21),
            bytes((body.dest_addr_ton, body.dest_addr_npi)),
            _cstr(body.destination_addr, 21),
            bytes((body.esm_class, body.protocol_id, body.priority_flag)),
            _cstr(body.schedule_delivery_time, 17),
            _cstr(body.validity_period, 17),
            bytes((body.registered_delivery, body.replace_if_present_flag, body.data_coding)),
            bytes((body.sm_default_msg_id, len(body.short_message))),
            body.short_message,
            _tlvs(body.tlvs),
        )
    )


def encode(pdu: Pdu) -> bytes:
    body = _encode_body(pdu.body)
    return HEADER.pack(HEADER.size + len(body), pdu.command.value, pdu.status, pdu.sequence) + body


# --- decoding ----------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: bytes, sequence: int) -> None:
        self.data, self.pos, self.sequence = data, 0, sequence

    def fail(self, status: Status, detail: str) -> PduError:
        return PduError(status, detail, self.sequence)

    def cstr(self, name: str, max_size: int, status: Status = Status.RINVCMDLEN) -> str:
        end = self.data.find(b"\0", self.pos, self.pos + max_size)
        if end < 0:
            if len(self.data) - self.pos < max_size:
                raise self.fail(Status.RINVCMDLEN, f"{name}: unterminated C-string (truncated body)")
            raise self.fail(status, f"{name}: longer than {max_size - 1} characters")
        raw = self.data[self.pos : end]
        self.pos = end + 1
        if not raw.isascii():
            raise self.fail(status, f"{name}: not ASCII")
        return raw.decode("ascii")

    def octet(self, name: str) -> int:
        if self.pos >= len(self.data):
            raise self.fail(Status.RINVCMDLEN, f"{name}: truncated body")
        self.pos += 1
        return self.data[self.pos - 1]

    def octets(self, name: str, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise self.fail(Status.RINVCMDLEN, f"{name}: {n} octets announced, body ends first")
        self.pos += n
        return self.data[self.pos - n : self.pos]

    def tlvs(self) -> tuple[tuple[int, bytes], ...]:
        out: list[tuple[int, bytes]] = []
        while self.pos < len(self.data):
            if len(self.data) - self.pos < 4:
                raise self.fail(Status.RINVOPTPARSTREAM, "TLV header truncated")
            tag, length = struct.unpack_from(">HH", self.data, self.pos)
            self.pos += 4
            if self.pos + length > len(self.data):
                raise self.fail(Status.RINVOPTPARSTREAM, f"TLV 0x{tag:04X} longer than the body")
            if tag in (Tag.MESSAGE_STATE,) and length != 1:
                raise self.fail(Status.RINVPARLEN, f"TLV 0x{tag:04X} must be 1 octet")
            if tag == Tag.USER_MESSAGE_REFERENCE and length != 2:
                raise self.fail(Status.RINVPARLEN, "user_message_reference must be 2 octets")
            out.append((tag, self.data[self.pos : self.pos + length]))
            self.pos += length
        return tuple(out)

    def end(self) -> None:
        if self.pos != len(self.data):
            raise self.fail(Status.RINVCMDLEN, f"{len(self.data) - self.pos} octets after the body")


def _time_field(reader: _Reader, name: str, status: Status) -> str:
    value = reader.cstr(name, 17, status)
    if value and (len(value) != 16 or not value[:12].isdigit() or value[15] not in "+-R"):
        raise reader.fail(status, f"{name}: not an SMPP time (YYMMDDhhmmsstnnp)")
    return value


def _decode_short_message(r: _Reader) -> ShortMessage:
    service_type = r.cstr("service_type", 6)
    src_ton, src_npi = r.octet("source_addr_ton"), r.octet("source_addr_npi")
    source = r.cstr("source_addr", 21, Status.RINVSRCADR)
    dst_ton, dst_npi = r.octet("dest_addr_ton"), r.octet("dest_addr_npi")
    destination = r.cstr("destination_addr", 21, Status.RINVDSTADR)
    esm_class, protocol_id, priority = r.octet("esm_class"), r.octet("protocol_id"), r.octet("priority_flag")
    schedule = _time_field(r, "schedule_delivery_time", Status.RINVSCHED)
    validity = _time_field(r, "validity_period", Status.RINVEXPIRY)
    registered, replace, coding = r.octet("registered_delivery"), r.octet("replace_if"), r.octet("dcs")
    default_id, sm_length = r.octet("sm_default_msg_id"), r.octet("sm_length")
    if sm_length > MAX_SHORT_MESSAGE:
        raise r.fail(Status.RINVMSGLEN, "sm_length 255 is reserved")
    short_message = r.octets("short_message", sm_length)
    tlvs = r.tlvs()
    if short_message and any(tag == Tag.MESSAGE_PAYLOAD for tag, _ in tlvs):
        raise r.fail(Status.RINVOPTPARAMVAL, "both short_message and message_payload carry the text")
    return ShortMessage(
        source_addr=source,
        destination_addr=destination,
        short_message=short_message,
        data_coding=coding,
        esm_class=esm_class,
        registered_delivery=registered,
        service_type=service_type,
        source_addr_ton=src_ton,
        source_addr_npi=src_npi,
        dest_addr_ton=dst_ton,
        dest_addr_npi=dst_npi,
        protocol_id=protocol_id,
        priority_flag=priority,
        schedule_delivery_time=schedule,
        validity_period=validity,
        replace_if_present_flag=replace,
        sm_default_msg_id=default_id,
        tlvs=tlvs,
    )


def _decode_body(command: Command, status: int, r: _Reader) -> Body:
    kind = _BODY_TYPES[command]
    if kind is None:
        r.end()
        return None
    if command.is_response and status != 0 and not r.data:
        return None  # an error response may omit its body (SMPP 3.4 §3.3)
    body: Body
    if kind is Bind:
        body = Bind(
            system_id=r.cstr("system_id", 16, Status.RINVSYSID),
            password=r.cstr("password", 9, Status.RINVPASWD),
            system_type=r.cstr("system_type", 13),
            interface_version=r.octet("interface_version"),
            addr_ton=r.octet("addr_ton"),
            addr_npi=r.octet("addr_npi"),
            address_range=r.cstr("address_range", 41),
        )
    elif kind is BindResp:
        body = BindResp(r.cstr("system_id", 16, Status.RINVSYSID), r.tlvs())
    elif kind is MessageIdResp:
        body = MessageIdResp(r.cstr("message_id", 65, Status.RINVMSGID))
    else:
        body = _decode_short_message(r)
    r.end()
    return body


def peek_length(header: bytes) -> int:
    """The command_length of a stream's next PDU (from its first 4 octets), checked for sanity."""
    if len(header) < 4:
        raise PduError(Status.RINVCMDLEN, "fewer than 4 octets")
    (length,) = struct.unpack_from(">I", header)
    if not HEADER.size <= length <= MAX_PDU_LENGTH:
        raise PduError(Status.RINVCMDLEN, f"command_length {length} outside 16..{MAX_PDU_LENGTH}")
    return length


def decode(data: bytes) -> Pdu:
    """Exactly one PDU from ``data`` (all of it), or `PduError`."""
    length = peek_length(data)
    if len(data) < HEADER.size:
        raise PduError(Status.RINVCMDLEN, "header truncated")
    _, command_id, status, sequence = HEADER.unpack_from(data)
    if length != len(data):
        raise PduError(Status.RINVCMDLEN, f"command_length {length}, {len(data)} octets given", sequence)
    try:
        command = Command(command_id)
    except ValueError:
        raise PduError(Status.RINVCMDID, f"unknown command_id 0x{command_id:08X}", sequence) from None
    if sequence > 0x7FFFFFFF or (sequence == 0 and command is not Command.GENERIC_NACK):
        raise PduError(Status.RINVCMDLEN, f"sequence_number {sequence} outside 1..0x7FFFFFFF", sequence)
    body = _decode_body(command, status, _Reader(data[HEADER.size :], sequence))
    return Pdu(command, sequence, status, body)
