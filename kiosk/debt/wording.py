"""The plan's sentences: each figure with the rule that produced it and the source it comes from.

Korean first, plain 해요체; English beside it. Exact won for the plan's own figures (a payment is
paid to the won); the matching's 만원/억 words for the rules' lines (caps, living cost).
"""

from __future__ import annotations

from kiosk.debt.inputs import HARDSHIP, DebtorInput
from kiosk.debt.rules import Caps, CourtRoutes, PlanRules, PrincipalCut, ProgramRules
from kiosk.matching.wording import won_en, won_ko

Pair = tuple[str, str]

ESTIMATE_ONLY: Pair = (
    "예상치예요 — 최종 결정은 신용회복위원회 심사 후에 나요",
    "This is an estimate — the final decision comes after the CCRS review",
)
COURT_KO = "법원 절차({route})를 상담사와 이야기해 보세요"


def krw_ko(amount: int) -> str:
    return f"{amount:,}원"


def krw_en(amount: int) -> str:
    return f"₩{amount:,}"


def _cite(title: str) -> str:
    return f" (출처: {title})"


def _cite_en(title: str) -> str:
    return f" (source: {title})"


def _window(prog: ProgramRules) -> Pair:
    low, high = prog.overdue_days_min, prog.overdue_days_max
    if high is None:
        return f"{low}일 이상", f"{low} days or more"
    if low == 0:
        return f"{high}일 이하", f"{high} days or fewer"
    return f"{low}~{high}일", f"{low}–{high} days"


def inside_window(prog: ProgramRules, debtor: DebtorInput) -> Pair:
    days = debtor.longest_overdue_days
    ko, en = _window(prog)
    title = prog.source.title
    if days == 0:
        flags = [HARDSHIP[h] for h in debtor.hardship if h in prog.at_risk_hardship]
        return (
            f"아직 밀린 빚은 없지만 {', '.join(f[0] for f in flags)} 사정이 있어 "
            f"{prog.name_ko}을 받을 수 있어요" + _cite(title),
            f"Nothing is overdue yet, but {', '.join(f[1] for f in flags)} puts you at risk: "
            f"{prog.name_en} applies" + _cite_en(title),
        )
    return (
        f"가장 오래 밀린 빚이 {days:,}일이라 {prog.name_ko}({ko})에 해당해요" + _cite(title),
        f"Your longest overdue debt is {days:,} days: {prog.name_en} ({en}) applies" + _cite_en(title),
    )


def outside_window(prog: ProgramRules, debtor: DebtorInput) -> Pair:
    days = debtor.longest_overdue_days
    ko, en = _window(prog)
    title = prog.source.title
    if days == 0 and prog.at_risk_hardship:
        return (
            f"아직 밀린 빚이 없고 실직·폐업·병·잦은 연체 같은 사정도 없어서 {prog.name_ko} 대상이 아니에요"
            + _cite(title),
            f"Nothing is overdue and no hardship puts you at risk, so {prog.name_en} does not apply"
            + _cite_en(title),
        )
    return (
        f"가장 오래 밀린 빚이 {days:,}일이라 {prog.name_ko}({ko})에는 해당하지 않아요" + _cite(title),
        f"Your longest overdue debt is {days:,} days: {prog.name_en} ({en}) does not apply" + _cite_en(title),
    )


def _readings(caps: Caps) -> Pair:
    ko = ", ".join(
        f"{r.name_ko}: 담보 {won_ko(r.secured_krw)}·무담보 {won_ko(r.unsecured_krw)}" for r in caps.readings
    )
    en = ", ".join(
        f"{r.name_en}: secured {won_en(r.secured_krw)} / unsecured {won_en(r.unsecured_krw)}"
        for r in caps.readings
    )
    titles = "; ".join(r.source.title for r in caps.readings)
    return (
        f"자료마다 한도가 달라서({ko}) 더 엄격한 쪽으로 셈했어요" + _cite(titles),
        f"sources differ ({en}), so the stricter one is used" + _cite_en(titles),
    )


def within_caps(caps: Caps, debtor: DebtorInput) -> Pair:
    note_ko, note_en = _readings(caps)
    return (
        f"빚이 한도 안이에요: 무담보 {krw_ko(debtor.unsecured_krw)} ≤ {won_ko(caps.unsecured_krw)}, "
        f"담보 {krw_ko(debtor.secured_krw)} ≤ {won_ko(caps.secured_krw)}. {note_ko}",
        f"Your debt is within the caps: unsecured {krw_en(debtor.unsecured_krw)} "
        f"≤ {won_en(caps.unsecured_krw)}, "
        f"secured {krw_en(debtor.secured_krw)} ≤ {won_en(caps.secured_krw)}; {note_en}",
    )


def over_caps(caps: Caps, debtor: DebtorInput) -> Pair:
    note_ko, note_en = _readings(caps)
    return (
        f"빚이 채무조정 한도를 넘어요: 무담보 {krw_ko(debtor.unsecured_krw)} "
        f"(한도 {won_ko(caps.unsecured_krw)}), "
        f"담보 {krw_ko(debtor.secured_krw)} (한도 {won_ko(caps.secured_krw)}). {note_ko}",
        f"Your debt is over the adjustment caps: unsecured {krw_en(debtor.unsecured_krw)} "
        f"(cap {won_en(caps.unsecured_krw)}), secured {krw_en(debtor.secured_krw)} "
        f"(cap {won_en(caps.secured_krw)}); "
        f"{note_en}",
    )


def court_route(court: CourtRoutes, debtor: DebtorInput) -> Pair:
    rehabilitation = (
        debtor.unsecured_krw <= court.rehabilitation_unsecured_cap_krw
        and debtor.secured_krw <= court.rehabilitation_secured_cap_krw
    )
    route_ko, route_en = (
        ("개인회생", "individual rehabilitation") if rehabilitation else ("파산", "bankruptcy")
    )
    return (
        COURT_KO.format(route=route_ko) + _cite(court.source.title),
        f"Talk with a counselor about the court route ({route_en})" + _cite_en(court.source.title),
    )


def no_principal_cut(prog: ProgramRules) -> Pair:
    return (
        f"{prog.name_ko}은 원금을 줄이지 않아요: 원금은 그대로예요" + _cite(prog.source.title),
        f"{prog.name_en} does not cut principal: it stays as it is" + _cite_en(prog.source.title),
    )


def principal_cut(
    prog: ProgramRules,
    rule: PrincipalCut,
    debtor: DebtorInput,
    cut: int,
    cut_cap: int,
    vulnerable: bool,
    after: int,
) -> Pair:
    title = rule.source.title
    written_off = sum(d.principal_krw for d in debtor.debts if d.written_off)
    if not written_off:
        return (
            "상각된 빚이 없어서 원금은 줄지 않아요 (원금 감면은 상각된 빚에만 돼요)" + _cite(title),
            "None of your debt is written off, so principal is not cut (cuts apply to written-off debt only)"
            + _cite_en(title),
        )
    who_ko = (
        f"취약계층이라 최대 {cut_cap}%"
        if vulnerable
        else f"최대 {cut_cap}% (취약계층은 {rule.vulnerable_max_pct}%)"
    )
    who_en = (
        f"up to {cut_cap}% as you count as vulnerable"
        if vulnerable
        else (f"up to {cut_cap}% ({rule.vulnerable_max_pct}% for the vulnerable)")
    )
    if cut == 0:
        return (
            f"상각된 빚 {krw_ko(written_off)}은 {who_ko}까지 줄일 수 있지만, 갚을 수 있는 돈 안에 들어와서 "
            f"예상치에서는 줄이지 않았어요 (실제 감면은 심사에서 정해져요)" + _cite(title),
            f"Written-off debt of {krw_en(written_off)} may be cut {who_en}; the payment already fits, "
            f"so the estimate cuts nothing (the review sets the real cut)" + _cite_en(title),
        )
    return (
        f"상각된 빚 {krw_ko(written_off)}을 {cut}% 줄여 원금이 {krw_ko(debtor.total_krw)}에서 "
        f"{krw_ko(after)}이 돼요. "
        f"{who_ko}까지 줄일 수 있고, 예상치는 갚을 수 있는 돈에 맞는 가장 적은 감면으로 셈했어요"
        + _cite(title),
        f"Written-off debt of {krw_en(written_off)} is cut by {cut}%: principal goes from "
        f"{krw_en(debtor.total_krw)} to {krw_en(after)}. The cut may be {who_en}; "
        "the estimate takes the smallest cut that fits your capacity" + _cite_en(title),
    )


def _pct(rate: float) -> str:
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


def interest(prog: ProgramRules, annual_rate: float, averaged: bool) -> Pair:
    rule = prog.interest
    if rule.waived:
        return (
            f"{prog.name_ko}은 이자를 면제해요: 이자율 0%" + _cite(prog.source.title),
            f"{prog.name_en} waives interest: 0% a year" + _cite_en(prog.source.title),
        )
    ko_readings = ", ".join(f"{r.note_ko}({r.source.title})" for r in rule.readings)
    en_readings = ", ".join(f"{r.note_en} ({r.source.title})" for r in rule.readings)
    avg_ko = " 여러 빚의 이자율은 원금 비율로 평균했어요." if averaged else ""
    avg_en = " Several rates are averaged by principal." if averaged else ""
    cut = rule.estimate_cut_pct
    used_ko = f"가장 적게 낮춘 {cut}%로" if cut else "약정 이자율을 낮추지 않고"
    used_en = f"the smallest cut, {cut}%" if cut else "no cut of the contract rate"
    differ_ko = "낮추는 폭은 자료마다 달라요" if len(rule.readings) > 1 else "약정 이자율을 낮춰 줘요"
    differ_en = "sources differ on the cut" if len(rule.readings) > 1 else "the contract rate is lowered"
    return (
        f"연체 이자는 면제돼요. {differ_ko}: {ko_readings}. "
        f"예상치는 {used_ko} 셈해 연 {_pct(annual_rate)}예요.{avg_ko}",
        f"Overdue interest is waived; {differ_en}: {en_readings}. The estimate uses {used_en}: "
        f"{_pct(annual_rate)} a year.{avg_en}",
    )


def term(prog: ProgramRules, months: int, cap: int, how: str) -> Pair:
    """``how``: "chosen" (the counselor's term), "shortest" (the shortest that fits) or "longest"."""
    longer = cap != prog.term_months_max
    cap_ko = f"최장 {cap}개월" + (" (차상위 이하라 더 길게)" if longer else "")
    cap_en = f"at most {cap} months" + (" (longer at near-poverty or below)" if longer else "")
    how_ko, how_en = {
        "chosen": ("상담사가 고른 기간이에요", "the term the counselor chose"),
        "shortest": ("갚을 수 있는 돈 안에서 가장 짧은 기간이에요", "the shortest term your capacity allows"),
        "longest": ("가장 긴 기간으로 셈했어요", "the longest term allowed"),
    }[how]
    return (
        f"기간은 {months}개월이에요: {how_ko} ({cap_ko})" + _cite(prog.source.title),
        f"The term is {months} months: {how_en} ({cap_en})" + _cite_en(prog.source.title),
    )


def payment(monthly: int, months: int) -> Pair:
    return (
        f"매달 {krw_ko(monthly)}씩 {months}개월, 모두 {krw_ko(monthly * months)}을 갚아요 "
        "(매달 같은 금액으로 나눠 원 단위로 올림했어요)",
        f"You pay {krw_en(monthly)} a month for {months} months, {krw_en(monthly * months)} in all "
        "(level payments, rounded up to the won)",
    )


def capacity(debtor: DebtorInput, rules: PlanRules, available: int) -> Pair:
    living = rules.living_cost.monthly_krw(debtor.household_size)
    title = rules.living_cost.source_title
    if available == 0:
        return (
            f"한 달 소득 {krw_ko(debtor.monthly_income_krw)}이 {debtor.household_size}인 가구 생계비 "
            f"{won_ko(living)}보다 적어서 갚을 돈이 남지 않아요" + _cite(title),
            f"Your monthly income of {krw_en(debtor.monthly_income_krw)} is below the living cost of "
            f"{won_en(living)} for a household of {debtor.household_size}: nothing is left to repay with"
            + _cite_en(title),
        )
    return (
        f"한 달 소득 {krw_ko(debtor.monthly_income_krw)}에서 {debtor.household_size}인 가구 생계비 "
        f"{krw_ko(living)}을 빼면 매달 {krw_ko(available)}까지 갚을 수 있어요" + _cite(title),
        f"Monthly income {krw_en(debtor.monthly_income_krw)} less the living cost of {krw_en(living)} "
        f"for a household of {debtor.household_size} leaves {krw_en(available)} a month to repay with"
        + _cite_en(title),
    )


def does_not_fit(monthly: int, available: int, chosen: bool) -> Pair:
    when_ko, when_en = (
        ("이 기간으로는", "Over this term")
        if chosen
        else ("가장 긴 기간으로도", "Even over the longest term")
    )
    return (
        f"{when_ko} 매달 {krw_ko(monthly)}이라 갚을 수 있는 {krw_ko(available)}을 넘어요: "
        "이 제도로는 맞지 않아요",
        f"{when_en} the payment is {krw_en(monthly)} a month, above the {krw_en(available)} you can pay: "
        "this program does not fit",
    )
