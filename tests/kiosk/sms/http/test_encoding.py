"""SMS or LMS by EUC-KR bytes, and the request checks of the provider (pure functions)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.sms.gateway import GatewayError, GatewayErrorKind, MessageKind
from kiosk.sms.http.encoding import size_message
from kiosk.sms.http.validation import ProviderError, check_send


def test_45_hangul_are_an_sms_and_46_go_as_lms() -> None:
    assert size_message("가" * 45).kind is MessageKind.SMS
    sized = size_message("가" * 46)
    assert (sized.kind, sized.text_bytes) == (MessageKind.LMS, 92)
    assert size_message("짧아요", MessageKind.LMS).kind is MessageKind.LMS  # asked for LMS, stays LMS
    assert size_message("안내", MessageKind.SMS, subject="제목").kind is MessageKind.LMS


@pytest.mark.parametrize(
    ("text", "subject", "words"),
    [
        ("가" * 1001, "", "2002 EUC-KR bytes"),
        ("안녕", "가" * 21, "subject is 42"),
        ("확인했어요 😀", "", "U+1F600"),
        ("안녕", "🙂", "subject: character U+1F642"),
        ("   ", "", "empty"),
    ],
)
def test_what_cannot_go_is_rejected_before_sending(text: str, subject: str, words: str) -> None:
    with pytest.raises(GatewayError) as caught:
        size_message(text, MessageKind.LMS, subject)
    assert caught.value.kind is GatewayErrorKind.REJECTED
    assert words in caught.value.detail


@given(st.text(max_size=1200), st.text(max_size=30))
def test_any_text_is_sized_within_its_budget_or_rejected(text: str, subject: str) -> None:
    try:
        sized = size_message(text, MessageKind.SMS, subject)
    except GatewayError as exc:
        assert exc.kind is GatewayErrorKind.REJECTED
    else:
        assert sized.text_bytes <= (90 if sized.kind is MessageKind.SMS else 2000)
        assert sized.subject_bytes <= 40


def message(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {"to": "01012345678", "from": "0215880000", "text": "안녕하세요", "type": "SMS"}
    return {"message": {**base, **changes}}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (message(to="0212345678"), 400, "InvalidPhoneNumber"),
        (message(to="010-1234-5678"), 400, "InvalidPhoneNumber"),
        (message(**{"from": "0299999999"}), 403, "SenderNotRegistered"),
        (message(type="MMS"), 400, "InvalidType"),
        (message(text="가" * 46), 400, "TooLongText"),
        (message(type="LMS", text="가" * 1001), 400, "TooLongText"),
        (message(type="LMS", subject="가" * 21), 400, "TooLongSubject"),
        (message(subject="제목"), 400, "ValidationError"),
        (message(text="😀"), 400, "InvalidCharacter"),
        (message(customFields=["x"]), 400, "ValidationError"),
        ({"to": "01012345678"}, 400, "ValidationError"),
        ([], 400, "ValidationError"),
    ],
)
def test_the_provider_refuses_each_problem_with_its_code(body: object, status: int, code: str) -> None:
    with pytest.raises(ProviderError) as caught:
        check_send(body, {"0215880000"})
    assert (caught.value.status, caught.value.code) == (status, code)
    assert "01012345678" not in caught.value.message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


@settings(max_examples=60)
@given(
    st.dictionaries(st.sampled_from(["to", "from", "text", "type", "subject", "customFields"]), json_values)
)
def test_any_body_is_taken_or_refused_with_a_provider_error(fields: dict[str, object]) -> None:
    try:
        req = check_send({"message": fields}, {"0215880000"})
    except ProviderError as exc:
        assert 400 <= exc.status < 500
    else:
        assert req.sender == "0215880000"
