"""The credit-information port (신용정보 조회): who the person owes, as a contracted service answers it.

A center contracts an inquiry service (a credit bureau's 신용정보 조회) that, with the person's consent
item "credit_inquiry" recorded first, answers the open debts under their RRN. The port's shape follows
that service: an inquiry carries the RRN (the service needs it) only in memory — it is hidden from
``repr`` and never logged or stored — with the blind index and a masked name for the records; the
answer is JSON (``{"inquiry_id", "debts": [{"creditor", "kind", "principal_krw", "annual_rate",
"overdue_days", "written_off", "since"}]}``) that ``parse_answer`` checks line by line: one bad line
refuses the whole answer, so nothing half-read is ever stored.

``EmulatedCreditPort`` answers the demo's and the tests' emulated identities: 1–6 creditors seeded by
the blind index (cards, unsecured loans, sometimes a secured loan; rates 5–19.9%), the longest overdue
inside the range the kiosk's answers gave when they gave one, the amounts adding up to about the total
debt the person told the kiosk, and every list says it is emulated.
It can be told to time out or to answer garbage, so the hub's refusal can be tested.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, Protocol

from config import clock
from kiosk.debt.inputs import KIND_WORDS, MAX_CREDITORS, MAX_OVERDUE_DAYS, MAX_PRINCIPAL_KRW


@dataclass(frozen=True)
class CreditInquiry:
    """One inquiry, as the service takes it. ``rrn`` exists only here, in memory (repr hides it)."""

    rrn: str | None = field(repr=False)
    rrn_blind_index: str
    name_masked: str
    consent_id: str  # the consent row whose item "credit_inquiry" allows this inquiry
    # The kiosk's answer to "how long overdue" as a range of days (low, high); None: not asked.
    overdue_days_range: tuple[int, int | None] | None = None
    # The kiosk's "총 빚" (its lower bound); None or 0: not asked. Only the emulator reads the hints.
    total_debt_krw: int | None = None


@dataclass(frozen=True)
class Debt:
    creditor: str
    kind: str
    principal_krw: int
    annual_rate: float
    overdue_days: int
    written_off: bool
    since: date | None


@dataclass(frozen=True)
class CreditReport:
    debts: tuple[Debt, ...]
    emulated: bool
    inquiry_id: str


class CreditPortError(RuntimeError):
    """The port gave no usable answer; ``reason`` is "timeout" or "garbage" (never the data itself)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"credit port {reason}: {detail}" if detail else f"credit port {reason}")


class CreditInfoPort(Protocol):
    def fetch(self, inquiry: CreditInquiry) -> CreditReport: ...


def _number(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)


def _line(raw: Any, index: int, today: date) -> Debt:
    def bad(what: str) -> CreditPortError:
        return CreditPortError("garbage", f"debts[{index}].{what}")

    if not isinstance(raw, Mapping):
        raise bad("(not an object)")
    creditor = raw.get("creditor")
    if not isinstance(creditor, str) or not 1 <= len(" ".join(creditor.split())) <= 60:
        raise bad("creditor")
    if raw.get("kind") not in KIND_WORDS:
        raise bad("kind")
    principal: Any = raw.get("principal_krw")
    if not _number(principal, int) or not 1 <= principal <= MAX_PRINCIPAL_KRW:
        raise bad("principal_krw")
    rate: Any = raw.get("annual_rate")
    if not (_number(rate, float) or _number(rate, int)) or not 0 <= rate <= 1:
        raise bad("annual_rate")
    overdue: Any = raw.get("overdue_days")
    if not _number(overdue, int) or not 0 <= overdue <= MAX_OVERDUE_DAYS:
        raise bad("overdue_days")
    if not isinstance(raw.get("written_off"), bool):
        raise bad("written_off")
    since: date | None = None
    if raw.get("since") is not None:
        try:
            since = date.fromisoformat(raw["since"])
        except (TypeError, ValueError):
            raise bad("since") from None
        if since > today:
            raise bad("since")
    return Debt(
        creditor=" ".join(creditor.split()),
        kind=raw["kind"],
        principal_krw=principal,
        annual_rate=float(rate),
        overdue_days=overdue,
        written_off=raw["written_off"],
        since=since,
    )


def parse_answer(raw: Any, *, emulated: bool) -> CreditReport:
    """The service's JSON answer as a report, or CreditPortError("garbage") for anything else."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("debts"), list):
        raise CreditPortError("garbage", "no debts list")
    inquiry_id = raw.get("inquiry_id")
    if not isinstance(inquiry_id, str) or not 1 <= len(inquiry_id) <= 64:
        raise CreditPortError("garbage", "inquiry_id")
    if len(raw["debts"]) > MAX_CREDITORS:
        raise CreditPortError("garbage", "too many lines")
    today = clock.today()
    debts = tuple(_line(line, i, today) for i, line in enumerate(raw["debts"]))
    return CreditReport(debts=debts, emulated=emulated, inquiry_id=inquiry_id)


# Emulated institutions (plain names of kinds of lenders, no real company).
_CARDS = ("가온카드", "누리카드", "다솜카드", "바른카드")
_LENDERS = ("한빛은행", "푸른저축은행", "새봄캐피탈", "온누리상호금융", "미래신협")
_SECURED = ("한빛은행", "온누리상호금융")


def _rng(blind_index: str) -> random.Random:
    seed = int.from_bytes(hashlib.sha256(f"credit-port:{blind_index}".encode()).digest()[:8], "big")
    return random.Random(seed)  # deterministic emulation, not security


def _longest_overdue(rng: random.Random, answered: tuple[int, int | None] | None) -> int:
    if answered is None:
        return rng.choice((0, 12, 45, 75, 130, 400, 720))
    low, high = answered
    top = high if high is not None else low + 600
    return rng.randint(low, max(low, top))


def emulated_answer(inquiry: CreditInquiry) -> dict[str, Any]:
    """The JSON the emulated service answers for this identity: the same identity, the same list."""
    rng = _rng(inquiry.rrn_blind_index)
    today = clock.today()
    longest = _longest_overdue(rng, inquiry.overdue_days_range)
    count = rng.randint(1, 6)
    lines: list[dict[str, Any]] = []
    used: set[tuple[str, str]] = set()
    for i in range(count):
        roll = rng.random()
        if roll < 0.45:
            kind, creditor = "card", rng.choice(_CARDS)
            principal = rng.randint(5, 150) * 100_000  # ₩0.5M–15M
            rate = rng.uniform(0.129, 0.199)
        elif roll < 0.9 or i == 0:
            kind, creditor = "unsecured_loan", rng.choice(_LENDERS)
            principal = rng.randint(10, 400) * 100_000  # ₩1M–40M
            rate = rng.uniform(0.06, 0.199)
        else:
            kind, creditor = "secured_loan", rng.choice(_SECURED)
            principal = rng.randint(30, 250) * 1_000_000  # ₩30M–250M
            rate = rng.uniform(0.05, 0.075)
        if (creditor, kind) in used:
            continue
        used.add((creditor, kind))
        # The first line is the one overdue longest (the kiosk's answer); others are as late or less.
        overdue = longest if not lines else rng.choice((0, 0, longest // 2, longest))
        opened = today - timedelta(days=overdue + rng.randint(180, 2500))
        lines.append(
            {
                "creditor": creditor,
                "kind": kind,
                "principal_krw": principal,
                "annual_rate": round(rate, 3),
                "overdue_days": overdue,
                # Lenders write unsecured debt off after about six months overdue; secured debt is not.
                "written_off": kind != "secured_loan" and overdue >= 180,
                "since": opened.isoformat(),
            }
        )
    if inquiry.total_debt_krw:
        _scale_to(lines, inquiry.total_debt_krw)
    return {"inquiry_id": f"EMU-{inquiry.rrn_blind_index[:12]}", "debts": lines}


def _scale_to(lines: list[dict[str, Any]], total_krw: int) -> None:
    """Amounts in proportion, adding up to about what the person told the kiosk (₩10,000 steps)."""
    drawn = sum(line["principal_krw"] for line in lines)
    for line in lines:
        share = line["principal_krw"] * min(total_krw, MAX_PRINCIPAL_KRW) // drawn
        line["principal_krw"] = max(100_000, share // 10_000 * 10_000)


@dataclass
class EmulatedCreditPort:
    """The demo's and the tests' 신용정보 조회. ``mode`` "timeout" / "garbage": the failures to test."""

    mode: Literal["ok", "timeout", "garbage"] = "ok"
    calls: int = 0

    def fetch(self, inquiry: CreditInquiry) -> CreditReport:
        self.calls += 1
        if self.mode == "timeout":
            raise CreditPortError("timeout", "no answer in time")
        raw: Any = emulated_answer(inquiry)
        if self.mode == "garbage":
            raw["debts"][0]["principal_krw"] = "많음"
        return parse_answer(raw, emulated=True)


def make_credit_port(name: str) -> CreditInfoPort | None:
    """The port the settings name (``debt.credit_port``); None for "off"."""
    return EmulatedCreditPort() if name == "emulated" else None
