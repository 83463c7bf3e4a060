"""The center's clock: every "now", "today" and service date the software uses comes from here.

A kiosk PC or a hub VM often runs on UTC, where "today" is still yesterday in Korea until 09:00. So
nothing asks the machine for its local date (ruff's DTZ rules reject a naive ``datetime.now()`` or
``date.today()``) and every layer asks this module, which knows the center's time zone
(``app.timezone``, default Asia/Seoul; ``load_settings`` sets it for the process).

It lives in ``config`` because every layer may import ``config`` and the zone is a setting; it imports
nothing of ours. Tests pin it with time-machine, which moves ``datetime.now`` itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Seoul"
_zone = ZoneInfo(DEFAULT_TIMEZONE)


def use_timezone(name: str) -> None:
    """Make ``name`` (an IANA zone, validated by the settings) the center's zone for this process."""
    global _zone
    _zone = ZoneInfo(name)


def zone() -> ZoneInfo:
    return _zone


def named_zone(name: str) -> ZoneInfo:
    """The zone called ``name``: for HQ, whose figures are computed per center in that center's zone
    (every center's is ``DEFAULT_TIMEZONE`` today). Nothing else picks a zone."""
    return ZoneInfo(name)


def now() -> datetime:
    """The current instant, timezone-aware in UTC: what is stored."""
    return datetime.now(UTC)


def local_now() -> datetime:
    """The current instant on the center's wall clock: what is shown."""
    return datetime.now(_zone)


def today() -> date:
    """The center's calendar date now (never the machine's)."""
    return local_now().date()


def local(at: datetime) -> datetime:
    """``at`` on the center's wall clock. A naive datetime is a bug upstream, so it is refused."""
    if at.tzinfo is None:
        raise ValueError("naive datetime; times carry their zone (stored times are UTC)")
    return at.astimezone(_zone)


def local_date(at: datetime) -> date:
    """The center's calendar date of an instant: tickets restart at 1 on each such date."""
    return local(at).date()


def start_of_day(day: date) -> datetime:
    """The first instant of ``day`` in the center, as an aware datetime (for range queries in UTC)."""
    return datetime(day.year, day.month, day.day, tzinfo=_zone)
