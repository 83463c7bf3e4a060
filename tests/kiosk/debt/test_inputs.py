"""Bad debtor input is refused whole, each problem named in Korean (and English)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.debt import InvalidDebts, validate_debtor
from kiosk.debt.inputs import MAX_CREDITORS
from tests.kiosk.debt.conftest import debt, debtor


def problems(raw: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidDebts) as caught:
        validate_debtor(raw)
    assert caught.value.code == "DEBT_INPUT_INVALID"
    return [(p.where, p.ko) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("raw", "where", "words"),
    [
        (debtor(debt(principal_krw=-5)), "debts[0].principal_krw", "1원 이상"),
        (debtor(debt(principal_krw=0)), "debts[0].principal_krw", "1원 이상"),
        (debtor(debt(principal_krw=10**12)), "debts[0].principal_krw", "너무 커요"),
        (debtor(monthly_income_krw=-1), "monthly_income_krw", "0 이상"),
        (debtor(monthly_income_krw=10**11), "monthly_income_krw", "너무 커요"),
        (debtor(debt(annual_rate=1.5)), "debts[0].annual_rate", "100%가 넘는 이자율"),
        (debtor(debt(annual_rate=15.9)), "debts[0].annual_rate", "0.159"),
        (debtor(debt(annual_rate=float("nan"))), "debts[0].annual_rate", "100%가 넘는 이자율"),
        (debtor(debt(annual_rate="0.1")), "debts[0].annual_rate", "숫자로"),
        (debtor(debt(overdue_days=-3)), "debts[0].overdue_days", "앞으로 올 날짜는 연체가 아니에요"),
        (debtor(debt(kind="mortgage")), "debts[0].kind", "보기에 없는 값"),
        (debtor(debt(written_off="yes")), "debts[0].written_off", "true 또는 false"),
        (debtor(debt(creditor="   ")), "debts[0].creditor", "1~60자"),
        (debtor(debt(principal_krw=True)), "debts[0].principal_krw", "정수"),
        (debtor(household_size=0), "household_size", "1 이상"),
        (debtor(age=150), "age", "너무 커요"),
        (debtor(livelihood_status="rich"), "livelihood_status", "보기에 없는 값"),
        (debtor(hardship=["bored"]), "hardship", "모르는 값이 있어요: bored"),
        (debtor(debts=[]), "debts", "하나 이상"),
        ({**debtor(), "extra": 1}, "extra", "알 수 없는 항목"),
        ({k: v for k, v in debtor().items() if k != "age"}, "age", "빠졌어요"),
        (debtor(debt(interest=0.1)), "debts[0].interest", "알 수 없는 항목"),
    ],
)
def test_each_bad_value_is_named_in_korean(raw: dict, where: str, words: str) -> None:
    found = problems(raw)
    assert any(w == where and words in ko for w, ko in found), found


def test_500_creditors_are_refused_with_the_limit() -> None:
    lines = [debt(creditor=f"채권자{i}") for i in range(500)]
    found = problems(debtor(*lines))
    assert found == [
        (
            "debts",
            f"채권자는 {MAX_CREDITORS}곳까지 적을 수 있어요 (500곳이 왔어요). 목록을 다시 확인해 주세요",
        )
    ]


def test_the_limit_itself_is_accepted() -> None:
    lines = [debt(creditor=f"채권자{i}") for i in range(MAX_CREDITORS)]
    assert len(validate_debtor(debtor(*lines)).debts) == MAX_CREDITORS


def test_the_same_creditor_and_kind_twice_is_refused_but_another_kind_is_fine() -> None:
    found = problems(debtor(debt(), debt(creditor=" 가나카드 ", principal_krw=1_000)))
    assert any("1번째와 2번째 빚이 같은 채권자" in ko for _, ko in found)
    both = validate_debtor(debtor(debt(), debt(kind="unsecured_loan")))
    assert len(both.debts) == 2


def test_several_problems_are_all_listed() -> None:
    found = problems(debtor(debt(principal_krw=-1, annual_rate=2.0), age=-1))
    assert {w for w, _ in found} == {"debts[0].principal_krw", "debts[0].annual_rate", "age"}


@pytest.mark.parametrize("raw", [None, [], "debts", 3])
def test_not_an_object(raw: Any) -> None:
    assert problems(raw) == [("(file)", "빚 파일은 JSON 객체여야 해요")]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from([*debtor().keys(), "x"]), json_values, max_size=7))
def test_any_json_is_accepted_or_refused_with_korean_reasons(raw: dict) -> None:
    try:
        validate_debtor(raw)
    except InvalidDebts as exc:
        assert exc.problems and all(p.ko and p.en and p.where for p in exc.problems)
