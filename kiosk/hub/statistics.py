"""The center's statistics for a period, in SQL over the hub's own tables, with HQ's definitions.

The words are HQ's (kiosk/hq/stats.py's docstring; kiosk/hq/facts.py says the same over synced
events), read here from the rows the events were made from:
- a ticket belongs to its service day (the center's local day it was issued, config.clock), its line,
  and the counselor of its last call; a number reserved for a lobby's offline use and never handed out
  is no ticket yet (HQ has no ticket.issued for it);
- served / no-shows / transfers: tickets that ended so (their status);
- wait = call − issue: mean, median and p90 as PostgreSQL's percentile_cont (linear interpolation);
  service = done − call, of served tickets; over target = share of called tickets whose wait exceeded
  the target minutes (visit.wait_target_minutes);
- a visit belongs to the local day it started (Visit.created_at) and to the counselor and outcome of
  its case once an outcome is recorded (none before: "no counselor"); it has no line, as HQ's
  visit.submitted carries none;
- programs: the catalogue ids its match judged eligible / maybe; visits_eligible counts visits with at
  least one eligible program;
- a follow-up belongs to its due day and to its visit's counselor; done = status done; overdue = due
  before today (the center clock's) and not done.

Median and p90: on PostgreSQL percentile_cont itself; on SQLite the same interpolation in SQL with
ROW_NUMBER/COUNT windows (row ⌊p·(n−1)⌋ and the next, weighted by the fraction), so no wait leaves the
database. Where the tables hold less than HQ's events: a ticket called again after a requeue keeps
only its last call (HQ's wait runs to the first), and a no-show who came back counts by how it ended.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Subquery

from config import clock
from db.models import (
    Case,
    Counselor,
    Document,
    DocumentStatus,
    FollowUp,
    FollowUpStatus,
    MatchResult,
    Ticket,
    TicketStatus,
    Visit,
)

Grouping = Literal["line", "counselor", "day", "week", "month"]
GROUPINGS: tuple[Grouping, ...] = ("line", "counselor", "day", "week", "month")
PERIODS = ("day", "week", "month")
# The hub keeps about five years (the retention purge runs five years after a case ends): a longer
# period would show purged years as empty ones. Whole-fleet history is HQ's.
MAX_PERIOD_DAYS = 5 * 366


@dataclass
class Figures:
    """One period's figures, for the whole center or one group (key: a line, a counselor's username,
    or the first day of a day / week / month, ISO; None: no line, no counselor)."""

    key: str | None = None
    visits: int = 0
    tickets_issued: int = 0
    served: int = 0
    no_shows: int = 0
    transfers: int = 0
    wait_mean_minutes: float | None = None
    wait_median_minutes: float | None = None
    wait_p90_minutes: float | None = None
    service_mean_minutes: float | None = None
    waits_over_target: float | None = None  # a share, 0..1, of called tickets
    visits_eligible: int = 0
    programs_eligible: int = 0
    programs_maybe: int = 0
    programs: dict[str, dict[str, int]] = field(default_factory=dict)  # id -> {"eligible", "maybe"}
    outcomes: dict[str, int] = field(default_factory=dict)
    followups_due: int = 0
    followups_done: int = 0
    followups_overdue: int = 0


@dataclass(frozen=True)
class Period:
    """The center's local days start..end inclusive, and the UTC instants that bound them."""

    start: date
    end: date

    @property
    def lo(self) -> datetime:
        return clock.start_of_day(self.start)

    @property
    def hi(self) -> datetime:
        return clock.start_of_day(self.end + timedelta(days=1))


class _Sql:
    """What differs between SQLite and PostgreSQL: seconds between instants, local days, percentiles."""

    def __init__(self, dialect: str, period: Period) -> None:
        self.pg = dialect == "postgresql"
        self.period = period

    def seconds(self, earlier: Any, later: Any) -> ColumnElement[Any]:
        if self.pg:
            return cast(func.extract("epoch", later - earlier), Float)
        # julianday is a double (≈ 40 µs at today's dates); milliseconds are the honest precision.
        return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0, 3)

    def local_day(self, at: Any) -> ColumnElement[Any]:
        """The center's calendar day of a stored UTC instant."""
        if self.pg:
            return cast(func.timezone(clock.zone().key, at), Date)
        return self._sqlite_local_day(at)

    def _sqlite_local_day(self, at: Any) -> ColumnElement[Any]:
        # SQLite knows no zones: shift by the offset in force. Where it changes (summer time) the day
        # of the change is named outright and the days after it get the new offset.
        def shift(offset: timedelta) -> ColumnElement[Any]:
            return func.date(at, f"{int(offset.total_seconds()):+d} seconds")

        whens: list[tuple[ColumnElement[bool], ColumnElement[Any]]] = []
        day, offset = self.period.start, _offset(self.period.start)
        while day <= self.period.end:
            following = day + timedelta(days=1)
            if _offset(following) != offset:
                whens.append((at < clock.start_of_day(day), shift(offset)))
                whens.append((at < clock.start_of_day(following), func.date(day.isoformat())))
                offset = _offset(following)
            day = following
        return case(*whens, else_=shift(offset)) if whens else shift(offset)

    def period_of(self, day: Any, by: str) -> ColumnElement[Any]:
        """The first day of the day / week (Monday, as date_trunc's ISO week) / month of ``day``."""
        if by == "day":
            return day  # type: ignore[no-any-return]
        if self.pg:
            return cast(func.date_trunc(by, day), Date)
        if by == "week":
            return func.date(day, "-6 days", "weekday 1")
        return func.date(day, "start of month")

    def percentiles(self, facts: Subquery, value: str) -> Select[Any]:
        """(k, median, p90) of facts.<value> per facts.k, as percentile_cont computes them."""
        k, v = facts.c.k, facts.c[value]
        if self.pg:
            return (
                select(
                    k,
                    func.percentile_cont(0.5).within_group(v).label("median"),
                    func.percentile_cont(0.9).within_group(v).label("p90"),
                )
                .where(v.is_not(None))
                .group_by(k)
            )
        ranked = (
            select(
                k,
                v.label("v"),
                (func.row_number().over(partition_by=k, order_by=v) - 1).label("rn"),
                func.count().over(partition_by=k).label("n"),
            )
            .where(v.is_not(None))
            .subquery()
        )

        def interpolated(p: float) -> ColumnElement[Any]:
            position = p * (ranked.c.n - 1)
            row = cast(position, Integer)  # ⌊position⌋: positions are never negative
            fraction = position - row
            return func.sum(
                case(
                    (ranked.c.rn == row, ranked.c.v * (1 - fraction)),
                    (ranked.c.rn == row + 1, ranked.c.v * fraction),
                    else_=0.0,
                )
            )

        return select(ranked.c.k, interpolated(0.5).label("median"), interpolated(0.9).label("p90")).group_by(
            ranked.c.k
        )

    def json_elements(self, column: Any) -> Any:
        if self.pg:
            return func.json_array_elements(cast(column, JSON)).table_valued("value").alias("j")
        return func.json_each(column).table_valued("value").alias("j")

    def json_text(self, value: Any, name: str) -> ColumnElement[Any]:
        if self.pg:
            return func.json_extract_path_text(value, name)
        return func.json_extract(value, f"$.{name}")


def _offset(day: date) -> timedelta:
    return clock.start_of_day(day).utcoffset() or timedelta(0)


def _minutes(seconds: Any) -> float | None:
    return None if seconds is None else float(seconds) / 60.0


def _count(value: Any) -> int:
    return int(value or 0)


class _Groups:
    """The figures per key as the queries fill them; keys made readable (usernames, ISO days)."""

    def __init__(self, by: Grouping | None, usernames: dict[uuid.UUID, str]) -> None:
        self.by, self.usernames = by, usernames
        self.rows: dict[str | None, Figures] = {}

    def __getitem__(self, raw: Any) -> Figures:
        key = self._key(raw)
        if key not in self.rows:
            self.rows[key] = Figures(key=key)
        return self.rows[key]

    def _key(self, raw: Any) -> str | None:
        if raw is None or self.by is None:
            return None
        if self.by == "counselor":
            counselor = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
            return self.usernames.get(counselor, str(counselor))
        return str(raw)[:10] if self.by in PERIODS else str(raw)


def figures(
    session: Session,
    center_id: uuid.UUID,
    period: Period,
    *,
    by: Grouping | None = None,
    target_minutes: float,
    today: date | None = None,
) -> list[Figures]:
    """The center's figures for the period: one row without ``by``, else one per group, sorted by key
    (None first). ``today`` (the center clock's by default) decides what is overdue."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; choose from {GROUPINGS}")
    sql = _Sql(session.get_bind().dialect.name, period)
    usernames = {row.id: row.username for row in session.execute(select(Counselor.id, Counselor.username))}
    groups = _Groups(by, usernames)
    _tickets(session, sql, center_id, by, float(target_minutes) * 60.0, groups)
    _visits(session, sql, center_id, by, groups)
    _followups(session, sql, center_id, by, today or clock.today(), groups)
    if by is None and not groups.rows:
        groups[None]  # a period with nothing in it still has its (zero) figures
    return sorted(groups.rows.values(), key=lambda f: (f.key is not None, f.key or ""))


def _keyed(key: ColumnElement[Any] | None) -> ColumnElement[Any]:
    """The facts' group column k; NULL for the whole center (grouped as a subquery's column, which
    PostgreSQL accepts where it refuses GROUP BY NULL)."""
    return null().label("k") if key is None else key.label("k")


def _issued(center_id: uuid.UUID, period: Period) -> ColumnElement[bool]:
    return and_(
        Ticket.center_id == center_id,
        Ticket.service_date >= period.start,
        Ticket.service_date <= period.end,
        Ticket.status != TicketStatus.RESERVED,
    )


def _ticket_key(sql: _Sql, by: Grouping | None) -> ColumnElement[Any] | None:
    if by is None:
        return None
    if by == "line":
        return Ticket.line  # type: ignore[return-value]
    if by == "counselor":
        return Ticket.counselor_id  # type: ignore[return-value]
    return sql.period_of(Ticket.service_date, by)


def _tickets(
    session: Session,
    sql: _Sql,
    center_id: uuid.UUID,
    by: Grouping | None,
    target_s: float,
    groups: _Groups,
) -> None:
    k = _keyed(_ticket_key(sql, by))
    wait = sql.seconds(Ticket.created_at, Ticket.called_at)
    service = case(
        (Ticket.status == TicketStatus.DONE, sql.seconds(Ticket.called_at, Ticket.done_at)), else_=None
    )

    facts = select(k, wait.label("wait_s"), service.label("service_s"), Ticket.status).where(
        _issued(center_id, sql.period)
    )
    f = facts.subquery("f")
    totals = select(
        f.c.k,
        func.count().label("issued"),
        func.sum(case((f.c.status == TicketStatus.DONE, 1), else_=0)).label("served"),
        func.sum(case((f.c.status == TicketStatus.NO_SHOW, 1), else_=0)).label("no_shows"),
        func.sum(case((f.c.status == TicketStatus.TRANSFERRED, 1), else_=0)).label("transfers"),
        func.avg(f.c.wait_s).label("wait_mean"),
        func.count(f.c.wait_s).label("wait_n"),
        func.sum(case((f.c.wait_s > target_s, 1), else_=0)).label("over"),
        func.avg(f.c.service_s).label("service_mean"),
    ).group_by(f.c.k)
    for r in session.execute(totals):
        row = groups[r.k]
        row.tickets_issued, row.served = _count(r.issued), _count(r.served)
        row.no_shows, row.transfers = _count(r.no_shows), _count(r.transfers)
        row.wait_mean_minutes, row.service_mean_minutes = _minutes(r.wait_mean), _minutes(r.service_mean)
        row.waits_over_target = _count(r.over) / r.wait_n if r.wait_n else None
    for r in session.execute(sql.percentiles(f, "wait_s")):
        row = groups[r.k]
        row.wait_median_minutes, row.wait_p90_minutes = _minutes(r.median), _minutes(r.p90)


def _latest_outcome(*scope: ColumnElement[bool]) -> Subquery:
    """Per visit (those ``scope`` names, over Visit), its case with an outcome — the latest, should
    there be more, as HQ reads the latest case.outcome: its counselor and outcome."""
    return (
        select(
            Case.visit_id,
            Case.counselor_id,
            Case.outcome,
            func.row_number()
            .over(partition_by=Case.visit_id, order_by=(Case.created_at.desc(), Case.id.desc()))
            .label("rn"),
        )
        .join(Visit, Visit.id == Case.visit_id)
        .where(Case.outcome.is_not(None), *scope)
        .subquery("o")
    )


def _by_visit(
    sql: _Sql, by: Grouping | None, counselor: Any, day: Callable[[], Any]
) -> ColumnElement[Any] | None:
    if by is None or by == "line":
        return None  # a visit has no line (see the module's docstring)
    if by == "counselor":
        return counselor  # type: ignore[no-any-return]
    return sql.period_of(day(), by)


def _visits(session: Session, sql: _Sql, center_id: uuid.UUID, by: Grouping | None, groups: _Groups) -> None:
    in_period = (
        Visit.center_id == center_id,
        Visit.created_at >= sql.period.lo,
        Visit.created_at < sql.period.hi,
    )
    o = _latest_outcome(*in_period)
    k = _keyed(_by_visit(sql, by, o.c.counselor_id, lambda: sql.local_day(Visit.created_at)))
    v = (
        select(Visit.id.label("visit_id"), k, o.c.outcome)
        .select_from(Visit)
        .outerjoin(o, and_(o.c.visit_id == Visit.id, o.c.rn == 1))
        .where(*in_period)
        .cte("v")
    )
    # Visits per outcome (None: none yet): the visits figure is their sum.
    for r in session.execute(
        select(v.c.k, v.c.outcome, func.count().label("n")).group_by(v.c.k, v.c.outcome)
    ):
        row = groups[r.k]
        row.visits += _count(r.n)
        if r.outcome is not None:
            row.outcomes[str(r.outcome)] = _count(r.n)
    # Each (visit, program, verdict) once, in a CTE both counts read: the JSON is expanded once.
    j = sql.json_elements(MatchResult.verdicts)
    verdict, program = sql.json_text(j.c.value, "verdict"), sql.json_text(j.c.value, "id")
    pv = (
        select(v.c.k, v.c.visit_id, program.label("program"), verdict.label("verdict"))
        .select_from(MatchResult)
        .join(v, v.c.visit_id == MatchResult.visit_id)
        .join(j, true())
        .where(verdict.in_(("eligible", "maybe")), program.is_not(None))
        .cte("pv")
    )
    per_program = select(pv.c.k, pv.c.program, pv.c.verdict, func.count().label("n")).group_by(
        pv.c.k, pv.c.program, pv.c.verdict
    )
    eligible_visits = (
        select(pv.c.k, null().label("program"), null().label("verdict"), func.count(pv.c.visit_id.distinct()))
        .where(pv.c.verdict == "eligible")
        .group_by(pv.c.k)
    )
    for r in session.execute(union_all(per_program, eligible_visits)):
        row = groups[r.k]
        if r.program is None:
            row.visits_eligible = _count(r.n)
            continue
        row.programs.setdefault(str(r.program), {"eligible": 0, "maybe": 0})[str(r.verdict)] += _count(r.n)
        if r.verdict == "eligible":
            row.programs_eligible += _count(r.n)
        else:
            row.programs_maybe += _count(r.n)


def _followups(
    session: Session, sql: _Sql, center_id: uuid.UUID, by: Grouping | None, today: date, groups: _Groups
) -> None:
    o = _latest_outcome(Visit.center_id == center_id)
    k = _keyed(_by_visit(sql, by, o.c.counselor_id, lambda: FollowUp.due_date))
    f = (
        select(k, FollowUp.due_date.label("day"), FollowUp.status)
        .select_from(FollowUp)
        .join(Case, Case.id == FollowUp.case_id)
        .join(Visit, Visit.id == Case.visit_id)
        .outerjoin(o, and_(o.c.visit_id == Visit.id, o.c.rn == 1))
        .where(
            Visit.center_id == center_id,
            FollowUp.due_date >= sql.period.start,
            FollowUp.due_date <= sql.period.end,
        )
        .subquery("f")
    )
    done = f.c.status == FollowUpStatus.DONE
    totals = select(
        f.c.k,
        func.count().label("due"),
        func.sum(case((done, 1), else_=0)).label("done"),
        func.sum(case((and_(~done, f.c.day < today), 1), else_=0)).label("overdue"),
    ).group_by(f.c.k)
    for r in session.execute(totals):
        row = groups[r.k]
        row.followups_due, row.followups_done = _count(r.due), _count(r.done)
        row.followups_overdue = _count(r.overdue)


# --- the figures /statistics had before issue 20, kept for the screens that read them -----------------
@dataclass
class TicketCounts:
    by_line: dict[str, int]
    by_status: dict[str, int]
    served_by_counselor: dict[str, int]  # username -> served tickets (of their last call)


def ticket_counts(session: Session, center_id: uuid.UUID, period: Period) -> TicketCounts:
    issued = _issued(center_id, period)

    def counted(rows: Iterable[Any]) -> dict[str, int]:
        return {str(name): int(n) for name, n in rows}

    by_line = session.execute(select(Ticket.line, func.count()).where(issued).group_by(Ticket.line))
    by_status = session.execute(select(Ticket.status, func.count()).where(issued).group_by(Ticket.status))
    served = session.execute(
        select(Counselor.username, func.count())
        .join(Ticket, Ticket.counselor_id == Counselor.id)
        .where(issued, Ticket.status == TicketStatus.DONE)
        .group_by(Counselor.username)
    )
    return TicketCounts(counted(by_line), counted(by_status), counted(served))


def documents_signed(session: Session, center_id: uuid.UUID, period: Period) -> int:
    return _count(
        session.scalar(
            select(func.count(Document.id))
            .join(Document.visit)
            .where(
                Visit.center_id == center_id,
                Document.status.in_((DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)),
                Document.signed_at >= period.lo,
                Document.signed_at < period.hi,
            )
        )
    )


def followups_open(session: Session, center_id: uuid.UUID) -> int:
    """Follow-ups still planned, whatever their due day (the hub's old "followups_due")."""
    return _count(
        session.scalar(
            select(func.count(FollowUp.id))
            .join(FollowUp.case)
            .join(Case.visit)
            .where(Visit.center_id == center_id, FollowUp.status == FollowUpStatus.PLANNED)
        )
    )
