"""The provider's request signature and the webhook signature: what is accepted and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import clock
from kiosk.sms.http.signing import (
    RequestVerifier,
    SignatureError,
    build_authorization,
    parse_authorization,
    sign_webhook,
    verify_webhook,
)


def refused(verifier: RequestVerifier, header: str) -> str:
    with pytest.raises(SignatureError) as caught:
        verifier.verify(header)
    return caught.value.code


def test_a_fresh_header_is_accepted_once_and_a_replay_is_refused() -> None:
    verifier = RequestVerifier({"k": "s"})
    header = build_authorization("k", "s")
    assert verifier.verify(header) == "k"
    assert refused(verifier, header) == "DuplicatedSignature"
    assert verifier.verify(build_authorization("k", "s")) == "k"  # a new salt is a new request


def test_wrong_secret_unknown_key_and_malformed_headers_are_refused() -> None:
    verifier = RequestVerifier({"k": "s"})
    assert refused(verifier, build_authorization("k", "wrong")) == "SignatureDoesNotMatch"
    assert refused(verifier, build_authorization("other", "s")) == "InvalidApiKey"
    good = build_authorization("k", "s")
    for bad in (
        "",
        "Bearer x",
        good.replace("HMAC-SHA256", "HMAC-SHA1"),
        good + " ",
        good.replace(", ", ","),
    ):
        assert refused(verifier, bad) == "MalformedAuthorization"


@pytest.mark.parametrize("minutes", [16, -16, 60 * 24])
def test_a_date_more_than_15_minutes_off_is_refused(minutes: int) -> None:
    verifier = RequestVerifier({"k": "s"})
    header = build_authorization("k", "s", at=clock.now() - timedelta(minutes=minutes))
    assert refused(verifier, header) == "RequestTimeTooSkewed"
    assert verifier.verify(build_authorization("k", "s", at=clock.now() - timedelta(minutes=14))) == "k"


def test_the_header_carries_the_iso_date_salt_and_hex_signature() -> None:
    auth = parse_authorization(build_authorization("key_1", "s", salt="abcdef0123456789"))
    assert auth.api_key == "key_1" and auth.salt == "abcdef0123456789"
    assert auth.date_text.endswith("Z") and len(auth.signature) == 64
    assert auth.date.tzinfo is not None


@given(st.text(max_size=300))
def test_the_header_parser_refuses_garbage_with_one_error(text: str) -> None:
    try:
        auth = parse_authorization(text)
    except SignatureError as exc:
        assert exc.code == "MalformedAuthorization"
    else:
        assert auth.date.tzinfo is not None


@settings(max_examples=50)
@given(
    st.from_regex(r"[A-Za-z0-9_\-]{1,64}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_\-]{8,64}", fullmatch=True),
    st.text(min_size=1, max_size=50),
)
def test_every_header_we_build_parses_back(key: str, salt: str, secret: str) -> None:
    auth = parse_authorization(build_authorization(key, secret, salt=salt))
    assert (auth.api_key, auth.salt) == (key, salt)
    assert RequestVerifier({key: secret}).verify(build_authorization(key, secret, salt=salt)) == key


def test_a_signed_webhook_verifies_and_a_tampered_one_does_not() -> None:
    body = b'{"event":"delivery"}'
    headers = sign_webhook("s", "wh_1", body)
    assert verify_webhook("s", headers, body) == "wh_1"
    assert verify_webhook("s", {k.upper(): v for k, v in headers.items()}, body) == "wh_1"
    for secret, payload in (("other", body), ("s", body + b" ")):
        with pytest.raises(SignatureError) as caught:
            verify_webhook(secret, headers, payload)
        assert caught.value.code == "WebhookSignatureDoesNotMatch"


def test_an_old_or_incomplete_webhook_is_refused() -> None:
    body = b"{}"
    old = sign_webhook("s", "wh_1", body, at=clock.now() - timedelta(minutes=6))
    with pytest.raises(SignatureError, match="WebhookTimeTooSkewed"):
        verify_webhook("s", old, body)
    headers = sign_webhook("s", "wh_1", body)
    for missing in headers:
        with pytest.raises(SignatureError, match="MalformedWebhook"):
            verify_webhook("s", {k: v for k, v in headers.items() if k != missing}, body)


@given(
    st.dictionaries(st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature", "x"]), st.text())
)
def test_webhook_headers_of_any_shape_give_one_error(headers: dict[str, str]) -> None:
    with pytest.raises(SignatureError):
        verify_webhook("s", headers, b"{}")
