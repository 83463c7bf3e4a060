"""The program catalogue: one TOML file per program under ``config/products/``, plus ``_catalogue.toml``.

Administrators update programs without code; ``load_catalogue`` refuses a broken copy with every
problem listed (file, place, Korean and English), which ``kiosk catalogue check`` prints.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from config import resource_path
from kiosk.matching.conditions import Compare, Condition
from kiosk.matching.fields import FIELDS, NUMERIC_KINDS
from kiosk.matching.tree_parser import CatalogueProblem, TreeParser

META_FILE = "_catalogue.toml"
CATEGORIES = ("policy_loan", "bank_loan", "debt_adjustment", "recovery_loan", "court", "referral")
HELPS = ("new_credit", "debt_relief", "referral")
_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
_TEXT_KEYS = (
    "name_ko",
    "name_en",
    "provider_ko",
    "provider_en",
    "limit_ko",
    "limit_en",
    "rate_ko",
    "rate_en",
    "term_ko",
    "term_en",
)
_PROGRAM_KEYS = {
    *_TEXT_KEYS, "id", "category", "helps", "priority", "required_documents", "source", "effective_date",
    "eligibility", "notes", "limit_by",
}  # fmt: skip


@dataclass(frozen=True)
class Text:
    ko: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"ko": self.ko, "en": self.en}


@dataclass(frozen=True)
class LimitBracket:
    minimum: int
    maximum: int | None
    limit_krw: int


@dataclass
class Program:
    id: str
    text: dict[str, str]  # the _TEXT_KEYS
    category: str
    helps: str
    priority: int
    required_documents: list[Text]
    source: dict[str, str]
    effective_date: date
    eligibility: Condition
    notes: list[Text] = field(default_factory=list)
    limit_field: str | None = None
    limit_brackets: list[LimitBracket] = field(default_factory=list)


@dataclass
class Catalogue:
    version: str
    effective_date: date
    programs: list[Program]
    min_living_cost_monthly: dict[int, int]  # household size -> won per month
    reference_source: dict[str, str]

    def program(self, program_id: str) -> Program:
        for program in self.programs:
            if program.id == program_id:
                return program
        raise KeyError(program_id)

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.programs]


class CatalogueInvalid(Exception):
    code = "MATCH_CATALOGUE_INVALID"

    def __init__(self, problems: list[CatalogueProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def default_dir() -> Path:
    return resource_path("products")


def _texts(raw: Any, where: str, file: str, problems: list[CatalogueProblem]) -> list[Text]:
    if not isinstance(raw, list) or not all(isinstance(d, dict) and d.get("ko") and d.get("en") for d in raw):
        problems.append(
            CatalogueProblem(file, where, "ko, en 글이 있는 목록이어야 해요", "must be a list of {ko, en}")
        )
        return []
    return [Text(str(d["ko"]), str(d["en"])) for d in raw]


def _parse_program(path: Path, raw: dict[str, Any], problems: list[CatalogueProblem]) -> Program | None:
    file = path.name
    start = len(problems)

    def bad(where: str, ko: str, en: str) -> None:
        problems.append(CatalogueProblem(file, where, ko, en))

    for key in raw:
        if key not in _PROGRAM_KEYS:
            bad(key, "알 수 없는 키예요 (철자를 확인해 주세요)", f"unknown key {key!r}")
    pid = raw.get("id")
    if not isinstance(pid, str) or not _ID.match(pid):
        bad(
            "id",
            "프로그램 id가 없거나 형식이 틀렸어요 (예: kinfa.sunshine15)",
            f"missing or malformed id {pid!r}",
        )
        pid = None
    elif path.stem != pid:
        bad(
            "id",
            f"파일 이름({path.stem})과 id({pid})가 달라요",
            f"file name {path.stem!r} must equal the id {pid!r}",
        )
    for key in _TEXT_KEYS:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            bad(key, "글이 비어 있어요", f"{key} must be non-empty text")
    if raw.get("category") not in CATEGORIES:
        bad(
            "category",
            f"분류는 {', '.join(CATEGORIES)} 중 하나예요",
            f"category must be one of {', '.join(CATEGORIES)}",
        )
    if raw.get("helps") not in HELPS:
        bad("helps", f"helps는 {', '.join(HELPS)} 중 하나예요", f"helps must be one of {', '.join(HELPS)}")
    priority = raw.get("priority", 100)
    if isinstance(priority, bool) or not isinstance(priority, int):
        bad("priority", "priority는 정수예요", "priority must be an integer")
    if not isinstance(raw.get("effective_date"), date):
        bad("effective_date", "시행일(날짜, 예: 2025-01-01)이 필요해요", "effective_date must be a TOML date")
    source = raw.get("source")
    if not isinstance(source, dict) or not source.get("url") or not source.get("name"):
        bad("source", "출처(name, url)가 필요해요", "source needs name and url")
        source = {}
    docs = _texts(raw.get("required_documents", []), "required_documents", file, problems)
    notes = _texts(raw.get("notes", []), "notes", file, problems)
    limit_field, brackets = _parse_limit_by(raw.get("limit_by"), file, problems)
    tree = TreeParser(file, problems).parse(raw.get("eligibility"), "eligibility")
    if tree is not None:
        _check_plain(tree, file, problems)
    if len(problems) > start or tree is None or pid is None:
        return None
    return Program(
        id=pid,
        text={key: raw[key].strip() for key in _TEXT_KEYS},
        category=raw["category"],
        helps=raw["helps"],
        priority=priority,
        required_documents=docs,
        source={str(k): str(v) for k, v in source.items()},
        effective_date=raw["effective_date"],
        eligibility=tree,
        notes=notes,
        limit_field=limit_field,
        limit_brackets=brackets,
    )


def _check_plain(tree: Condition, file: str, problems: list[CatalogueProblem]) -> None:
    """Every comparison carries its own plain sentences: the visitor's reasons come from them."""
    for leaf in tree.leaves():
        if isinstance(leaf, Compare) and leaf.plain is None:
            problems.append(
                CatalogueProblem(
                    file,
                    f"eligibility ({leaf.field} {leaf.op})",
                    "조건마다 쉬운 문장(met_ko, met_en, unmet_ko, unmet_en)이 있어야 해요",
                    "every condition needs its plain sentences (met_ko, met_en, unmet_ko, unmet_en)",
                )
            )


def _parse_limit_by(
    raw: Any, file: str, problems: list[CatalogueProblem]
) -> tuple[str | None, list[LimitBracket]]:
    if raw is None:
        return None, []
    spec = FIELDS.get(str(raw.get("field"))) if isinstance(raw, dict) else None
    rows = raw.get("brackets") if isinstance(raw, dict) else None
    if spec is None or spec.kind not in NUMERIC_KINDS or not isinstance(rows, list) or not rows:
        problems.append(
            CatalogueProblem(
                file,
                "limit_by",
                "한도표에는 숫자 항목(field)과 구간(brackets)이 필요해요",
                "limit_by needs a numeric field and brackets",
            )
        )
        return None, []
    brackets = []
    for i, row in enumerate(rows):
        lo, hi, limit = row.get("min"), row.get("max"), row.get("limit_krw")
        if (
            not isinstance(lo, int)
            or not isinstance(limit, int)
            or limit <= 0
            or (hi is not None and (not isinstance(hi, int) or hi < lo))
        ):
            problems.append(
                CatalogueProblem(
                    file,
                    f"limit_by.brackets[{i}]",
                    "구간은 min ≤ max, limit_krw > 0 이어야 해요",
                    "bracket needs min ≤ max and limit_krw > 0",
                )
            )
            continue
        brackets.append(LimitBracket(lo, hi, limit))
    return spec.name, brackets


def _read(path: Path, problems: list[CatalogueProblem]) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        problems.append(
            CatalogueProblem(path.name, "(syntax)", f"TOML 문법 오류: {exc}", f"TOML syntax error: {exc}")
        )
        return None


def check_catalogue(directory: Path | str | None = None) -> tuple[Catalogue | None, list[CatalogueProblem]]:
    """Parse every file; return the catalogue (None if anything is wrong) and the list of problems."""
    folder = Path(directory) if directory else default_dir()
    problems: list[CatalogueProblem] = []
    if not folder.is_dir():
        return None, [
            CatalogueProblem(str(folder), "(folder)", "카탈로그 폴더가 없어요", "catalogue folder not found")
        ]
    digest = hashlib.sha256()
    meta_path = folder / META_FILE
    files = sorted(p for p in folder.glob("*.toml") if p.name != META_FILE)
    for path in [meta_path, *files] if meta_path.exists() else files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    meta = _read(meta_path, problems) if meta_path.exists() else None
    if meta is None and not problems:
        problems.append(
            CatalogueProblem(
                META_FILE, "(file)", "카탈로그 정보 파일이 없어요", "catalogue meta file missing"
            )
        )
    programs: list[Program] = []
    seen: dict[str, str] = {}
    for path in files:
        raw = _read(path, problems)
        if raw is None:
            continue
        pid = raw.get("id")
        if isinstance(pid, str) and pid in seen:
            problems.append(
                CatalogueProblem(
                    path.name,
                    "id",
                    f"같은 id가 {seen[pid]}에도 있어요: {pid}",
                    f"duplicate id {pid} (also in {seen[pid]})",
                )
            )
            continue
        if isinstance(pid, str):
            seen[pid] = path.name
        program = _parse_program(path, raw, problems)
        if program:
            programs.append(program)
    if not files:
        problems.append(
            CatalogueProblem(str(folder), "(folder)", "프로그램 파일이 하나도 없어요", "no program files")
        )
    table, version, effective = _parse_meta(meta or {}, problems)
    if problems:
        return None, problems
    programs.sort(key=lambda p: (p.priority, p.id))
    return (
        Catalogue(
            version=f"{version}-{digest.hexdigest()[:8]}",
            effective_date=effective,
            programs=programs,
            min_living_cost_monthly=table,
            reference_source=dict((meta or {}).get("min_living_cost", {}).get("source", {})),
        ),
        [],
    )


def _parse_meta(meta: dict[str, Any], problems: list[CatalogueProblem]) -> tuple[dict[int, int], str, date]:
    version = meta.get("version")
    effective = meta.get("effective_date")
    if meta and (not isinstance(version, str) or not isinstance(effective, date)):
        problems.append(
            CatalogueProblem(
                META_FILE,
                "version",
                "version(글)과 effective_date(날짜)가 필요해요",
                "version and effective_date required",
            )
        )
    living = meta.get("min_living_cost", {})
    monthly = living.get("monthly_krw_by_household_size") if isinstance(living, dict) else None
    table: dict[int, int] = {}
    if meta and (not isinstance(monthly, list) or not all(isinstance(v, int) and v > 0 for v in monthly)):
        problems.append(
            CatalogueProblem(
                META_FILE,
                "min_living_cost",
                "가구원 수별 최저생계비(양의 정수 목록)가 필요해요",
                "monthly_krw_by_household_size must list positive integers",
            )
        )
    elif monthly:
        table = {size: amount for size, amount in enumerate(monthly, start=1)}
    return table, str(version), effective if isinstance(effective, date) else date.min


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    catalogue, problems = check_catalogue(directory)
    if catalogue is None:
        raise CatalogueInvalid(problems)
    return catalogue


@lru_cache(maxsize=4)
def shipped_catalogue(directory: str = "") -> Catalogue:
    """The catalogue at ``directory`` (packaged one when empty), parsed once per process."""
    return load_catalogue(directory or None)
