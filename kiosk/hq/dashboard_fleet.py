"""The fleet at a glance (issue 20 item 7): each device's last `device.health` report, read leniently,
and "손이 필요해요" for a printer out of paper for 10 minutes of opening hours.

The contract fixes the fields (device_id, kind, last_seen, version, printer?, reader?) but leaves the
printer's and reader's shape open, so both are read in the forms a hub may send: the printer as
printers.escpos.status's state word ("paper_out", "cover_open", "offline", …) or as an object with
such a `state`/`status` and/or flags (`paper_out`, `cover_open`, `offline`, `online`, `paper`); the
reader as a boolean, a word ("present"/"absent"/"ok"/"missing") or an object with `present`.
Anything else is "unknown" — never "out of paper": a report we cannot read has told us nothing.

Opening hours: HQ does not hold each center's timetable yet, so weekdays 09:00–18:00 in the center's
zone (config.clock) — the 10 minutes count only inside them, so paper that ran out at 17:55 raises the
alert at 09:05 the next working day, not at night.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

OPENS, CLOSES = time(9, 0), time(18, 0)
WORKDAYS = frozenset(range(5))  # Monday..Friday
PAPER_ALERT_AFTER = timedelta(minutes=10)

_PAPER_OUT_WORDS = {"paper_out", "out_of_paper", "paper_empty", "no_paper", "paper_end", "out", "empty"}
_PAPER_LOW_WORDS = {"paper_near_end", "paper_low", "near_end", "low"}
_COVER_WORDS = {"cover_open", "open"}
_OFFLINE_WORDS = {"offline", "disconnected", "unreachable"}
_OK_WORDS = {"ready", "ok", "online", "normal", "closed"}


@dataclass(frozen=True)
class PrinterState:
    paper: str  # ok | low | out | unknown
    cover_open: bool | None
    offline: bool | None

    @property
    def label_ko(self) -> str:
        if self.offline:
            return "오프라인"
        if self.paper == "out":
            return "용지 없음"
        if self.cover_open:
            return "덮개 열림"
        if self.paper == "low":
            return "용지 부족"
        return "정상" if self.paper == "ok" else "알 수 없음"

    @property
    def label_en(self) -> str:
        if self.offline:
            return "offline"
        if self.paper == "out":
            return "out of paper"
        if self.cover_open:
            return "cover open"
        if self.paper == "low":
            return "paper low"
        return "ok" if self.paper == "ok" else "unknown"


def _word(value: Any) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def printer_state(value: Any) -> PrinterState | None:
    """None when the report says nothing about a printer (the device has none)."""
    if value is None:
        return None
    paper, cover, offline = "unknown", None, None

    def read_word(word: str) -> None:
        nonlocal paper, cover, offline
        if word in _PAPER_OUT_WORDS:
            paper = "out"
        elif word in _PAPER_LOW_WORDS:
            paper = "low"
        elif word in _COVER_WORDS:
            cover = True
        elif word in _OFFLINE_WORDS:
            offline = True
        elif word in _OK_WORDS:
            paper, cover, offline = "ok", False, False

    if isinstance(value, str):
        read_word(_word(value))
    elif isinstance(value, dict):
        for key in ("state", "status"):
            read_word(_word(value.get(key)))
        if isinstance(value.get("paper"), str):
            read_word(_word(value["paper"]))
            if _word(value["paper"]) in _OK_WORDS:
                paper = "ok"
        if isinstance(value.get("paper_out"), bool):
            paper = "out" if value["paper_out"] else (paper if paper == "low" else "ok")
        if isinstance(value.get("paper_near_end"), bool) and value["paper_near_end"] and paper != "out":
            paper = "low"
        if isinstance(value.get("cover_open"), bool):
            cover = value["cover_open"]
        elif _word(value.get("cover")) in {"open", "closed"}:
            cover = _word(value.get("cover")) == "open"
        if isinstance(value.get("offline"), bool):
            offline = value["offline"]
        elif isinstance(value.get("online"), bool):
            offline = not value["online"]
    else:
        return PrinterState("unknown", None, None)
    return PrinterState(paper, cover, offline)


def reader_present(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, dict):
        present = value.get("present")
        return present if isinstance(present, bool) else reader_present(value.get("state"))
    word = _word(value)
    if word in {"present", "ok", "ready", "connected"}:
        return True
    if word in {"absent", "missing", "none", "disconnected", "error"}:
        return False
    return None


def opening_time_between(start: datetime, end: datetime, zone: ZoneInfo) -> timedelta:
    """How much of [start, end) falls in opening hours (local weekdays OPENS..CLOSES)."""
    if end <= start:
        return timedelta(0)
    total = timedelta(0)
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        if day.weekday() in WORKDAYS:
            opens = datetime.combine(day, OPENS, tzinfo=zone)
            closes = datetime.combine(day, CLOSES, tzinfo=zone)
            lo, hi = max(start, opens), min(end, closes)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


@dataclass
class DeviceStatus:
    center_id: Any
    device_id: str
    kind: str
    version: str
    last_contact: datetime
    printer: PrinterState | None
    reader: bool | None
    paper_out_since: datetime | None = None
    needs_hand: bool = False

    @property
    def reasons_ko(self) -> list[str]:
        reasons = []
        if self.needs_hand:
            reasons.append("용지가 10분 넘게 없어요")
        if self.printer is not None and self.printer.offline:
            reasons.append("프린터가 오프라인이에요")
        if self.printer is not None and self.printer.cover_open:
            reasons.append("프린터 덮개가 열려 있어요")
        if self.reader is False:
            reasons.append("신분증 리더가 없어요")
        return reasons


def _contact(event_at: datetime, data: dict[str, Any]) -> datetime:
    text = data.get("last_seen")
    if isinstance(text, str):
        try:
            seen = datetime.fromisoformat(text)
        except ValueError:
            return event_at
        return seen if seen.tzinfo else seen.replace(tzinfo=UTC)
    return event_at


def fleet_status(
    reports: Iterable[tuple[Any, datetime, dict[str, Any]]], now: datetime, zone: ZoneInfo
) -> list[DeviceStatus]:
    """Each device's latest state from its reports (center_id, at, data), oldest first.

    The out-of-paper streak starts at the first report of paper out after the last one that was not."""
    devices: dict[tuple[Any, str], DeviceStatus] = {}
    for center_id, at, data in reports:
        device_id = str(data.get("device_id", ""))[:100]
        if not device_id:
            continue
        printer = printer_state(data.get("printer"))
        key = (center_id, device_id)
        previous = devices.get(key)
        out = printer is not None and printer.paper == "out"
        since = None
        if out:
            still = previous is not None and previous.paper_out_since is not None
            since = previous.paper_out_since if still and previous is not None else _contact(at, data)
        devices[key] = DeviceStatus(
            center_id=center_id,
            device_id=device_id,
            kind=str(data.get("kind") or "")[:40],
            version=str(data.get("version") or "")[:40],
            last_contact=_contact(at, data),
            printer=printer,
            reader=reader_present(data.get("reader")),
            paper_out_since=since,
        )
    for status in devices.values():
        if status.paper_out_since is not None:
            status.needs_hand = opening_time_between(status.paper_out_since, now, zone) >= PAPER_ALERT_AFTER
    return sorted(devices.values(), key=lambda d: (str(d.center_id), d.kind, d.device_id))


def needs_hand_by_center(statuses: Sequence[DeviceStatus]) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for status in statuses:
        if status.needs_hand:
            counts[status.center_id] = counts.get(status.center_id, 0) + 1
    return counts
