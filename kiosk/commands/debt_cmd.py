"""CLI of the debt area: `kiosk debt plan --debts FILE [--json]`, `kiosk bench debt [--json]`.

A bad file is a Korean message and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from config import ConfigError
from kiosk.context import AppContext
from kiosk.debt.inputs import InvalidDebts, validate_debtor
from kiosk.debt.plan import DebtEstimate, estimate
from kiosk.debt.rules import PlanRules, load_plan_rules
from kiosk.debt.wording import krw_ko
from kiosk.matching.catalogue import CatalogueInvalid, shipped_catalogue


def _rules(args: argparse.Namespace, ctx: AppContext) -> PlanRules | None:
    try:
        catalogue = shipped_catalogue(ctx.settings.visit.products_dir or "")
        return load_plan_rules(getattr(args, "rules", None), catalogue)
    except (ConfigError, CatalogueInvalid) as exc:
        print(f"상환 계획 규칙을 읽을 수 없어요 (plan rules invalid): {exc}", file=sys.stderr)
        return None


def _read(path: str) -> object:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        print(f"빚 파일을 읽을 수 없어요 (cannot read the debts file): {exc}", file=sys.stderr)
        return None


def _table(result: DebtEstimate) -> None:
    print(f"매달 갚을 수 있는 돈 (available a month): {krw_ko(result.available_income_monthly_krw)}")
    for plan in result.plans:
        mark = "가능" if plan.eligible else "어려움"
        print(f"\n[{mark}] {plan.name_ko} ({plan.program})")
        if plan.monthly_payment_krw is not None:
            print(f"  원금 {krw_ko(plan.principal_before_krw)} → {krw_ko(plan.principal_after_krw or 0)}")
            print(f"  이자율 연 {(plan.annual_rate or 0) * 100:.2f}% · 기간 {plan.term_months}개월")
            print(f"  매달 {krw_ko(plan.monthly_payment_krw)} · 모두 {krw_ko(plan.total_repaid_krw or 0)}")
        for reason in plan.reasons_ko[:-1]:
            print(f"  - {reason}")
    print(f"\n{result.plans[0].reasons_ko[-1]}")


def _plan(args: argparse.Namespace, ctx: AppContext) -> int:
    raw = _read(args.debts)
    if raw is None:
        return 2
    try:
        debtor = validate_debtor(raw)
    except InvalidDebts as exc:
        print(f"빚 파일에 고칠 곳이 {len(exc.problems)}개 있어요 (debts file has problems):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  [{exc.code}] {problem.where}: {problem.ko} ({problem.en})", file=sys.stderr)
        return 2
    rules = _rules(args, ctx)
    if rules is None:
        return 2
    result = estimate(debtor, rules, term_months=args.term_months)
    if args.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        _table(result)
    return 0


def _bench(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.debt.bench import run_bench

    rules = _rules(args, ctx)
    if rules is None:
        return 2
    result = run_bench(plans=args.plans, creditors=args.creditors, rules=rules)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(
        f"{result['plans_per_second']:,} plans/s for {result['creditors_per_plan']}-creditor lists "
        f"(p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms); "
        f"target ≥ {result['target_plans_per_second']:,}/s:",
        "met" if result["meets_target"] else "NOT met",
    )
    repaint = result["desk_slider_repaint_ms"]
    measured = f"median {repaint} ms per tick" if repaint is not None else "not measured"
    print(f"desk slider repaint: {measured} ({result['desk_slider_note']})")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 600:
        raise argparse.ArgumentTypeError("1~600개월로 적어 주세요 (1 to 600 months)")
    return value


def register(registry) -> None:  # type: ignore[no-untyped-def]
    registry.group("debt", "채무조정 상환 계획 (debt adjustment: repayment plans)")
    plan = registry.subcommand(
        "debt", "plan", "채무조정 상환 계획 예상 (repayment-plan estimate for each CCRS program)", _plan
    )
    plan.add_argument("--debts", required=True, help="the debtor's JSON (income, household, debts)")
    plan.add_argument(
        "--json", action="store_true", help='print {"plans": [...], "available_income_monthly_krw"}'
    )
    plan.add_argument(
        "--term-months", type=_positive, help="a term to try (clamped to each program's limits)"
    )
    plan.add_argument("--rules", help="plan rules file (default: config/debt/plan_rules.toml)")
    bench = registry.subcommand("bench", "debt", "repayment plans per second for 20-creditor lists", _bench)
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--plans", type=int, default=2000, help="plans to time (default 2000)")
    bench.add_argument("--creditors", type=int, default=20, help="creditors per list (default 20)")
    bench.add_argument("--rules", help="plan rules file")
