"""The credit-information port's emulator: the same identity gets the same plausible list, honest that it is
emulated; the answer parser refuses anything half-formed; timeouts and garbage are errors, not lists."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import clock
from kiosk.debt.credit_port import (
    CreditInquiry,
    CreditPortError,
    EmulatedCreditPort,
    emulated_answer,
    make_credit_port,
    parse_answer,
)
from kiosk.debt.inputs import validate_debtor

RRN = "900101-1234568"


def _inquiry(seed: str, overdue: tuple[int, int | None] | None = None) -> CreditInquiry:
    blind = hashlib.sha256(seed.encode()).hexdigest()
    return CreditInquiry(
        rrn=RRN, rrn_blind_index=blind, name_masked="홍*동", consent_id="c-1", overdue_days_range=overdue
    )


blind_seeds = st.text(min_size=1, max_size=20)
ranges = st.none() | st.sampled_from([(0, 0), (1, 30), (31, 89), (90, None), (400, 400)])


@settings(max_examples=150, deadline=None)
@given(seed=blind_seeds, overdue=ranges)
def test_every_emulated_list_is_plausible_and_plannable(seed: str, overdue: Any) -> None:
    report = EmulatedCreditPort().fetch(_inquiry(seed, overdue))
    assert report.emulated is True and report.inquiry_id.startswith("EMU-")
    assert 1 <= len(report.debts) <= 6
    assert len({(d.creditor, d.kind) for d in report.debts}) == len(report.debts)
    for debt in report.debts:
        assert 0.05 <= debt.annual_rate <= 0.199
        assert debt.kind in ("card", "unsecured_loan", "secured_loan")
        assert debt.since is not None and debt.since < clock.today()
        assert not (debt.written_off and debt.kind == "secured_loan")
    longest = max(d.overdue_days for d in report.debts)
    if overdue is not None:  # consistent with what the person told the kiosk
        low, high = overdue
        assert low <= longest and (high is None or longest <= high)
    # The calculator takes every line as it is.
    validate_debtor(
        {
            "monthly_income_krw": 2_000_000,
            "household_size": 1,
            "livelihood_status": "none",
            "age": 40,
            "debts": [
                {
                    k: getattr(d, k)
                    for k in (
                        "creditor",
                        "kind",
                        "principal_krw",
                        "annual_rate",
                        "overdue_days",
                        "written_off",
                    )
                }
                for d in report.debts
            ],
        }
    )


@settings(max_examples=60, deadline=None)
@given(seed=blind_seeds, total=st.integers(min_value=1_000_000, max_value=2_000_000_000))
def test_the_amounts_add_up_to_about_the_total_told_at_the_kiosk(seed: str, total: int) -> None:
    inquiry = _inquiry(seed)
    told = CreditInquiry(
        rrn=None,
        rrn_blind_index=inquiry.rrn_blind_index,
        name_masked="홍*동",
        consent_id="c",
        total_debt_krw=total,
    )
    debts = EmulatedCreditPort().fetch(told).debts
    owed = sum(d.principal_krw for d in debts)
    assert abs(owed - total) <= 10_000 * len(debts) + 100_000 * len(debts)
    assert all(d.principal_krw >= 100_000 and d.principal_krw % 10_000 == 0 for d in debts)


def test_the_same_identity_gets_the_same_list_and_others_differ() -> None:
    port = EmulatedCreditPort()
    first, again = port.fetch(_inquiry("a")), port.fetch(_inquiry("a"))
    assert first == again
    lists = {port.fetch(_inquiry(str(i))).debts for i in range(20)}
    assert len(lists) > 15
    kinds = {d.kind for debts in lists for d in debts}
    assert kinds == {"card", "unsecured_loan", "secured_loan"}  # a secured loan sometimes


def test_the_inquiry_never_shows_the_rrn() -> None:
    inquiry = _inquiry("a")
    assert RRN not in repr(inquiry) and RRN not in str(inquiry)
    assert RRN not in str(emulated_answer(inquiry))


@pytest.mark.parametrize("mode", ["timeout", "garbage"])
def test_a_failing_port_raises_and_returns_nothing(mode: str) -> None:
    port = EmulatedCreditPort(mode=mode)  # type: ignore[arg-type]
    with pytest.raises(CreditPortError) as caught:
        port.fetch(_inquiry("a"))
    assert caught.value.reason == mode and port.calls == 1
    assert RRN not in str(caught.value)


def _good() -> dict[str, Any]:
    return emulated_answer(_inquiry("b"))


def _with(line: dict[str, Any]) -> dict[str, Any]:
    answer = _good()
    answer["debts"][0] = {**answer["debts"][0], **line}
    return answer


GARBAGE: list[Any] = [
    None,
    [],
    "debts",
    {"debts": []},  # no inquiry id
    {"inquiry_id": "x", "debts": "none"},
    {"inquiry_id": "x" * 65, "debts": []},
    {"inquiry_id": "x", "debts": [1]},
    {"inquiry_id": "x", "debts": [_good()["debts"][0]] * 101},
    _with({"principal_krw": "많음"}),
    _with({"principal_krw": -1}),
    _with({"principal_krw": True}),
    _with({"annual_rate": 15.9}),
    _with({"annual_rate": float("nan")}),
    _with({"overdue_days": -2}),
    _with({"kind": "mortgage"}),
    _with({"creditor": "  "}),
    _with({"creditor": "가" * 61}),
    _with({"written_off": "yes"}),
    _with({"since": "2999-01-01"}),
    _with({"since": "어제"}),
]


@pytest.mark.parametrize("answer", GARBAGE)
def test_garbage_answers_are_refused_whole(answer: Any) -> None:
    with pytest.raises(CreditPortError) as caught:
        parse_answer(answer, emulated=True)
    assert caught.value.reason == "garbage"


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda c: st.lists(c) | st.dictionaries(st.text(max_size=8), c),
        max_leaves=20,
    )
)
def test_any_json_is_a_report_or_a_garbage_error(raw: Any) -> None:
    try:
        report = parse_answer(raw, emulated=False)
    except CreditPortError as exc:
        assert exc.reason == "garbage"
    else:
        assert report.debts == ()  # only an empty list with an id can pass from random JSON


def test_the_settings_choose_the_port() -> None:
    assert isinstance(make_credit_port("emulated"), EmulatedCreditPort)
    assert make_credit_port("off") is None
