"""The smpplib backend against the emulated SMSC over real TCP: what the outbox and a person would see —
the message arrives on the phone, one delivery report, clear errors for a refused bind, throttling,
a dropped line and a silent SMSC, and a phone's reply as an InboundMessage."""

from __future__ import annotations

import logging
import socket
import struct
from collections.abc import Iterator

import pytest

from kiosk.sms.gateway import (
    DeliveryReport,
    DeliveryStatus,
    GatewayError,
    GatewayErrorKind,
    InboundMessage,
    MessageKind,
    OutgoingMessage,
)
from kiosk.sms.smpp import codec
from kiosk.sms.smpp.backend import SmppGateway
from kiosk.sms.smpp.codec import Command, Pdu, ShortMessage, Status
from kiosk.sms.smpp.emulator import SmscEmulator
from tests.polling import wait_until

PHONE = "01012345678"
SENDER = "0215880000"


def message(text: str, message_id: str = "m-1", to: str = PHONE) -> OutgoingMessage:
    kind = MessageKind.SMS if len(text) <= 70 else MessageKind.LMS
    return OutgoingMessage(message_id, to, SENDER, text, kind)


@pytest.fixture
def smsc() -> Iterator[SmscEmulator]:
    emulator = SmscEmulator(system_id="kiosk", password="secret", dlr_delay_s=0.0)
    emulator.start()
    yield emulator
    emulator.stop()


class Line:
    """A gateway with its reports and replies collected."""

    def __init__(self, smsc: SmscEmulator, password: str = "secret") -> None:
        host, port = smsc.address
        self.gateway = SmppGateway(
            host, port, "kiosk", password, window=10, source_addr=SENDER, response_timeout_s=0.6,
            backoff_s=(0.02, 0.2), enquire_link_s=0.3,
        )  # fmt: skip
        self.reports: list[DeliveryReport] = []
        self.replies: list[InboundMessage] = []
        self.gateway.on_report(self.reports.append)
        self.gateway.on_inbound(self.replies.append)


@pytest.fixture
def line(smsc: SmscEmulator) -> Iterator[Line]:
    made = Line(smsc)
    yield made
    made.gateway.close()


def test_one_sms_reaches_the_phone_with_one_delivrd_report(smsc: SmscEmulator, line: Line) -> None:
    sent = line.gateway.submit(message("[구청] 상담 예약이 확인됐어요."))
    wait_until(lambda: line.reports, 3, message="delivery report")
    assert [(r.gateway_id, r.status) for r in line.reports] == [(sent.gateway_id, DeliveryStatus.DELIVRD)]
    assert [(m.to, m.sender, m.text) for m in smsc.inbox] == [
        (PHONE, SENDER, "[구청] 상담 예약이 확인됐어요.")
    ]
    submit = smsc.received(Command.SUBMIT_SM)[0].body
    assert isinstance(submit, ShortMessage) and submit.data_coding == 8 and not submit.has_udh
    assert smsc.violations == [] and smsc.rejections == []


def test_a_long_hangul_message_goes_in_parts_and_is_reported_once(smsc: SmscEmulator, line: Line) -> None:
    text = "안녕하세요. 사후관리 안내예요. " * 8  # 152 characters: 3 parts of at most 67
    sent = line.gateway.submit(message(text))
    wait_until(lambda: line.reports, 3, message="one report for the whole message")
    parts = [p.body for p in smsc.received(Command.SUBMIT_SM)]
    assert len(parts) == 3 and all(isinstance(p, ShortMessage) and p.has_udh for p in parts)
    assert [m.text for m in smsc.inbox] == [text]
    wait_until(lambda: len(smsc.log) >= 12, 2)  # every part's receipt answered
    assert [(r.gateway_id, r.status) for r in line.reports] == [(sent.gateway_id, DeliveryStatus.DELIVRD)]
    assert smsc.violations == []


def test_an_undeliverable_number_gets_an_undeliv_report(smsc: SmscEmulator, line: Line) -> None:
    smsc.fail_number("01098765432")
    sent = line.gateway.submit(message("안내", to="01098765432"))
    report = wait_until(lambda: line.reports, 3)[0]
    assert (report.gateway_id, report.status, report.error) == (
        sent.gateway_id,
        DeliveryStatus.UNDELIV,
        "001",
    )


def test_a_resent_message_is_the_same_message_at_the_smsc(smsc: SmscEmulator, line: Line) -> None:
    first = line.gateway.submit(message("인증번호는 123456이에요.", message_id="same"))
    again = line.gateway.submit(message("인증번호는 123456이에요.", message_id="same"))
    assert again.gateway_id == first.gateway_id
    assert len(smsc.inbox) == 1


def test_a_wrong_password_is_an_auth_error(smsc: SmscEmulator) -> None:
    wrong = Line(smsc, password="wrong")
    try:
        with pytest.raises(GatewayError) as caught:
            wrong.gateway.submit(message("안내"))
        assert caught.value.kind is GatewayErrorKind.AUTH and not caught.value.retryable
        assert "RINVPASWD" in caught.value.detail
    finally:
        wrong.gateway.close()


def test_throttling_is_a_throttled_error_and_the_next_second_goes(smsc: SmscEmulator, line: Line) -> None:
    smsc.throttle(1)
    line.gateway.submit(message("하나", message_id="a"))
    with pytest.raises(GatewayError) as caught:
        line.gateway.submit(message("둘", message_id="b"))
    assert caught.value.kind is GatewayErrorKind.THROTTLED and caught.value.retryable
    smsc.throttle(None)
    smsc.fail_next(1, "throttled")
    with pytest.raises(GatewayError):
        line.gateway.submit(message("둘", message_id="b"))
    line.gateway.submit(message("둘", message_id="b"))
    assert [m.text for m in smsc.inbox] == ["하나", "둘"]


def test_a_refused_message_is_rejected_and_never_retried(smsc: SmscEmulator, line: Line) -> None:
    with pytest.raises(GatewayError) as caught:
        line.gateway.submit(message("확인했어요 👍"))
    assert caught.value.kind is GatewayErrorKind.REJECTED
    with pytest.raises(GatewayError) as caught:
        line.gateway.submit(message("안내", to="0212345678"))  # a landline: the SMSC refuses it
    assert caught.value.kind is GatewayErrorKind.REJECTED and "RINVDSTADR" in caught.value.detail
    assert smsc.inbox == []


def test_a_dropped_connection_reconnects_and_the_next_message_goes(
    smsc: SmscEmulator, line: Line, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    line.gateway.submit(message("하나", message_id="a"))
    smsc.drop_connection()
    line.gateway.submit(message("둘", message_id="b"))
    assert line.gateway.binds == 2
    wait_until(lambda: len(line.reports) == 2, 3, message="both reports")
    assert PHONE not in caplog.text and "1234-5678" not in caplog.text


def test_a_silent_smsc_is_unavailable_in_time(smsc: SmscEmulator, line: Line) -> None:
    line.gateway.submit(message("하나", message_id="a"))
    smsc.go_silent()
    with pytest.raises(GatewayError) as caught:
        line.gateway.submit(message("둘", message_id="b"))
    assert caught.value.kind is GatewayErrorKind.UNAVAILABLE and caught.value.retryable
    smsc.recover()

    def goes() -> bool:
        try:
            line.gateway.submit(message("둘", message_id="b"))
        except GatewayError:
            return False
        return True

    wait_until(goes, 5, message="sending again after the SMSC recovered")
    wait_until(lambda: len(line.reports) == 2, 3, message="both reports (the held one too)")


def test_a_reply_from_a_phone_arrives_as_an_inbound_message(smsc: SmscEmulator, line: Line) -> None:
    line.gateway.submit(message("확인은 1, 전화 요청은 2를 보내 주세요."))
    smsc.reply_from("01055556666", "2 전화 주세요")
    reply = wait_until(lambda: line.replies, 3)[0]
    assert (reply.sender, reply.text) == ("01055556666", "2 전화 주세요")


def test_a_quiet_line_is_kept_alive_with_enquire_link(smsc: SmscEmulator, line: Line) -> None:
    line.gateway.submit(message("안내"))
    wait_until(lambda: smsc.received(Command.ENQUIRE_LINK), 3, message="enquire_link on a quiet line")
    assert line.gateway.binds == 1 and smsc.violations == []


def _raw_exchange(smsc: SmscEmulator, data: bytes) -> Pdu:
    with socket.create_connection(smsc.address, timeout=2) as sock:
        sock.sendall(data)
        head = sock.recv(4, socket.MSG_WAITALL)
        (length,) = struct.unpack(">I", head)
        return codec.decode(head + sock.recv(length - 4, socket.MSG_WAITALL))


def test_the_smsc_answers_garbage_and_unbound_submits_as_an_smsc_does(smsc: SmscEmulator) -> None:
    unknown = _raw_exchange(smsc, struct.pack(">IIII", 16, 0x00000077, 0, 3))
    assert (unknown.command, unknown.status, unknown.sequence) == (Command.GENERIC_NACK, Status.RINVCMDID, 3)
    body = ShortMessage(SENDER, PHONE, "안녕".encode("utf-16-be"))
    early = _raw_exchange(smsc, codec.encode(Pdu(Command.SUBMIT_SM, 1, 0, body)))
    assert (early.command, early.status) == (Command.GENERIC_NACK, Status.RINVBNDSTS)
    assert smsc.inbox == [] and smsc.violations  # the first was noted as the client's fault


class RawEsme:
    """A hand-driven client, for what smpplib would never send."""

    def __init__(self, smsc: SmscEmulator) -> None:
        self.sock = socket.create_connection(smsc.address, timeout=2)

    def ask(self, pdu: Pdu) -> Pdu:
        self.sock.sendall(codec.encode(pdu))
        head = self.sock.recv(4, socket.MSG_WAITALL)
        (length,) = struct.unpack(">I", head)
        return codec.decode(head + self.sock.recv(length - 4, socket.MSG_WAITALL))


@pytest.mark.parametrize(
    ("short_message", "data_coding", "esm_class"),
    [
        (b"\x05\x00\x03\x01\x02\x03" + "가".encode("utf-16-be"), 8, 0x40),  # part 3 of 2
        (b"\x09\x00\x03", 8, 0x40),  # UDH longer than the message
        (b"\xac\x00\x01", 8, 0),  # odd UCS-2
        ("가".encode("utf-16-be") * 71, 8, 0),  # 71 characters in one segment
        (b"\x05\x00\x03\x01\x02\x01" + "가".encode("utf-16-be") * 68, 8, 0x40),  # a part of 68
        (b"hello", 4, 0),  # a data coding the SMSC does not take
        (b"", 8, 0),  # nothing
    ],
)
def test_the_smsc_refuses_broken_message_text(
    smsc: SmscEmulator, short_message: bytes, data_coding: int, esm_class: int
) -> None:
    esme = RawEsme(smsc)
    try:
        bound = esme.ask(Pdu(Command.BIND_TRANSCEIVER, 1, 0, codec.Bind("kiosk", "secret")))
        assert bound.status == Status.ROK
        body = ShortMessage(SENDER, PHONE, short_message, data_coding, esm_class=esm_class)
        answer = esme.ask(Pdu(Command.SUBMIT_SM, 2, 0, body))
        assert (answer.command, answer.status) == (Command.SUBMIT_SM_RESP, Status.RINVMSGLEN)
        assert smsc.inbox == []
        again = esme.ask(Pdu(Command.ENQUIRE_LINK, 2, 0))  # a sequence number that did not rise
        assert again.command is Command.ENQUIRE_LINK_RESP and smsc.violations == ["sequence 2 after 2"]
    finally:
        esme.sock.close()
