"""`kiosk debt plan` and `kiosk bench debt`, end to end through the CLI code."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.cli import CommandRegistry
from kiosk.commands import debt_cmd
from kiosk.context import AppContext
from tests.kiosk.debt.conftest import debt, debtor

PLAN_KEYS = {
    "program", "eligible", "principal_before_krw", "principal_after_krw", "annual_rate", "term_months",
    "monthly_payment_krw", "total_repaid_krw", "reasons_ko", "reasons_en",
}  # fmt: skip


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Only this area's module registered, so others' work cannot mask ours."""
    parser = argparse.ArgumentParser(prog="kiosk")
    registry = CommandRegistry(parser)
    registry.group("bench")
    debt_cmd.register(registry)
    args = parser.parse_args(argv)
    code = args.handler(args, AppContext())
    out, err = capsys.readouterr()
    return int(code or 0), out, err


def write(tmp_path: Path, content: object) -> str:
    path = tmp_path / "debts.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_acceptance_written_off_card_400_days_gives_a_workout_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, debtor(debt(principal_krw=42_000_000), monthly_income_krw=1_800_000))
    code, out, err = run_cli(["debt", "plan", "--debts", file, "--json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"plans", "available_income_monthly_krw"}
    assert [p["program"] for p in report["plans"]] == [
        "ccrs.fast_track", "ccrs.pre_workout", "ccrs.individual_workout",
    ]  # fmt: skip
    for plan in report["plans"]:
        assert set(plan) == PLAN_KEYS
    workout = report["plans"][2]
    assert workout["eligible"] and workout["annual_rate"] == 0.0 and workout["term_months"] <= 96
    assert 0.3 * 42_000_000 <= workout["principal_after_krw"] < 42_000_000
    assert workout["monthly_payment_krw"] * workout["term_months"] == workout["total_repaid_krw"]
    assert workout["reasons_ko"][-1] == "예상치예요 — 최종 결정은 신용회복위원회 심사 후에 나요"


def test_without_json_a_korean_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["debt", "plan", "--debts", write(tmp_path, debtor())], capsys)
    assert code == 0
    assert "[가능] 개인워크아웃 (ccrs.individual_workout)" in out
    assert "[어려움] 신속채무조정" in out and "매달 " in out
    assert out.rstrip().endswith("예상치예요 — 최종 결정은 신용회복위원회 심사 후에 나요")


def test_a_chosen_term_moves_the_payment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write(tmp_path, debtor(monthly_income_krw=4_000_000))
    _, short, _ = run_cli(["debt", "plan", "--debts", file, "--json", "--term-months", "24"], capsys)
    _, long, _ = run_cli(["debt", "plan", "--debts", file, "--json", "--term-months", "90"], capsys)
    pay = [json.loads(out)["plans"][2]["monthly_payment_krw"] for out in (short, long)]
    assert pay[0] > pay[1]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"debts": [', "빚 파일을 읽을 수 없어요"),
        ("[1, 2]", "빚 파일은 JSON 객체여야 해요"),
        (debtor(debt(annual_rate=1.2)), "100%가 넘는 이자율은 받을 수 없어요"),
        (debtor(debt(overdue_days=-1)), "앞으로 올 날짜는 연체가 아니에요"),
        (debtor(*[debt(creditor=f"c{i}") for i in range(500)]), "100곳까지"),
        (debtor(debt(), debt()), "같은 채권자, 같은 종류"),
        (debtor(debt(kind="loan_shark")), "보기에 없는 값"),
    ],
)
def test_bad_files_exit_2_with_a_korean_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: object, words: str
) -> None:
    code, out, err = run_cli(["debt", "plan", "--debts", write(tmp_path, content)], capsys)
    assert code == 2 and out == ""
    assert words in err and "Traceback" not in err


def test_missing_file_and_bad_rules_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["debt", "plan", "--debts", str(tmp_path / "nope.json")], capsys)
    assert code == 2 and "빚 파일을 읽을 수 없어요" in err
    rules = tmp_path / "rules.toml"
    rules.write_text('version = "x"\n', encoding="utf-8")
    code, _, err = run_cli(
        ["debt", "plan", "--debts", write(tmp_path, debtor()), "--rules", str(rules)], capsys
    )
    assert code == 2 and "상환 계획 규칙을 읽을 수 없어요" in err


def test_bench_json_reports_plans_per_second_and_the_desk_slider(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_cli(["bench", "debt", "--json", "--plans", "200"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["creditors_per_plan"] == 20 and result["plans"] == 200
    assert result["plans_per_second"] > 0 and 0 < result["p50_ms"] <= result["p95_ms"]
    assert result["target_plans_per_second"] == 1000
    # measured in a child process (`kiosk bench desk-slider`, offscreen): ms per tick, painted
    assert result["desk_slider_repaint_ms"] > 0 and "desk-slider" in result["desk_slider_note"]


def test_registered_in_the_kiosk_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["debt", "--help"])
    assert "plan" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["bench", "--help"])
    assert "    debt" in capsys.readouterr().out


def test_real_process_bad_file_has_no_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "debt", "plan", "--debts", write(tmp_path, debtor(age=-4))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "나이" in done.stderr and "Traceback" not in done.stderr
