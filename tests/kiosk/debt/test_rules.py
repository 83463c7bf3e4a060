"""The plan rules file: the shipped figures, and a broken copy refused with file and key named."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from config import ConfigError
from kiosk.debt.rules import PROGRAM_IDS, PlanRules, default_path, load_plan_rules
from kiosk.matching import shipped_catalogue

SHIPPED = default_path().read_text(encoding="utf-8")


def test_shipped_rules_carry_the_issues_figures_with_sources(rules: PlanRules) -> None:
    assert list(rules.file.programs) == list(PROGRAM_IDS)
    for prog in rules.file.programs.values():
        assert prog.source.url.startswith("https://") and prog.source.title
        assert prog.effective_from.year >= 2024
    workout = rules.program("ccrs.individual_workout")
    assert workout.overdue_days_min == 90 and workout.interest.waived
    assert workout.principal_cut is not None
    assert (workout.principal_cut.max_pct, workout.principal_cut.vulnerable_max_pct) == (70, 90)
    assert (workout.term_cap("none"), workout.term_cap("near_poverty"), workout.term_cap("basic")) == (
        96,
        120,
        120,
    )
    pre, fast = rules.program("ccrs.pre_workout"), rules.program("ccrs.fast_track")
    assert (pre.overdue_days_min, pre.overdue_days_max, fast.overdue_days_max) == (31, 89, 30)
    assert pre.principal_cut is None and fast.principal_cut is None
    assert pre.term_cap("basic") == fast.term_cap("none") == 120
    assert pre.interest.estimate_cut_pct == 30 and fast.interest.estimate_cut_pct == 0
    readings = {(r.secured_krw, r.unsecured_krw) for r in rules.file.caps.readings}
    assert readings == {(1_000_000_000, 500_000_000), (500_000_000, 1_000_000_000)}  # both kept
    assert rules.file.caps.secured_krw == rules.file.caps.unsecured_krw == 500_000_000  # the stricter
    assert rules.file.vulnerable.min_age == 70 and "disability" in rules.file.vulnerable.hardship_any


def test_living_cost_is_the_matchings_own_table(rules: PlanRules) -> None:
    catalogue = shipped_catalogue()
    assert rules.living_cost.monthly_krw(3) == catalogue.min_living_cost_monthly[3]
    assert rules.living_cost.source_title == catalogue.reference_source["name"]


def broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in SHIPPED, old
    path = tmp_path / "plan_rules.toml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("version = ", "version = = ", "(syntax)"),
        ('[programs."ccrs.pre_workout"]\n', '[programs."ccrs.pre_workoutt"]\n', "programs"),
        (
            "written_off_only = true",
            "written_off_only = false",
            "programs.ccrs.individual_workout.principal_cut",
        ),
        (
            "vulnerable_max_pct = 90",
            "vulnerable_max_pct = 50",
            "programs.ccrs.individual_workout.principal_cut",
        ),
        ("max_pct = 70", "max_pct = 170", "programs.ccrs.individual_workout.principal_cut.max_pct"),
        ("waived = true", "waived = false", "programs.ccrs.individual_workout.interest"),
        ("overdue_days_max = 89", "overdue_days_max = 20", "programs.ccrs.pre_workout"),
        ("term_months_max = 96", "term_months_max = 6", "programs.ccrs.individual_workout"),
        (
            "term_months_max_low_income = 120",
            "term_months_max_low_income = 60",
            "programs.ccrs.individual_workout",
        ),
        ('hardship_any = ["disability"]', 'hardship_any = ["sadness"]', "vulnerable.hardship_any"),
        ("secured_krw = 1_000_000_000", "secured_krw = -1", "caps.readings.0.secured_krw"),
        ('url = "https://www.ccrs.or.kr/eng"', 'url = "ccrs"', "caps.readings.1.source.url"),
        (
            "cut_pct_min = 30, cut_pct_max = 70",
            "cut_pct_min = 80, cut_pct_max = 70",
            "programs.ccrs.pre_workout",
        ),
        ("min_age = 70", "min_age = 70\nmin_income = 3", "vulnerable.min_income"),
    ],
)
def test_a_broken_copy_is_refused_naming_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as caught:
        load_plan_rules(path)
    assert caught.value.source == str(path)
    assert caught.value.key.startswith(key), caught.value.key


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_plan_rules(tmp_path / "none.toml")
    assert caught.value.key == "(file)"


def test_a_program_the_catalogue_lacks_is_refused() -> None:
    catalogue = shipped_catalogue()
    without = replace(catalogue, programs=[p for p in catalogue.programs if p.id != "ccrs.fast_track"])
    with pytest.raises(ConfigError) as caught:
        load_plan_rules(None, without)
    assert caught.value.key == "programs.ccrs.fast_track"
