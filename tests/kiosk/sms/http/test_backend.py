"""HttpGateway against the provider emulator: delivered SMS/LMS, resends, and every error kind."""

from __future__ import annotations

import functools
from typing import Any

import httpx
import pytest

from config import clock
from kiosk.sms.gateway import DeliveryStatus, GatewayError, GatewayErrorKind, MessageKind
from kiosk.sms.http import backend as backend_module
from kiosk.sms.http.backend import HttpGateway
from kiosk.sms.http.emulator import ProviderEmulator
from kiosk.sms.http.signing import build_authorization
from tests.kiosk.sms.http.conftest import PHONE, SENDER, Heard, outgoing
from tests.polling import wait_until

Gw = tuple[HttpGateway, Heard]


def test_an_sms_and_an_lms_are_delivered_and_reported_by_polling(
    emulator: ProviderEmulator, gateway: Gw
) -> None:
    gw, heard = gateway
    sms = gw.submit(outgoing("m-sms"))
    lms = gw.submit(
        outgoing("m-lms", "상담 결과를 알려 드려요. " * 20, kind=MessageKind.LMS, subject="상담 안내")
    )
    wait_until(lambda: len(heard.reports) == 2, 3.0, message="two reports")
    reports = heard.reports
    assert {r.gateway_id for r in reports} == {sms.gateway_id, lms.gateway_id}
    assert all(r.status is DeliveryStatus.DELIVRD and r.error == "" for r in reports)
    assert [m.type for m in emulator.accepted()] == ["SMS", "LMS"]
    assert emulator.accepted()[1].subject == "상담 안내"
    assert len(emulator.inbox(PHONE)) == 2 and gw.pending() == 0


def test_an_sms_too_long_for_90_bytes_goes_as_lms(emulator: ProviderEmulator, gateway: Gw) -> None:
    gateway[0].submit(outgoing("m-long", "가" * 46))
    assert emulator.accepted()[0].type == "LMS"


def test_a_failed_delivery_is_reported_with_the_providers_code(
    emulator: ProviderEmulator, gateway: Gw
) -> None:
    emulator.dlr_code = "3040"
    gateway[0].submit(outgoing("m-off"))
    report = wait_until(lambda: gateway[1].reports, 3.0, message="a report")[0]
    assert (report.status, report.error) == (DeliveryStatus.UNDELIV, "3040")
    assert emulator.inbox(PHONE) == []


def test_a_resend_with_our_id_is_recognised_and_reaches_the_phone_once(
    emulator: ProviderEmulator, gateway: Gw
) -> None:
    gw, heard = gateway
    first = gw.submit(outgoing("m-once"))
    again = gw.submit(outgoing("m-once"))
    assert first.gateway_id == again.gateway_id
    wait_until(lambda: heard.reports, 3.0, message="a report")
    assert len(emulator.accepted()) == 1 and len(emulator.inbox(PHONE)) == 1
    assert emulator.requests[0].body["message"]["customFields"] == {"kioskMessageId": "m-once"}


def submit_error(gw: HttpGateway, message_id: str = "m-x", **kw: Any) -> GatewayError:
    with pytest.raises(GatewayError) as caught:
        gw.submit(outgoing(message_id, **kw))  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"text": "고마워요 😀"}, "U+1F600"),
        ({"text": "가" * 1001, "kind": MessageKind.LMS}, "2002 EUC-KR bytes"),
        ({"subject": "가" * 21, "kind": MessageKind.LMS}, "subject"),
        ({"to": "0212345678"}, "not a Korean mobile number (not_mobile_prefix)"),
    ],
)
def test_what_cannot_go_is_rejected_without_a_request(
    emulator: ProviderEmulator, gateway: Gw, changes: dict[str, Any], words: str
) -> None:
    error = submit_error(gateway[0], "m-x", **changes)
    assert error.kind is GatewayErrorKind.REJECTED and words in error.detail
    assert emulator.requests == []


def test_an_unregistered_sender_is_rejected_and_nothing_sent(emulator: ProviderEmulator, gateway: Gw) -> None:
    error = submit_error(gateway[0], sender="0299999999")
    assert error.kind is GatewayErrorKind.REJECTED and "SenderNotRegistered" in error.detail
    assert emulator.accepted() == []


def test_a_wrong_secret_is_an_auth_error(emulator: ProviderEmulator) -> None:
    gw = HttpGateway(emulator.base_url, "k", "not-the-secret", reports="webhook")
    try:
        error = submit_error(gw)
    finally:
        gw.close()
    assert error.kind is GatewayErrorKind.AUTH and "SignatureDoesNotMatch" in error.detail
    assert emulator.accepted() == []


def test_an_old_date_and_a_replayed_salt_are_auth_errors(
    emulator: ProviderEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    gw = HttpGateway(emulator.base_url, "k", "s", reports="webhook")  # no poller signing beside us
    try:
        old = functools.partial(build_authorization, at=clock.now().replace(year=2020))
        monkeypatch.setattr(backend_module, "build_authorization", old)
        error = submit_error(gw, "m-old")
        assert error.kind is GatewayErrorKind.AUTH and "RequestTimeTooSkewed" in error.detail
        same = functools.partial(build_authorization, at=clock.now(), salt="same-salt")
        monkeypatch.setattr(backend_module, "build_authorization", same)
        gw.submit(outgoing("m-first"))
        error = submit_error(gw, "m-second")
    finally:
        gw.close()
    assert error.kind is GatewayErrorKind.AUTH and "DuplicatedSignature" in error.detail
    assert [m.custom_fields["kioskMessageId"] for m in emulator.accepted()] == ["m-first"]


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (500, GatewayErrorKind.UNAVAILABLE),
        (503, GatewayErrorKind.UNAVAILABLE),
        (429, GatewayErrorKind.THROTTLED),
        ("drop", GatewayErrorKind.UNAVAILABLE),
        (GatewayErrorKind.AUTH, GatewayErrorKind.AUTH),
    ],
)
def test_provider_faults_map_to_the_right_kind_and_the_retry_goes(
    emulator: ProviderEmulator, gateway: Gw, fault: int | str, kind: GatewayErrorKind
) -> None:
    emulator.fail_next(1, fault)
    assert submit_error(gateway[0], "m-retry").kind is kind
    assert emulator.accepted() == []
    gateway[0].submit(outgoing("m-retry"))
    assert len(emulator.accepted()) == 1


def test_an_unknown_fault_is_refused_at_once(emulator: ProviderEmulator) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        emulator.fail_next(1, "boom")
    with pytest.raises(ValueError, match="unknown fault"):
        emulator.fail_next(1, 200)


def test_throttling_says_when_to_retry(emulator: ProviderEmulator, gateway: Gw) -> None:
    emulator.throttle(2)
    for _ in range(2):
        error = submit_error(gateway[0])
        assert error.kind is GatewayErrorKind.THROTTLED and "retry after 1s" in error.detail
    gateway[0].submit(outgoing("m-x"))


def test_a_silent_provider_is_a_timeout_and_takes_nothing(emulator: ProviderEmulator) -> None:
    gw = HttpGateway(emulator.base_url, "k", "s", reports="webhook", timeout_s=0.2)
    try:
        emulator.go_silent()
        error = submit_error(gw, "m-silent")
        assert error.kind is GatewayErrorKind.UNAVAILABLE and "timed out" in error.detail
        emulator.recover()
        wait_until(lambda: any(r.status == 0 for r in emulator.requests), 3.0, message="the held request cut")
        assert emulator.accepted() == []
        gw.submit(outgoing("m-silent"))
        assert len(emulator.accepted()) == 1
        emulator.fail_next(1, "timeout")  # one request held, the next answered
        assert submit_error(gw, "m-held").kind is GatewayErrorKind.UNAVAILABLE
        gw.submit(outgoing("m-held"))
        assert len(emulator.accepted()) == 2
    finally:
        gw.close()


def test_a_stopped_provider_is_unavailable(emulator: ProviderEmulator) -> None:
    gw = HttpGateway(emulator.base_url, "k", "s", reports="webhook", timeout_s=0.5)
    emulator.stop()
    try:
        error = submit_error(gw)
    finally:
        gw.close()
    assert error.kind is GatewayErrorKind.UNAVAILABLE and "unreachable" in error.detail


def test_the_emulator_itself_refuses_an_sms_over_90_bytes(emulator: ProviderEmulator) -> None:
    body = {"message": {"to": PHONE, "from": SENDER, "text": "가" * 46, "type": "SMS"}}
    answer = httpx.post(
        emulator.base_url + "/messages/v4/send",
        json=body,
        headers={"Authorization": build_authorization("k", "s")},
    )
    assert answer.status_code == 400 and answer.json()["errorCode"] == "TooLongText"
