"""The repayment-plan rules (``config/debt/plan_rules.toml``), checked when they are loaded.

A broken copy is refused whole with one ConfigError naming the file and the key (the CLI prints it and
exits 2). The living-cost table is taken from the program catalogue, not repeated here, so eligibility
and the plan read one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config import ConfigError, resource_path
from config.loader import load_data_file
from kiosk.debt.inputs import HARDSHIP
from kiosk.matching.catalogue import Catalogue, shipped_catalogue

PROGRAM_IDS = ("ccrs.fast_track", "ccrs.pre_workout", "ccrs.individual_workout")
LOW_INCOME_STATUSES = ("basic", "near_poverty")  # 차상위 (near_poverty) or below (basic)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")


class CapsReading(_Strict):
    name_ko: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    secured_krw: int = Field(gt=0)
    unsecured_krw: int = Field(gt=0)
    source: Source


class Caps(_Strict):
    readings: tuple[CapsReading, ...] = Field(min_length=1)

    @property
    def secured_krw(self) -> int:
        """The stricter reading: the smallest secured cap any source gives."""
        return min(r.secured_krw for r in self.readings)

    @property
    def unsecured_krw(self) -> int:
        return min(r.unsecured_krw for r in self.readings)


def _known_hardship(values: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [v for v in values if v not in HARDSHIP]
    if unknown:
        raise ValueError(f"unknown hardship {unknown[0]!r}; known: {', '.join(HARDSHIP)}")
    return values


class Vulnerable(_Strict):
    livelihood_status: tuple[str, ...] = ()
    min_age: int = Field(ge=0, le=120)
    hardship_any: tuple[str, ...] = ()
    source: Source

    @field_validator("livelihood_status")
    @classmethod
    def _statuses(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if any(v not in LOW_INCOME_STATUSES for v in values):
            raise ValueError(f"livelihood_status may list only {', '.join(LOW_INCOME_STATUSES)}")
        return values

    _hardship = field_validator("hardship_any")(_known_hardship)


class KioskTotals(_Strict):
    """The rate assumed on the kiosk's totals (the kiosk asks no rates): data with its reason and source."""

    assumed_annual_rate: float = Field(gt=0, le=0.2)  # never above the legal maximum rate
    why_ko: str = Field(min_length=1)
    why_en: str = Field(min_length=1)
    source: Source


class CourtRoutes(_Strict):
    rehabilitation_unsecured_cap_krw: int = Field(gt=0)
    rehabilitation_secured_cap_krw: int = Field(gt=0)
    source: Source


class InterestReading(_Strict):
    cut_pct_min: int = Field(ge=0, le=100)
    cut_pct_max: int = Field(ge=0, le=100)
    note_ko: str = Field(min_length=1)
    note_en: str = Field(min_length=1)
    source: Source

    @model_validator(mode="after")
    def _ordered(self) -> InterestReading:
        if self.cut_pct_min > self.cut_pct_max:
            raise ValueError("cut_pct_min must not exceed cut_pct_max")
        return self


class Interest(_Strict):
    waived: bool
    readings: tuple[InterestReading, ...] = ()

    @model_validator(mode="after")
    def _one_way(self) -> Interest:
        if self.waived == bool(self.readings):
            raise ValueError("either waived = true, or waived = false with at least one reading")
        return self

    @property
    def estimate_cut_pct(self) -> int:
        """The cut the estimate uses: the smallest any reading gives (the payment is never understated)."""
        return 100 if self.waived else min(r.cut_pct_min for r in self.readings)


class PrincipalCut(_Strict):
    written_off_only: bool
    max_pct: int = Field(ge=1, le=100)
    vulnerable_max_pct: int = Field(ge=1, le=100)
    source: Source

    @model_validator(mode="after")
    def _lawful(self) -> PrincipalCut:
        if not self.written_off_only:
            raise ValueError("a principal cut applies to written-off debt only (written_off_only = true)")
        if self.vulnerable_max_pct < self.max_pct:
            raise ValueError("vulnerable_max_pct must be at least max_pct")
        return self


class ProgramRules(_Strict):
    name_ko: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    effective_from: date
    source: Source
    overdue_days_min: int = Field(ge=0)
    overdue_days_max: int | None = Field(default=None, ge=0)
    at_risk_hardship: tuple[str, ...] = ()
    term_months_min: int = Field(ge=1, le=600)
    term_months_max: int = Field(ge=1, le=600)
    term_months_max_low_income: int | None = Field(default=None, ge=1, le=600)
    interest: Interest
    principal_cut: PrincipalCut | None = None

    _hardship = field_validator("at_risk_hardship")(_known_hardship)

    @model_validator(mode="after")
    def _ranges(self) -> ProgramRules:
        if self.overdue_days_max is not None and self.overdue_days_max < self.overdue_days_min:
            raise ValueError("overdue_days_max must not be below overdue_days_min")
        if self.term_months_max < self.term_months_min:
            raise ValueError("term_months_max must not be below term_months_min")
        if (
            self.term_months_max_low_income is not None
            and self.term_months_max_low_income < self.term_months_max
        ):
            raise ValueError("term_months_max_low_income must not be below term_months_max")
        return self

    def term_cap(self, livelihood_status: str) -> int:
        if self.term_months_max_low_income is not None and livelihood_status in LOW_INCOME_STATUSES:
            return self.term_months_max_low_income
        return self.term_months_max


class PlanRulesFile(_Strict):
    version: str = Field(min_length=1)
    effective_from: date
    caps: Caps
    vulnerable: Vulnerable
    court: CourtRoutes
    kiosk_totals: KioskTotals
    programs: dict[str, ProgramRules]

    @field_validator("programs")
    @classmethod
    def _the_ccrs_programs(cls, programs: dict[str, ProgramRules]) -> dict[str, ProgramRules]:
        missing = [p for p in PROGRAM_IDS if p not in programs]
        unknown = [p for p in programs if p not in PROGRAM_IDS]
        if missing or unknown:
            raise ValueError(
                f"programs must be exactly {', '.join(PROGRAM_IDS)}"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(unknown)}" if unknown else "")
            )
        return {pid: programs[pid] for pid in PROGRAM_IDS}


@dataclass(frozen=True)
class LivingCost:
    """Monthly living cost by household size (the catalogue's table); larger households use the last."""

    monthly_krw_by_size: tuple[int, ...]
    source_title: str
    source_url: str

    def monthly_krw(self, household_size: int) -> int:
        return self.monthly_krw_by_size[min(household_size, len(self.monthly_krw_by_size)) - 1]


@dataclass(frozen=True)
class PlanRules:
    file: PlanRulesFile
    living_cost: LivingCost
    path: str

    @property
    def version(self) -> str:
        return self.file.version

    def program(self, program_id: str) -> ProgramRules:
        return self.file.programs[program_id]

    @property
    def assumed_rate(self) -> float:
        """The annual rate a kiosk-totals line carries (``[kiosk_totals]``)."""
        return self.file.kiosk_totals.assumed_annual_rate


def default_path() -> Path:
    return resource_path("debt", "plan_rules.toml")


def living_cost_from(catalogue: Catalogue) -> LivingCost:
    table = catalogue.min_living_cost_monthly
    return LivingCost(
        monthly_krw_by_size=tuple(table[size] for size in sorted(table)),
        source_title=catalogue.reference_source.get("name", ""),
        source_url=catalogue.reference_source.get("url", ""),
    )


def load_plan_rules(path: Path | str | None = None, catalogue: Catalogue | None = None) -> PlanRules:
    """Read and check the rules; ConfigError (file, key, value, what is allowed) when anything is wrong."""
    file_path = Path(path) if path else default_path()
    rules = load_data_file(file_path, PlanRulesFile)
    catalogue = catalogue or shipped_catalogue()
    for program_id in rules.programs:
        if program_id not in catalogue.ids:
            raise ConfigError(
                str(file_path), f"programs.{program_id}", program_id, "a program of the catalogue"
            )
    if not catalogue.min_living_cost_monthly:
        raise ConfigError(
            "config/products/_catalogue.toml",
            "min_living_cost",
            None,
            "a living-cost table by household size",
        )
    return PlanRules(file=rules, living_cost=living_cost_from(catalogue), path=str(file_path))
