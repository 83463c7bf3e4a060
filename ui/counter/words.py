"""The counter's words, one language per screen (Korean first; English when the citizen asks for it).

The citizen never sees a hash: a document is named by its title and a short code ("2CF3-0372") the
counselor sees beside the same document at the desk.
"""

from __future__ import annotations

import uuid

from kiosk.api import DOCUMENT_TITLES

LANGUAGES = ("ko", "en")

WORDS: dict[str, dict[str, str]] = {
    "window": {"ko": "창구 화면", "en": "Counter screen"},
    "pair_prompt": {
        "ko": "상담석 화면에 보이는 연결 번호 8자리를 입력해 주세요.",
        "en": "Enter the 8-character code shown at the desk.",
    },
    "pair": {"ko": "연결하기", "en": "Pair"},
    "idle": {
        "ko": "상담사가 문서를 보내면 여기에 보여 드려요.",
        "en": "Documents from your counselor appear here.",
    },
    "loading": {"ko": "문서를 불러오는 중이에요…", "en": "Loading the document…"},
    "changed": {
        "ko": "문서가 바뀌었어요. 상담사에게 알려 주세요.",
        "en": "The document has changed. Please tell your counselor.",
    },
    "unreadable": {
        "ko": "문서를 열지 못했어요. 상담사에게 알려 주세요.",
        "en": "The document could not be opened. Please tell your counselor.",
    },
    "page": {"ko": "{page}쪽 / 전체 {pages}쪽", "en": "Page {page} of {pages}"},
    "read_on": {
        "ko": "'다음'을 눌러 끝까지 읽어 주세요. 마지막 쪽을 보면 서명할 수 있어요.",
        "en": "Press 'Next' to read to the end. You can sign after the last page.",
    },
    "read_done": {
        "ko": "다 읽으셨어요. '서명하러 가기'를 눌러 주세요.",
        "en": "You have read every page. Press 'Go to sign'.",
    },
    "previous": {"ko": "이전", "en": "Back"},
    "next": {"ko": "다음", "en": "Next"},
    "to_sign": {"ko": "서명하러 가기", "en": "Go to sign"},
    "read_aloud": {"ko": "읽어 주기", "en": "Read aloud"},
    "other_language": {"ko": "English", "en": "한국어"},
    "sign_title": {"ko": "이 문서에 서명해요", "en": "You are signing this document"},
    "sign_what": {"ko": "{title}\n문서 번호 {code}", "en": "{title}\nDocument {code}"},
    "sign_prompt": {
        "ko": "아래 칸에 서명한 뒤 '서명하기'를 눌러 주세요.",
        "en": "Sign in the box below, then press 'Sign'.",
    },
    "pad_ink": {
        "ko": "패드 서명을 받았어요. '서명하기'를 눌러 주세요.",
        "en": "We have your signature from the pad. Press 'Sign'.",
    },
    "back_to_document": {"ko": "문서 다시 보기", "en": "Read again"},
    "sign": {"ko": "서명하기", "en": "Sign"},
    "sending": {"ko": "서명을 보내는 중이에요…", "en": "Sending your signature…"},
    "thanks": {"ko": "서명이 끝났어요. 고맙습니다.", "en": "Signed. Thank you."},
    # The 채무조정 신청서's figures above its pages (ui.counter.debt_figures).
    "plan_heading": {"ko": "예상 상환 계획", "en": "Estimated repayment plan"},
    "plan_monthly": {"ko": "매달 {amount:,}원", "en": "₩{amount:,} a month"},
    "plan_months": {"ko": "{months}개월", "en": "{months} months"},
    "plan_cut": {
        "ko": "원금 {before:,}원 → {after:,}원 ({cut:,}원 줄어요)",
        "en": "Principal ₩{before:,} → ₩{after:,} (₩{cut:,} less)",
    },
    "plan_no_cut": {"ko": "원금 {before:,}원 → 그대로예요", "en": "Principal ₩{before:,} → unchanged"},
}


def months_span(months: int, language: str) -> str:
    """60개월 (5년) · 18개월 (1년 6개월) · 10개월 / 60 months (5 years) …: the term a person can picture."""
    years, rest = divmod(months, 12)
    whole = word("plan_months", language, months=months)
    if not years:
        return whole
    if language == "en":
        span = f"{years} year{'s' if years != 1 else ''}" + (
            f" {rest} month{'s' if rest != 1 else ''}" if rest else ""
        )
    else:
        span = f"{years}년" + (f" {rest}개월" if rest else "")
    return f"{whole} ({span})"


def word(key: str, language: str, **values: object) -> str:
    text = WORDS[key]["en" if language == "en" else "ko"]
    return text.format(**values) if values else text


def document_title(template: str, language: str) -> str:
    title_ko, title_en = DOCUMENT_TITLES.get(template, (template, template))
    return title_en if language == "en" else title_ko


def document_code(document_id: uuid.UUID | str) -> str:
    """A short code to name a document aloud: the first 8 hex digits of its id, as 2CF3-0372."""
    digits = str(document_id).replace("-", "")[:8].upper()
    return f"{digits[:4]}-{digits[4:]}"
