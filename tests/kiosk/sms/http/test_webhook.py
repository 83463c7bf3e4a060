"""Delivery reports and replies by the signed webhook; bad webhooks refused without harm."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from config import clock
from kiosk.sms.gateway import DeliveryStatus, MessageKind
from kiosk.sms.http.backend import HttpGateway
from kiosk.sms.http.emulator import ProviderEmulator
from kiosk.sms.http.signing import iso_date, sign_webhook
from kiosk.sms.http.webhook import WEBHOOK_PATH, WebhookReceiver
from kiosk.sms.http.webhook_router import fastapi_router
from tests.kiosk.sms.http.conftest import PHONE, Heard, outgoing
from tests.polling import wait_until


def webhook_gateway(emulator: ProviderEmulator) -> tuple[HttpGateway, Heard, str]:
    gw = HttpGateway(emulator.base_url, "k", "s", reports="webhook")
    heard = Heard()
    gw.on_report(heard.reports.append)
    gw.on_inbound(heard.inbound.append)
    url = gw.serve_webhook()
    emulator.webhook_url = url
    return gw, heard, url


def delivery(message_id: str, code: str = "4000", our_id: str = "") -> bytes:
    event: dict[str, Any] = {
        "event": "delivery",
        "messageId": message_id,
        "statusCode": code,
        "dateProcessed": iso_date(clock.now()),
    }
    if our_id:
        event["customFields"] = {"kioskMessageId": our_id}
    return json.dumps(event).encode()


def test_sms_and_lms_are_reported_delivered_by_the_webhook(emulator: ProviderEmulator) -> None:
    gw, heard, _ = webhook_gateway(emulator)
    try:
        sms = gw.submit(outgoing("w-sms"))
        lms = gw.submit(outgoing("w-lms", "다음 상담은 12월 9일 오후 2시예요. " * 10, kind=MessageKind.LMS))
        wait_until(lambda: len(heard.reports) == 2, 3.0, message="two webhooks")
        reports = heard.reports
    finally:
        gw.close()
    assert {r.gateway_id for r in reports} == {sms.gateway_id, lms.gateway_id}
    assert {r.status for r in reports} == {DeliveryStatus.DELIVRD}
    assert [status for _, status in emulator.webhooks] == [200, 200]


def test_a_report_that_beats_the_submits_answer_is_taken(
    emulator: ProviderEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    gw, heard, _ = webhook_gateway(emulator)
    real_call = gw._call
    answered: list[int] = []

    def report_first(method: str, path: str, **kw: Any) -> dict[str, Any]:
        answer = real_call(method, path, **kw)
        body = delivery(answer["messageId"], our_id="w-early")  # the webhook lands before the answer
        answered.append(gw.webhook.handle(sign_webhook("s", "wh_early", body), body)[0])
        return answer

    monkeypatch.setattr(gw, "_call", report_first)
    try:
        sent = gw.submit(outgoing("w-early"))
    finally:
        gw.close()
    assert answered == [200] and [r.gateway_id for r in heard.reports] == [sent.gateway_id]
    assert gw.pending() == 0  # reported already: not waited for again


def test_a_reply_from_a_phone_arrives_as_an_inbound_message(emulator: ProviderEmulator) -> None:
    gw, heard, _ = webhook_gateway(emulator)
    try:
        emulator.reply_from(PHONE, "1")
        reply = wait_until(lambda: heard.inbound, 3.0, message="the reply")[0]
    finally:
        gw.close()
    assert (reply.sender, reply.text) == (PHONE, "1")


def test_bad_signature_unknown_id_and_bad_bodies_are_refused_and_the_gateway_goes_on(
    emulator: ProviderEmulator,
) -> None:
    gw, heard, url = webhook_gateway(emulator)
    try:
        sent = gw.submit(outgoing("w-ok"))
        wait_until(lambda: heard.reports, 3.0, message="the real report")
        body = delivery(sent.gateway_id, "3040")
        forged = httpx.post(url, content=body, headers=sign_webhook("not-the-secret", "wh_x", body))
        unknown_body = delivery("M4V-never-sent")
        unknown = httpx.post(url, content=unknown_body, headers=sign_webhook("s", "wh_y", unknown_body))
        garbage = httpx.post(url, content=b"{not json", headers=sign_webhook("s", "wh_z", b"{not json"))
        unsigned = httpx.post(url, content=body)
        assert (forged.status_code, forged.json()["errorCode"]) == (401, "WebhookSignatureDoesNotMatch")
        assert (unknown.status_code, unknown.json()["errorCode"]) == (404, "UnknownMessage")
        assert garbage.status_code == 400 and unsigned.status_code == 401
        assert [r.status for r in heard.reports] == [
            DeliveryStatus.DELIVRD
        ]  # the forged UNDELIV was not heard
        assert gw.webhook.refused == 4
        gw.submit(outgoing("w-after"))
        wait_until(lambda: len(heard.reports) == 2, 3.0, message="reports still flow")
    finally:
        gw.close()


def test_a_repeated_webhook_is_answered_but_handled_once() -> None:
    seen: list[object] = []
    receiver = WebhookReceiver("s")
    receiver.on_report(seen.append)
    body = delivery("M1")
    headers = sign_webhook("s", "wh_1", body)
    assert receiver.handle(headers, body) == (200, {"ok": True})
    assert receiver.handle(headers, body) == (200, {"ok": True, "duplicate": True})
    assert len(seen) == 1


def test_a_failing_handler_answers_500_so_the_provider_sends_again() -> None:
    calls: list[int] = []

    def flaky(_message: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database locked")

    receiver = WebhookReceiver("s")
    receiver.on_inbound(flaky)
    event = {"event": "inbound", "from": PHONE, "text": "2", "dateReceived": iso_date(clock.now())}
    body = json.dumps(event).encode()
    headers = sign_webhook("s", "wh_2", body)
    assert receiver.handle(headers, body)[0] == 500
    assert receiver.handle(headers, body)[0] == 200 and len(calls) == 2


def test_the_fastapi_router_verifies_like_the_receiver() -> None:
    receiver = WebhookReceiver("s", known=lambda gateway_id, _ours: gateway_id == "M1")
    seen: list[object] = []
    receiver.on_report(seen.append)
    app = FastAPI()
    app.include_router(fastapi_router(receiver))
    client = TestClient(app)
    body = delivery("M1")
    assert client.post(WEBHOOK_PATH, content=body, headers=sign_webhook("s", "wh_1", body)).status_code == 200
    assert client.post(WEBHOOK_PATH, content=body, headers=sign_webhook("x", "wh_2", body)).status_code == 401
    assert len(seen) == 1


@given(st.binary(max_size=300))
def test_any_correctly_signed_body_is_taken_or_refused_never_raised(body: bytes) -> None:
    receiver = WebhookReceiver("s")
    status, answer = receiver.handle(sign_webhook("s", "wh_h", body), body)
    assert status in (200, 400) and isinstance(answer, dict)
