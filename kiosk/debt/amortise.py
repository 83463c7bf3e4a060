"""Level-payment (amortised) arithmetic in Decimal, whole won out.

Rounding, once: the monthly rate is the annual rate ÷ 12 (nominal, as Korean lenders quote it); the
exact level payment of every debt is summed and the sum rounded UP to the won; the total is that
payment × months. So the total is never below the exact schedule and at most (months − 1) won above it.
At 0% the payment is principal ÷ months, rounded up the same way. Rates are kept to 10 decimals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache

_ONE = Decimal(1)
_TWELVE = Decimal(12)
_HUNDRED = Decimal(100)
_RATE_STEP = Decimal("1e-10")  # rates are kept to 10 decimals: a rate below that is 0%, not an underflow


def rate_after_cut(annual_rate: float, cut_pct: int) -> Decimal:
    """The contract rate lowered by ``cut_pct`` percent of itself (a 30% cut of 15% leaves 10.5%)."""
    return (Decimal(repr(annual_rate)) * (_HUNDRED - cut_pct) / _HUNDRED).quantize(_RATE_STEP)


@lru_cache(maxsize=8192)
def payment_factor(annual_rate: Decimal, months: int) -> Decimal:
    """Payment per won of principal: r / (1 − (1 + r)^−n) with r the monthly rate; 1/n at 0%."""
    if annual_rate == 0:
        return _ONE / months
    monthly = annual_rate / _TWELVE
    return monthly / (_ONE - (_ONE + monthly) ** -months)


def exact_payment(principal_by_rate: Mapping[Decimal, int], months: int) -> Decimal:
    """The exact level payment of several debts repaid side by side over the same months."""
    return sum(
        (principal * payment_factor(rate, months) for rate, principal in principal_by_rate.items()),
        Decimal(0),
    )


def monthly_payment_krw(principal_by_rate: Mapping[Decimal, int], months: int) -> int:
    return math.ceil(exact_payment(principal_by_rate, months))


def after_cut_krw(principal_krw: int, cut_pct: int) -> int:
    """Principal left after a cut of ``cut_pct``%: the cut is taken in whole won, the rest rounds up."""
    return principal_krw - principal_krw * cut_pct // 100
