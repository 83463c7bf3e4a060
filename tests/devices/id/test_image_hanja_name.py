"""The hanja after the name on a resident card as a second witness (issue 15): their Hangul reading
decides a letter the Korean model misread the same way in every variant (오서지 for 오서진(吳瑞珍)) or a
surname it misread into nobody's (항숙 for 황숙(黃淑)), and never puts a name otherwise unlike the
Korean reads on the screen. Tuning cards only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.id.emulators.samples import card_samples
from devices.id.image import card_read, tess_api
from devices.id.image.card_read import HANJA_SOURCE, CardRead
from devices.id.image.hanja_name import HANJA_LANG, one_jamo_apart, readings, surname_misread
from devices.id.image.loader import ImageReadOptions
from devices.id.image.ocr import OcrText
from devices.id.image.pipeline import CardImagePipeline
from devices.id.model import IdError


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("황숙(黃淑)", ["황숙"]),
        ("항 숙 ( 黃 淑 )", ["황숙"]),  # the Hangul before it is whatever the Chinese model made of it
        ("(金哲洙)", ["김철수"]),  # 金 is 금 in a word, 김 as a surname
        ("(沈靑)", ["심청"]),
        ("(李英)", ["이영", "리영"]),  # a surname registered in its original sound is as valid
        ("(柳在石)", ["유재석", "류재석"]),
        ("(南宮玟)", ["남궁민"]),
    ],
)
def test_hanja_on_a_name_line_read_as_the_hangul_names_they_stand_for(line: str, names: list[str]) -> None:
    assert readings(line) == names


@pytest.mark.parametrize("line", ["홍길동", "(黃)", "2016. 2. 7.", "", "((((", "(黃淑黃淑黃淑)"])
def test_a_line_without_a_hanja_name_gives_no_reading(line: str) -> None:
    assert readings(line) == []


@given(st.text(max_size=40))
def test_any_text_gives_hangul_names_of_its_hanja_length_or_none(text: str) -> None:
    for name in readings(text):
        assert 2 <= len(name) <= 5 and all("가" <= ch <= "힣" for ch in name)


def test_only_a_different_surname_with_the_same_given_name_is_a_surname_misread() -> None:
    assert surname_misread("항숙", "황숙")
    assert not surname_misread("황숙", "황숙")
    assert not surname_misread("오서지", "오서진")  # the given name differs: not this rule's to fix
    assert not surname_misread("항숙", "황숙희")


def _read(texts: list[str], hanja: list[str]) -> CardRead:
    """A CardRead with these Korean name reads voted and these hanja line reads weighed."""
    read = CardRead(card=None, lines=[], hanja=True)  # type: ignore[arg-type]  # no OCR is started here
    for index, text in enumerate(texts):
        read._vote("hangul_name", OcrText(text, 0.75, f"p2k:{index}"))
    read._hanja_vote([OcrText(text, 0.4, f"p2h:{index}") for index, text in enumerate(hanja)])
    return read


def test_a_letter_apart_is_a_misread_glyph_and_another_character_is_not() -> None:
    assert one_jamo_apart("오서지", "오서진")  # the final ㄴ lost
    assert one_jamo_apart("황태헌", "황태현")  # ㅕ read as ㅓ
    assert one_jamo_apart("왕혜자", "황혜자")
    assert not one_jamo_apart("안희석", "안환석")  # 희/환: two letters, another character
    assert not one_jamo_apart("고철윤", "고철극")
    assert not one_jamo_apart("오서진", "오서진")
    assert not one_jamo_apart("오서지", "오서지다")


def test_the_hanja_decide_a_misread_letter_or_surname_and_nothing_else() -> None:
    best = _read(["항숙", "항숙"], ["항숙(黃淑)", "(黃淑)"]).best("hangul_name")
    assert best is not None and best.value == "황숙"  # a surname nobody has
    best = _read(["오서지", "오서지"], ["(吳瑞珍)", "(吳瑞珍)"]).best("hangul_name")
    assert best is not None and best.value == "오서진"  # one letter: the hanja outvote the Korean reads
    # 林 reads 임 or 림; the register's surname is 임, and a read that is neither (있) is a misread
    best = _read(["있태나", "인태나"], ["(林泰娜)", "(林泰娜)"]).best("hangul_name")
    assert best is not None and best.value == "임태나"
    # a misread hanja (another character, its reading unlike) adds no candidate to a believable read
    read = _read(["안희석", "안희석"], ["(安煥碩)", "(安煥碩)"])
    assert set(read.ballots["hangul_name"].candidates) == {"안희석"}
    # the two variants of the hanja line must agree: a Chinese model's misreads differ by variant
    assert _read(["항숙"], ["(黃淑)", "(黃秀)"]).best("hangul_name") is None  # 황숙 or 황수?
    best = _read(["항숙"], ["(黃淑)", "(黃叔)"]).best("hangul_name")
    assert best is not None and best.value == "황숙"  # 叔 is 숙 too: the readings agree
    # 柳 reads 유 or 류: the spelling the Korean reads gave is the card's, never moved to the other
    best = _read(["류도혜", "류도혜"], ["(柳道惠)", "(柳道惠)"]).best("hangul_name")
    assert best is not None and best.value == "류도혜"
    best = _read(["유도혜", "유도혜"], ["(柳道惠)", "(柳道惠)"]).best("hangul_name")
    assert best is not None and best.value == "유도혜"
    # agreeing with a Korean read is one more vote for it, under one source however many variants
    agreed = _read(["황숙"], ["(黃淑)", "(黃淑)"]).ballots["hangul_name"].candidates["황숙"]
    assert {r.source for r in agreed.reads} == {"p2k:0", HANJA_SOURCE}


@pytest.fixture(scope="module")
def misread_surname_card() -> object:
    """A tuning resident card in UnPilgi whose 황 the Korean model reads as 항 in every variant."""
    for sample in card_samples("clean", 60, "tuning", 7):
        if sample.identity.name == "황숙":
            return sample
    raise AssertionError("the tuning set no longer holds the card this test is about")


def test_a_surname_the_korean_model_misreads_is_read_with_its_hanja(misread_surname_card: object) -> None:
    assert tess_api.model_installed(HANJA_LANG), "the Makefile installs tesseract-ocr-chi-tra"
    sample = misread_surname_card
    frame = sample.render()  # type: ignore[attr-defined]
    document = CardImagePipeline().read(frame)
    assert (document.name, document.rrn) == ("황숙", sample.identity.rrn)  # type: ignore[attr-defined]
    # without the hanja the person is asked again: a refusal, never the misread name
    with pytest.raises(IdError):
        CardImagePipeline(ImageReadOptions(read_hanja=False)).read(frame)
    assert card_read.HANJA_VARIANTS  # both variants are read (the vote needs them to agree)
