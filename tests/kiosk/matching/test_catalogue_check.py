"""`kiosk catalogue check`: the shipped catalogue passes; a broken copy fails with clear messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.matching import check_catalogue, load_catalogue
from kiosk.matching.catalogue import CatalogueInvalid, default_dir
from tests.kiosk.matching.test_acceptance import run_cli

REQUIRED_IDS = {
    "kinfa.sunshine15", "kinfa.lowest_credit_guarantee", "kinfa.worker_sunshine", "kinfa.sunshine_youth",
    "kinfa.sunshine_bank", "kinfa.miso", "kinfa.illegal_lending_prevention", "bank.new_hope_holssi",
    "ccrs.fast_track", "ccrs.pre_workout", "ccrs.individual_workout", "ccrs.small_loan",
    "court.rehabilitation", "court.bankruptcy", "referral.employment", "referral.welfare",
}  # fmt: skip


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "products"
    shutil.copytree(default_dir(), target)
    return target


def test_shipped_catalogue_has_every_program_with_source_and_date(capsys):
    catalogue = load_catalogue()
    assert set(catalogue.ids) == REQUIRED_IDS
    for program in catalogue.programs:
        assert program.source["url"].startswith("https://")
        assert program.effective_date.year >= 2024
        assert program.required_documents
    code, out, _ = run_cli(["catalogue", "check"], capsys)
    assert code == 0 and "16" in out


def test_both_ccrs_cap_readings_are_kept_with_their_sources():
    text = (default_dir() / "ccrs.pre_workout.toml").read_text(encoding="utf-8")
    assert "alt_value = 500000000" in text and "alt_value = 1000000000" in text
    assert "영문" in text


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expect"),
    [
        (
            "kinfa.sunshine15.toml",
            '"annual_income_krw"',
            '"annual_incom_krw"',
            "unknown field 'annual_incom_krw'",
        ),
        (
            "kinfa.sunshine15.toml",
            "value = 20 }",
            "value = 150 }",
            "impossible value 150 for credit_percentile",
        ),
        ("kinfa.sunshine15.toml", "value = 35000000", "value = -1", "impossible value -1"),
        (
            "kinfa.sunshine15.toml",
            'op = "le", value = 35000000',
            'op = "has_any", value = 35000000',
            "does not fit",
        ),
        (
            "ccrs.pre_workout.toml",
            'op = "le", value = 89',
            'op = "le", value = 20',
            "impossible range for delinquency_days",
        ),
        ("kinfa.miso.toml", '"near_poverty"', '"poor"', "'poor' is not a choice of livelihood_status"),
        ("kinfa.miso.toml", "category = ", "categroy = ", "unknown key 'categroy'"),
        ("kinfa.miso.toml", 'id = "kinfa.miso"', 'id = "kinfa.sunshine15"', "duplicate id kinfa.sunshine15"),
        (
            "kinfa.miso.toml",
            "effective_date = 2024-01-01",
            'effective_date = "soon"',
            "effective_date must be a TOML date",
        ),
        ("kinfa.miso.toml", "[eligibility]", "[eligibility\n", "TOML syntax error"),
    ],
)
def test_broken_copy_fails_clearly(copy: Path, file: str, old: str, new: str, expect: str, capsys):
    _edit(copy / file, old, new)
    catalogue, problems = check_catalogue(copy)
    assert catalogue is None
    assert any(expect in str(p) for p in problems), [str(p) for p in problems]
    assert all(p.ko and p.en for p in problems)
    code, _, err = run_cli(["catalogue", "check", "--dir", str(copy)], capsys)
    assert code == 2
    assert expect in err and file in err
    with pytest.raises(CatalogueInvalid):
        load_catalogue(copy)


def test_missing_folder_and_empty_folder_fail(tmp_path: Path):
    assert check_catalogue(tmp_path / "nope")[0] is None
    empty = tmp_path / "empty"
    empty.mkdir()
    catalogue, problems = check_catalogue(empty)
    assert catalogue is None and problems


def test_catalogue_version_changes_when_a_file_changes(copy: Path):
    before = load_catalogue(copy).version
    _edit(copy / "kinfa.miso.toml", "최대 7,000만원", "최대 7,500만원")
    after = load_catalogue(copy).version
    assert before != after and after.startswith("2025.1-")
