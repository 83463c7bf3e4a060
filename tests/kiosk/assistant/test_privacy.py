"""Transcripts that go with a hand-off never carry an RRN, a phone number or an account number."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.assistant import Transcript, mask_chat_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("제 주민번호는 900101-1234567 이에요", "제 주민번호는 900101-1****** 이에요"),
        ("9001011234567", "900101-1******"),
        ("연락처 010-1234-5678", "연락처 010-****-5678"),
        ("01012345678로 전화", "010-****-5678로 전화"),
        ("계좌 110-123-456789", "계좌 ***-***-**6789"),
        ("국민 123456-01-234567 입니다", "국민 ******-**-**4567 입니다"),
        ("카드 1234 5678 9012 3456", "카드 **** **** **** 3456"),
        ("3333012345678901 으로 보내요", "************8901 으로 보내요"),
    ],
)
def test_personal_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_chat_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "햇살론15 금리 15.9% 한도 2,000만원",
        "2025-03-31부터 바뀌었어요",
        "콜센터 1397",
        "연체 90일",
        "1,000,000원",
    ],
)
def test_ordinary_figures_are_left_alone(text: str) -> None:
    assert mask_chat_text(text) == text


@settings(max_examples=150, deadline=None)
@given(
    groups=st.lists(st.text(alphabet="0123456789", min_size=2, max_size=6), min_size=3, max_size=4),
    sep=st.sampled_from(["-", " "]),
    before=st.sampled_from(["", "계좌 ", "번호는 "]),
)
# Found by hypothesis: a phone-shaped run inside a longer number was masked as a phone, not an account.
@example(groups=["00", "010000", "0000"], sep="-", before="")
# And a number that is a mobile phone (010-001-0000) is masked as one, keeping 010 and the last four.
@example(groups=["010", "001", "0000"], sep="-", before="")
def test_account_shaped_numbers_keep_at_most_the_last_four_digits(
    groups: list[str], sep: str, before: str
) -> None:
    number = sep.join(groups)
    digits = re.sub(r"\D", "", number)
    masked = mask_chat_text(before + number + " 이에요")
    if 10 <= len(digits) <= 16:
        shown = re.sub(r"\D", "", masked)
        phone_shaped = re.fullmatch(r"01[016789]\d{7,8}", digits) and len(groups) == 3
        assert (
            len(shown) <= 4
            or shown == digits[:6] + digits[6]  # RRN-shaped: front + gender digit
            or (phone_shaped and shown == digits[:3] + digits[-4:])  # a phone: 010-****-5432
        )
        assert digits not in re.sub(r"[^\d]", "", masked)


def test_transcript_masks_and_forgets() -> None:
    transcript = Transcript(max_lines=3)
    transcript.add("visitor", "010-9876-5432로 연락 주세요")
    transcript.add("bot", "[visit.ticket] 번호표는 어떻게 뽑아요?")
    text = transcript.text()
    assert "9876" not in text and "010-****-5432" in text
    for i in range(5):
        transcript.add("visitor", f"질문 {i}")
    assert len(transcript.lines) == 3
    transcript.clear()
    assert transcript.text() == ""
