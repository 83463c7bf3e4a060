"""Field parsing and validation of OCR text: names, RRNs (birth date and century digit agree), dates,
licence numbers. OCR digit look-alikes are repaired only inside fields that must be numeric."""

from __future__ import annotations

import re
from datetime import date

from config import clock
from db.pii import RRN, InvalidRRN, parse_rrn

_DIGIT_FIXES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1",
                              "i": "1", "Z": "2", "S": "5", "s": "5", "B": "8", "G": "6", "g": "9",
                              "—": "-", "–": "-", "_": "-", "~": "-", "ㅡ": "-"})  # fmt: skip
_HANGUL_RUN = re.compile(r"[가-힣]{2,5}")
_LICENSE = re.compile(r"(?<!\d)(\d{2})-?(\d{2})-?(\d{6})-?(\d{2})(?!\d)")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?!\d)")
_DATE_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_RRN_SHAPE = re.compile(r"(?<!\d)(\d{6})\s*-?\s*(\d{7})(?!\d)")
_RRN_HYPHEN_AS_DIGIT = re.compile(r"(?<!\d)(\d{6})[17](\d{7})(?!\d)")


def digits_only(text: str) -> str:
    return text.translate(_DIGIT_FIXES)


# Korean surnames (single and two-syllable) in public statistics; an OCR'd name whose first syllable
# is none of these was most likely misread (홍→흥, 류→뮤) and deserves a second look.
SURNAMES = frozenset(
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 "
    "전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 나 "
    "민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 "
    "마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 "
    "편 용 예 경 봉 사 부 가 복 태 목 형 피 두 감 음 빈 동 온 호 "
    "범 좌 팽 승 간 상 갈 단 견 당 화 창 옹 대 라 랑 로 뇌 남궁 황보 "
    "제갈 선우 독고 서문 사공 동방".split()
)


def has_known_surname(name: str) -> bool:
    return name[:2] in SURNAMES or name[:1] in SURNAMES


# Captions some designs print before a field ("성명 홍길동"): never part of a name
_CAPTIONS = re.compile(r"성\s*명|이\s*름|성\s*함|주민등록번호|면허번호|발급일|발행일")


# The 17 provinces and metropolitan cities an address starts with (행정구역, old and new names): a
# line found without the layout that reads "경기도 수원시" is the address, although 경 is a surname
_PROVINCES = ("서울특", "부산광", "대구광", "인천광", "광주광", "대전광", "울산광", "세종특", "경기도",
              "강원도", "강원특", "충청북", "충청남", "전라북", "전라남", "전북특", "경상북", "경상남",
              "제주특", "제주도")  # fmt: skip


def parse_name(text: str) -> str | None:
    """The Hangul name: the first run of 2–5 syllables before any hanja in parentheses; never the
    start of an address."""
    text = _CAPTIONS.sub(" ", text)
    head = text.split("(")[0]
    compact = re.sub(r"\s+", "", head)
    match = _HANGUL_RUN.search(compact)
    if match is None:
        compact = re.sub(r"\s+", "", text)
        match = _HANGUL_RUN.search(compact)
    if match is None or match.group(0).startswith(_PROVINCES):
        return None
    return match.group(0)


def parse_rrn_text(text: str, today: date | None = None) -> RRN | None:
    """An RRN from noisy OCR: look-alikes fixed, spacing ignored; None unless it validates
    (13 digits, gender/century digit 1–8, a real birth date not in the future)."""
    fixed = digits_only(text)
    for match in _RRN_SHAPE.finditer(fixed.replace(" ", "")):
        try:
            return parse_rrn(match.group(1) + match.group(2), today)
        except InvalidRRN:
            continue
    return None


def plausible_date(value: date, born: date | None = None, today: date | None = None) -> bool:
    today = today or clock.today()
    if not date(1950, 1, 1) <= value <= today:
        return False
    return born is None or value > born


def parse_date(text: str, born: date | None = None, today: date | None = None) -> date | None:
    fixed = digits_only(text)
    for pattern in (_DATE, _DATE_COMPACT):
        for match in pattern.finditer(fixed):
            try:
                value = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            if plausible_date(value, born, today):
                return value
    return None


# 운전면허 지역번호: 11 서울, 12 부산, 13 경기(남부), 14 강원, 15 충북, 16 충남, 17 전북, 18 전남,
# 19 경북, 20 경남, 21 제주, 22 대구, 23 인천, 24 광주, 25 대전, 26 울산, 28 경기북부 (27 unused)
LICENSE_REGIONS = frozenset((*range(11, 27), 28))


def parse_license_number(text: str) -> str | None:
    """``NN-NN-NNNNNN-NN`` whose first pair is a region code of the table above."""
    # a dash read as a dot ("20-06-509749.42"): only inside the licence number's shape
    fixed = digits_only(text).replace(" ", "").replace(".", "-")
    for match in _LICENSE.finditer(fixed):
        if int(match.group(1)) in LICENSE_REGIONS:
            return "-".join(match.groups())
    return None


_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def rrn_check_digit_ok(digits: str) -> bool:
    """The check digit of numbers issued before October 2020. Newer numbers have none (their last
    digit is random), so a pass is evidence for a read and a failure is no evidence against it."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, _RRN_WEIGHTS, strict=False))
    return (11 - total % 11) % 10 == int(digits[12])


def rrn_candidates(text: str, today: date | None = None) -> list[RRN]:
    """Every RRN-shaped run in the text that validates (a line may hold more than one reading)."""
    fixed = digits_only(text).replace(" ", "")
    shapes = [m.group(1) + m.group(2) for m in _RRN_SHAPE.finditer(fixed)]
    # a hyphen read as 1 or 7 ("9403071291907…"): fourteen digits in a row, the seventh the hyphen
    shapes += [m.group(1) + m.group(2) for m in _RRN_HYPHEN_AS_DIGIT.finditer(fixed)]
    found = []
    for digits in shapes:
        try:
            rrn = parse_rrn(digits, today)
        except InvalidRRN:
            continue
        if rrn not in found:
            found.append(rrn)
    return found


def parse_serial(text: str) -> str | None:
    match = re.search(r"[A-Z0-9]{6}", text.replace(" ", "").upper())
    return match.group(0) if match else None
