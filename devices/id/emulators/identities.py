"""Synthetic identities for the virtual scanner, the demo and the tests. Never a real person: names
are random combinations, the RRN back part is random (as on numbers issued since October 2020)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

SURNAMES = {
    "김": "金", "이": "李", "박": "朴", "최": "崔", "정": "鄭", "강": "姜", "조": "趙", "윤": "尹",
    "장": "張", "임": "林", "한": "韓", "오": "吳", "서": "徐", "신": "申", "권": "權", "황": "黃",
    "안": "安", "송": "宋", "류": "柳", "홍": "洪", "전": "全", "고": "高", "문": "文", "양": "梁",
}  # fmt: skip
GIVEN = {
    "민": "敏", "서": "瑞", "준": "俊", "지": "智", "현": "賢", "우": "宇", "수": "秀", "영": "英",
    "하": "夏", "은": "恩", "도": "道", "윤": "允", "진": "眞", "성": "成", "호": "浩", "연": "姸",
    "재": "載", "경": "京", "희": "熙", "동": "東", "석": "錫", "미": "美", "숙": "淑", "자": "子",
    "철": "哲", "순": "順", "태": "泰", "혜": "惠", "나": "娜", "건": "建", "유": "柔", "주": "周",
}  # fmt: skip
CITIES = [
    ("서울특별시", "종로구", "세종대로"),
    ("서울특별시", "마포구", "월드컵로"),
    ("부산광역시", "해운대구", "센텀로"),
    ("대구광역시", "수성구", "동대구로"),
    ("인천광역시", "남동구", "예술로"),
    ("광주광역시", "북구", "용봉로"),
    ("대전광역시", "서구", "둔산로"),
    ("경기도", "수원시 팔달구", "효원로"),
    ("강원특별자치도", "춘천시", "중앙로"),
]
# 운전면허 지역번호 (two-digit region codes printed at the start of a licence number)
LICENSE_REGIONS = [str(code) for code in (*range(11, 27), 28)]


@dataclass(frozen=True)
class SyntheticIdentity:
    name: str
    name_hanja: str
    birth_date: date
    rrn: str = field(repr=False)  # YYMMDD-GNNNNNN
    sex: str
    address: str
    issue_date: date
    issuer: str
    license_number: str
    license_serial: str
    license_classes: str
    aptitude_from: date
    aptitude_to: date


def _gender_digit(born: date, sex: str) -> str:
    if born.year >= 2000:
        return "3" if sex == "M" else "4"
    return "1" if sex == "M" else "2"


def generate_identity(rng: random.Random) -> SyntheticIdentity:
    surname = rng.choice(list(SURNAMES))
    syllables = rng.sample(list(GIVEN), rng.choice((1, 2, 2, 2, 2)))
    name = surname + "".join(syllables)
    hanja = SURNAMES[surname] + "".join(GIVEN[s] for s in syllables)
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, (date(2006, 12, 31) - date(1940, 1, 1)).days))
    sex = rng.choice("MF")
    back = _gender_digit(born, sex) + "".join(rng.choice("0123456789") for _ in range(6))
    rrn = f"{born:%y%m%d}-{back}"
    earliest = max(born.replace(year=born.year + 17, day=min(born.day, 28)), date(2005, 1, 1))
    issued = earliest + timedelta(days=rng.randrange(0, max(1, (date(2025, 12, 31) - earliest).days)))
    city, district, road = rng.choice(CITIES)
    address = f"{city} {district} {road} {rng.randint(1, 300)}, {rng.randint(101, 1505)}호"
    issuer_office = district.split()[-1]
    license_number = (
        f"{rng.choice(LICENSE_REGIONS)}-{issued:%y}-{rng.randrange(0, 10**6):06d}-{rng.randrange(0, 100):02d}"
    )
    serial = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6))
    aptitude_to = issued.replace(year=issued.year + 10, day=min(issued.day, 28))
    return SyntheticIdentity(
        name=name,
        name_hanja=hanja,
        birth_date=born,
        rrn=rrn,
        sex=sex,
        address=address,
        issue_date=issued,
        issuer=f"{city} {issuer_office}청장" if issuer_office.endswith("구") else f"{district}장",
        license_number=license_number,
        license_serial=serial,
        license_classes=rng.choice(["1종보통", "2종보통", "1종대형"]),
        aptitude_from=aptitude_to.replace(month=1, day=1),
        aptitude_to=aptitude_to.replace(month=12, day=31),
    )


def identities(count: int, seed: int = 5) -> list[SyntheticIdentity]:
    rng = random.Random(seed)
    return [generate_identity(rng) for _ in range(count)]
