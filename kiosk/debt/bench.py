"""`kiosk bench debt`: how fast plans come for 20-creditor lists (target ≥ 1,000 plans a second).

One plan is what `kiosk debt plan` does for one person after reading the file: check the input and
estimate all three programs. Rates are drawn to 0.01% so the payment-factor cache sees few repeats.

The desk's term slider (ui/desk/debt_tab.py) is timed by `kiosk bench desk-slider`, which this bench
runs in a child process: Qt stays out of this process (kiosk never imports ui), and the child renders
offscreen, so no display is needed.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from typing import Any

from kiosk.debt.inputs import validate_debtor
from kiosk.debt.plan import estimate
from kiosk.debt.rules import PlanRules, load_plan_rules

TARGET_PLANS_PER_SECOND = 1000
_KINDS = ("card", "unsecured_loan", "secured_loan", "other")


def random_debtor(rng: random.Random, creditors: int = 20) -> dict[str, Any]:
    """A plausible person with ``creditors`` debts, overdue anywhere from 0 to 2 years."""
    overdue = rng.choice([0, rng.randint(1, 30), rng.randint(31, 89), rng.randint(90, 730)])
    return {
        "monthly_income_krw": rng.randrange(0, 6_000_000, 10_000),
        "household_size": rng.randint(1, 6),
        "livelihood_status": rng.choice(["none", "none", "near_poverty", "basic"]),
        "age": rng.randint(19, 85),
        "hardship": rng.sample(["job_loss", "illness", "disability"], rng.randint(0, 2)),
        "debts": [
            {
                "creditor": f"채권자{i:02d}",
                "kind": rng.choice(_KINDS),
                "principal_krw": rng.randrange(100_000, 30_000_000, 1_000),
                "annual_rate": rng.randint(0, 2000) / 10_000,
                "overdue_days": rng.randint(0, overdue),
                "written_off": rng.random() < 0.4,
            }
            for i in range(creditors)
        ],
    }


SLIDER_TIMEOUT_S = 120


def desk_slider() -> tuple[float | None, str]:
    """The desk slider's median ms per tick (worked out and painted), from `kiosk bench desk-slider
    --json` in a child process; (None, why) when it could not run (no PySide6, no Qt platform…)."""
    command = [sys.executable, "-m", "kiosk.cli", "bench", "desk-slider", "--json"]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    try:
        done = subprocess.run(  # our own interpreter and command, no shell
            command, capture_output=True, text=True, timeout=SLIDER_TIMEOUT_S, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"kiosk bench desk-slider did not finish: {type(exc).__name__}"
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return None, f"kiosk bench desk-slider failed (exit {done.returncode})"
    result = json.loads(lines[-1])
    return float(result["median_ms"]), (
        f"{result['ticks']} ticks over {result['creditors']} creditors, offscreen; "
        f"p95 {result['p95_ms']} ms, max {result['max_ms']} ms (kiosk bench desk-slider)"
    )


def run_bench(
    plans: int = 2000,
    creditors: int = 20,
    seed: int = 5,
    rules: PlanRules | None = None,
    *,
    slider: bool = True,
) -> dict[str, Any]:
    rules = rules or load_plan_rules()
    rng = random.Random(seed)
    people = [random_debtor(rng, creditors) for _ in range(plans)]
    for raw in people[:50]:  # warm-up: imports, pydantic's first calls
        estimate(validate_debtor(raw), rules)
    each: list[float] = []
    start = time.perf_counter()
    for raw in people:
        began = time.perf_counter()
        estimate(validate_debtor(raw), rules)
        each.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - start
    each.sort()
    per_second = plans / elapsed
    repaint_ms, note = desk_slider() if slider else (None, "not asked (slider=False)")
    return {
        "bench": "debt",
        "plans": plans,
        "creditors_per_plan": creditors,
        "plans_per_second": round(per_second, 1),
        "target_plans_per_second": TARGET_PLANS_PER_SECOND,
        "meets_target": per_second >= TARGET_PLANS_PER_SECOND,
        "p50_ms": round(statistics.median(each) * 1000, 3),
        "p95_ms": round(each[min(len(each) - 1, int(len(each) * 0.95))] * 1000, 3),
        "desk_slider_repaint_ms": repaint_ms,
        "desk_slider_note": note,
    }
