"""Issue 16: every condition carries its plain sentences (ko and en); reasons never read like formulas."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.matching import check_catalogue, match, shipped_catalogue
from kiosk.matching.catalogue import default_dir
from kiosk.matching.conditions import Compare
from tests.kiosk.matching.conftest import base_answers

HANGUL = re.compile(r"[가-힣]")
FORMULA = ("≤", "≥", "<", ">", "충족", "기준(", "met", "required")


def test_every_shipped_condition_has_both_sentences_in_both_languages():
    for program in shipped_catalogue().programs:
        for leaf in program.eligibility.leaves():
            if not isinstance(leaf, Compare):
                continue
            text = leaf.plain
            assert text is not None, (program.id, leaf.field)
            for ko in (text.met_ko, text.unmet_ko):
                assert HANGUL.search(ko) and not any(f in ko for f in FORMULA), ko
            for en in (text.met_en, text.unmet_en):
                assert not HANGUL.search(en) and not any(f in en for f in FORMULA), en
            assert "{value}" not in text.unmet_ko + text.unmet_en  # what it is for, not about you


def test_reasons_name_the_answer_in_the_language_and_its_units():
    report = match(base_answers(delinquency_days=45, employment_months=14))
    plain = [r.plain() for v in report.programs for r in v.reasons]
    ko = " ".join(p[0] for p in plain if p)
    en = " ".join(p[1] for p in plain if p)
    assert "연체가 45일이라 31일이 넘었어요" in ko and "45 days" in en
    assert "14개월" in ko and "14 months" in en
    assert "4,800만원" in ko and "₩48,000,000" in en
    assert "만원" not in en and not HANGUL.search(en)


def test_a_condition_without_its_sentences_fails_the_check(tmp_path: Path):
    copy = tmp_path / "products"
    shutil.copytree(default_dir(), copy)
    path = copy / "kinfa.sunshine15.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'met_ko = "[^"]*", ', "", text, count=1), encoding="utf-8")
    catalogue, problems = check_catalogue(copy)
    assert catalogue is None and any("met_ko" in p.en for p in problems)
    path.write_text(re.sub(r'met_ko = "[^"]*", met_en = "[^"]*", unmet_ko = "[^"]*", unmet_en = "[^"]*", ',
                           "", text, count=1), encoding="utf-8")  # fmt: skip
    catalogue, problems = check_catalogue(copy)
    assert catalogue is None and any("plain sentences" in p.en for p in problems)


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 400),
    st.integers(0, 3_000_000_000),
    st.integers(0, 720),
    st.sampled_from(["debt", "living", "job", "credit_recovery"]),
)
def test_no_plain_reason_ever_holds_an_unfilled_value(days: int, income: int, months: int, purpose: str):
    report = match(base_answers(delinquency_days=days, annual_income_krw=income, employment_months=months,
                                purpose=purpose))  # fmt: skip
    for verdict in report.programs:
        for reason in verdict.reasons:
            plain = reason.plain()
            if plain:
                assert "{value}" not in plain[0] + plain[1]
                assert not HANGUL.search(plain[1])


@pytest.mark.parametrize("key", ["met_en", "unmet_ko"])
def test_half_a_pair_of_sentences_is_refused(tmp_path: Path, key: str):
    copy = tmp_path / "products"
    shutil.copytree(default_dir(), copy)
    path = copy / "kinfa.sunshine15.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(key + r' = "[^"]*", ', "", text, count=1), encoding="utf-8")
    catalogue, problems = check_catalogue(copy)
    assert catalogue is None and any("met_ko, met_en, unmet_ko, unmet_en" in p.en for p in problems)
