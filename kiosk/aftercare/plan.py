"""After-care (사후관리): follow-up plans from a case's outcome (rules as data) and due lists."""

from __future__ import annotations

import calendar
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from config import ConfigError, resource_path
from config.loader import read_toml
from db import sync_events
from db.models import Case, FollowUp, FollowUpStatus

PLANNED, DONE, MISSED = FollowUpStatus.PLANNED, FollowUpStatus.DONE, FollowUpStatus.MISSED
_KIND = re.compile(r"^[a-z][a-z_]{1,39}$")


@dataclass(frozen=True)
class KindWords:
    label_ko: str  # the desk's 종류 column
    topic_ko: str  # the reminder's "{topic} 확인이 예정되어 있어요" (within the template's longest value)


# The follow-up kinds of config/aftercare.toml in plain Korean. An unknown kind (a new rule) reads as
# the general words, never as its snake_case id.
KIND_WORDS = {
    "repayment_check": KindWords("상환 확인", "상환 계획"),
    "credit_improvement": KindWords("신용 개선 안내", "신용 개선"),
    "usage_check": KindWords("대출금 사용 확인", "대출금 사용 계획"),
    "bank_transition": KindWords("은행 상품 이동 안내", "은행 상품 이동"),
    "business_consulting": KindWords("사업 컨설팅", "사업 운영 상담"),
    "referral_check": KindWords("연계 기관 확인", "연계 기관 방문"),
    "employment_check": KindWords("취업 확인", "취업 상황"),
    "check_in": KindWords("안부 확인", "안부"),
}
_GENERAL = KindWords("사후관리", "상담 진행 상황")


def kind_label(kind: str) -> str:
    return KIND_WORDS.get(kind, _GENERAL).label_ko


def kind_topic(kind: str) -> str:
    return KIND_WORDS.get(kind, _GENERAL).topic_ko


@dataclass(frozen=True)
class FollowUpRule:
    after_months: int
    kind: str
    ko: str
    en: str


@dataclass(frozen=True)
class OutcomeRule:
    outcome: str
    label_ko: str
    label_en: str
    followups: tuple[FollowUpRule, ...]


class AftercareError(Exception):
    def __init__(self, code: str, ko: str, en: str) -> None:
        self.code, self.ko, self.en = code, ko, en
        super().__init__(f"[{code}] {en}")


def load_aftercare_rules(path: str | Path | None = None) -> dict[str, OutcomeRule]:
    """Read the outcome → follow-up rules; any problem is a ConfigError naming file and key."""
    file = Path(path) if path else resource_path("aftercare.toml")
    rows = read_toml(file).get("rule")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(str(file), "rule", rows, "at least one [[rule]]")
    rules: dict[str, OutcomeRule] = {}
    for i, row in enumerate(rows):
        outcome = row.get("outcome")
        if not isinstance(outcome, str) or not _KIND.match(outcome) or outcome in rules:
            raise ConfigError(str(file), f"rule[{i}].outcome", outcome, "a unique snake_case outcome id")
        items = row.get("followups")
        if not isinstance(items, list):
            raise ConfigError(str(file), f"rule[{i}].followups", items, "a list of follow-ups")
        followups = []
        for j, item in enumerate(items):
            months = item.get("after_months")
            if isinstance(months, bool) or not isinstance(months, int) or not 0 < months <= 60:
                raise ConfigError(str(file), f"rule[{i}].followups[{j}].after_months", months, "1–60 months")
            if not isinstance(item.get("kind"), str) or not _KIND.match(item["kind"]):
                raise ConfigError(
                    str(file), f"rule[{i}].followups[{j}].kind", item.get("kind"), "a snake_case kind"
                )
            if not item.get("ko") or not item.get("en"):
                raise ConfigError(str(file), f"rule[{i}].followups[{j}]", item, "ko and en text")
            followups.append(FollowUpRule(months, item["kind"], item["ko"], item["en"]))
        rules[outcome] = OutcomeRule(
            outcome, str(row.get("label_ko", outcome)), str(row.get("label_en", outcome)), tuple(followups)
        )
    return rules


@lru_cache(maxsize=4)
def aftercare_rules(path: str = "") -> dict[str, OutcomeRule]:
    return load_aftercare_rules(path or None)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (Jan 31 + 1 month → Feb 28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_followups(
    session: Session,
    case_id: uuid.UUID,
    *,
    start: date,
    outcome: str | None = None,
    counselor_id: uuid.UUID | None = None,
    rules: dict[str, OutcomeRule] | None = None,
) -> list[FollowUp]:
    """(Re)plan the case's follow-ups from its outcome. Planned ones are replaced; done/missed stay."""
    case = session.get(Case, case_id)
    if case is None:
        raise AftercareError("AFTERCARE_NO_CASE", "상담 기록을 찾을 수 없어요", f"no case {case_id}")
    outcome = outcome or case.outcome
    table = rules or aftercare_rules()
    if outcome not in table:
        raise AftercareError(
            "AFTERCARE_UNKNOWN_OUTCOME",
            "사후관리 규칙이 없는 상담 결과예요",
            f"no after-care rule for outcome {outcome!r} (known: {', '.join(table)})",
        )
    case.outcome = outcome
    session.execute(delete(FollowUp).where(FollowUp.case_id == case_id, FollowUp.status == PLANNED))
    owner = counselor_id or case.counselor_id
    planned = [
        FollowUp(
            case_id=case_id,
            counselor_id=owner,
            due_date=add_months(start, rule.after_months),
            kind=rule.kind,
            status=PLANNED,
            note=rule.ko,
        )
        for rule in table[outcome].followups
    ]
    session.add_all(planned)
    session.flush()
    sync_events.followups_planned(session, planned)
    return planned


def due_followups(
    session: Session, counselor_id: uuid.UUID, *, on: date, within_days: int = 7
) -> list[FollowUp]:
    """A counselor's planned follow-ups due by ``on + within_days``, overdue ones first."""
    return list(
        session.scalars(
            select(FollowUp)
            .where(
                FollowUp.counselor_id == counselor_id,
                FollowUp.status == PLANNED,
                FollowUp.due_date <= on + timedelta(days=within_days),
            )
            .order_by(FollowUp.due_date, FollowUp.kind)
        )
    )


def record_followup(session: Session, followup_id: uuid.UUID, *, status: str, note: str = "") -> FollowUp:
    """Close a follow-up as done or missed, keeping what was planned and adding the counselor's note."""
    if status not in (DONE, MISSED):
        raise AftercareError(
            "AFTERCARE_BAD_STATUS", "완료 또는 미실시만 고를 수 있어요", "status must be done or missed"
        )
    followup = session.get(FollowUp, followup_id)
    if followup is None or followup.status != PLANNED:
        raise AftercareError(
            "AFTERCARE_NOT_PLANNED", "이미 처리된 사후관리예요", f"follow-up {followup_id} is not planned"
        )
    followup.status = FollowUpStatus(status)
    if note:
        followup.note = f"{followup.note or ''}\n{note}".strip()
    session.flush()
    sync_events.followup_recorded(session, followup)
    return followup
