"""A running provider emulator and a gateway to it, fresh for each test (both start in milliseconds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.sms.gateway import DeliveryReport, InboundMessage, MessageKind, OutgoingMessage
from kiosk.sms.http.backend import HttpGateway
from kiosk.sms.http.emulator import ProviderEmulator

SENDER = "0215880000"
PHONE = "01012345678"


def outgoing(
    message_id: str, text: str = "안녕하세요, 상담 예약을 알려 드려요", **kw: object
) -> OutgoingMessage:
    fields: dict[str, object] = {"to": PHONE, "sender": SENDER, "kind": MessageKind.SMS, **kw}
    return OutgoingMessage(message_id=message_id, text=text, **fields)  # type: ignore[arg-type]


@pytest.fixture
def emulator() -> Iterator[ProviderEmulator]:
    emu = ProviderEmulator(dlr_delay_s=0.02)
    emu.start()
    yield emu
    emu.stop()


class Heard:
    def __init__(self) -> None:
        self.reports: list[DeliveryReport] = []
        self.inbound: list[InboundMessage] = []


@pytest.fixture
def gateway(emulator: ProviderEmulator) -> Iterator[tuple[HttpGateway, Heard]]:
    gw = HttpGateway(emulator.base_url, "k", "s", poll_interval_s=0.02, timeout_s=1.0)
    heard = Heard()
    gw.on_report(heard.reports.append)
    gw.on_inbound(heard.inbound.append)
    yield gw, heard
    gw.close()
