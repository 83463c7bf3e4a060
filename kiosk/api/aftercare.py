"""After-care follow-ups and the center's statistics for a period."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kiosk.api.common import PlainText, Strict


class FollowUpOut(BaseModel):
    id: uuid.UUID
    case_id: uuid.UUID
    due_date: date
    kind: str
    status: str
    note: str | None
    # The SMS reminder (issue 18), on the due list: None when none was sent (no mobile, no consent, not
    # yet due). "queued" (held for 08:00–21:00 or waiting for the gateway), "sent", "delivered",
    # "failed" (also expired), "opted_out" (the number refused messages: nothing was sent).
    reminder_sms: Literal["queued", "sent", "delivered", "failed", "opted_out"] | None = None
    # The person's reply code: "confirmed" (1 = 확인했어요) or "call_back" (2 = 전화 요청).
    reply: Literal["confirmed", "call_back"] | None = None
    replied_at: datetime | None = None


class AftercareIn(Strict):
    outcome: Annotated[PlainText | None, Field(max_length=40)] = None


class ProgramCounts(BaseModel):
    eligible: int  # visits whose match judged the program eligible
    maybe: int  # … maybe eligible (recommended to check)


class StatisticsFigures(BaseModel):
    """One period's figures with HQ's definitions (kiosk.hub.statistics says them): minutes, and the
    over-target share as 0..1; None where nothing was measured (no ticket called, none served)."""

    visits: int
    tickets_issued: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    wait_mean_minutes: float | None = None
    wait_median_minutes: float | None = None
    wait_p90_minutes: float | None = None
    service_mean_minutes: float | None = None
    waits_over_target: float | None = None
    visits_eligible: int = 0
    programs_eligible: int = 0
    programs_maybe: int = 0
    programs: dict[str, ProgramCounts] = Field(default_factory=dict)
    outcomes: dict[str, int] = Field(default_factory=dict)
    followups_due: int  # due in the period
    followups_done: int = 0
    followups_overdue: int = 0


class StatisticsGroup(StatisticsFigures):
    # The line, the counselor's username, or the first day (YYYY-MM-DD) of the day / week (Monday) /
    # month; None: visits and follow-ups (which have no line), or what no counselor recorded.
    key: str | None


class StatisticsOut(StatisticsFigures):
    date_from: date
    date_to: date
    tickets_by_line: dict[str, int]
    tickets_by_status: dict[str, int]
    served_by_counselor: dict[str, int]
    median_wait_minutes: float | None  # wait_median_minutes to a tenth, as the screens show it
    documents_signed: int
    wait_target_minutes: float = 30.0
    followups_open: int = 0  # still planned, whatever their due day
    by: Literal["line", "counselor", "day", "week", "month"] | None = None
    groups: list[StatisticsGroup] = Field(default_factory=list)
