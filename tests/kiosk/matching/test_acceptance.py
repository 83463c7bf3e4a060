"""Issue 6 acceptance: `kiosk match --answers` for a person 45 days overdue, through the CLI code."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from kiosk.cli import CommandRegistry
from kiosk.commands import match_cmd
from kiosk.context import AppContext
from kiosk.matching import shipped_catalogue
from tests.kiosk.matching.conftest import base_answers


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Our commands as `kiosk` registers them (only this area's module, so others' work cannot mask ours)."""
    parser = argparse.ArgumentParser(prog="kiosk")
    registry = CommandRegistry(parser)
    registry.group("bench")
    match_cmd.register(registry)
    args = parser.parse_args(argv)
    code = args.handler(args, AppContext())
    out, err = capsys.readouterr()
    return int(code or 0), out, err


def test_45_days_overdue_gets_pre_workout_not_individual_workout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    file = tmp_path / "answers.json"
    file.write_text(json.dumps(base_answers(delinquency_days=45)), encoding="utf-8")
    code, out, _ = run_cli(["match", "--answers", str(file), "--json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["catalogue_version"].startswith("2025.1-")
    assert report["engine_version"]
    programs = {p["id"]: p for p in report["programs"]}
    assert set(programs) == set(shipped_catalogue().ids)
    assert len(programs) == 16
    pre, workout = programs["ccrs.pre_workout"], programs["ccrs.individual_workout"]
    assert pre["verdict"] == "eligible"
    assert workout["verdict"] == "ineligible"
    assert "연체 45일 ≥ 31일 충족" in " ".join(r["ko"] for r in pre["reasons"])
    failed = [r for r in workout["reasons"] if r["status"] == "not_met"]
    assert [r["field"] for r in failed] == ["delinquency_days"]
    assert "90일" in failed[0]["ko"] and "90 days" in failed[0]["en"]
    assert report["triage"]["route"] == "ccrs.pre_workout"
    assert report["programs"][0]["id"] == "ccrs.pre_workout"  # the route leads the list
    for program in report["programs"]:
        assert program["reasons"], program["id"]
        assert all(r["ko"] and r["en"] for r in program["reasons"])


def test_invalid_answers_file_exits_2_with_the_field_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    file = tmp_path / "answers.json"
    file.write_text(json.dumps(base_answers(annual_income_krw=-5)), encoding="utf-8")
    code, _, err = run_cli(["match", "--answers", str(file)], capsys)
    assert code == 2
    assert "annual_income_krw" in err and "연소득" in err


def test_text_output_lists_every_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    file = tmp_path / "answers.json"
    file.write_text(json.dumps(base_answers()), encoding="utf-8")
    code, out, _ = run_cli(["match", "--answers", str(file)], capsys)
    assert code == 0
    for program_id in shipped_catalogue().ids:
        assert f"({program_id})" in out


def test_bench_command_reports_both_catalogues(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run_cli(["bench", "match", "--json", "--applicants", "5", "--repeats", "2"], capsys)
    assert code == 0
    figures = json.loads(out)
    assert figures["seeded"]["programs"] == 16 and figures["generated_180"]["programs"] == 180
    assert figures["generated_180"]["ms_per_applicant"] > 0


def test_example_answers_file_for_the_acceptance_command(capsys: pytest.CaptureFixture[str]):
    """The example file used to demonstrate `kiosk match --answers` gives the accepted verdicts."""
    file = Path(__file__).parent / "data" / "answers_45_days_overdue.json"
    code, out, _ = run_cli(["match", "--answers", str(file), "--json"], capsys)
    programs = {p["id"]: p["verdict"] for p in json.loads(out)["programs"]}
    assert code == 0
    assert (programs["ccrs.pre_workout"], programs["ccrs.individual_workout"]) == ("eligible", "ineligible")
