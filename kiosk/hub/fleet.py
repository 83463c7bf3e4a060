"""The fleet at a glance (issue 20 item 7): device health stored, and a silent printer raising an alert.

A report (POST /devices/health, or a client's periodic one) replaces the device's row in
``device_health`` and writes a ``device.health`` sync event in the same transaction (db.sync_events).
Queue-system users complain of printers that fail silently, so a printer out of paper, with its cover
open or offline for ``hub.printer_alert_minutes`` (10) of the center's opening hours raises ONE alert:
a ``device.alert`` on the hub's bus, which the desk shows until the printer is back, and the same
``device.health`` sync event with an ``alert`` key for HQ (the contract has no ``device.alert`` type;
HQ's codec admits extra keys, and refuses unknown types — a refused batch would stop the center's sync).
The minutes count only inside opening hours: paper that ran out at 17:55 alerts at 09:05 on the next
opening day, not in the empty night. A new printer state ends the episode; the next outage alerts anew.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from config.sections.hub import HubSection
from db import sync_events
from db.models import Device, DeviceHealth, PrinterState
from kiosk.api import HealthIn

log = logging.getLogger(__name__)

Publish = Callable[[str, str, dict[str, Any]], None]

# The states in which a printer prints nothing for the people in the lobby.
ALERTING = frozenset({PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.OFFLINE})

# What a printer's report code means when the report does not name the state itself: the words of
# printers.escpos.status.HealthState and its message codes (PRN-…). Anything else leaves the state as is.
_PRINTER_CODES = {
    "ready": PrinterState.OK,
    "ok": PrinterState.OK,
    "prn-ready": PrinterState.OK,
    "paper_near_end": PrinterState.PAPER_LOW,
    "paper_low": PrinterState.PAPER_LOW,
    "prn-paper-low": PrinterState.PAPER_LOW,
    "paper_out": PrinterState.PAPER_OUT,
    "prn-paper-out": PrinterState.PAPER_OUT,
    "cover_open": PrinterState.COVER_OPEN,
    "prn-cover-open": PrinterState.COVER_OPEN,
    "offline": PrinterState.OFFLINE,
    "prn-offline": PrinterState.OFFLINE,
    "error": PrinterState.OFFLINE,  # a cutter or mechanism error: it prints nothing either
    "prn-error": PrinterState.OFFLINE,
}
_READER_COMPONENTS = frozenset({"id_reader", "reader", "card_reader"})
_MAX_LOOKBACK = timedelta(days=366)  # bounds the day-by-day count for an outage that started long ago


@dataclass(frozen=True)
class OpeningHours:
    """When the center is open, on its own clock (config.clock's zone)."""

    opens: time
    closes: time
    weekdays: frozenset[int]

    @classmethod
    def from_settings(cls, hub: HubSection) -> OpeningHours:
        opens, closes = (time.fromisoformat(part) for part in hub.open_hours.split("-"))
        return cls(opens, closes, frozenset(hub.open_weekdays))

    def is_open(self, at: datetime) -> bool:
        local = clock.local(at)
        return local.weekday() in self.weekdays and self.opens <= local.time() < self.closes

    def open_time_between(self, start: datetime, end: datetime) -> timedelta:
        """How much of [start, end) fell inside opening hours."""
        start = max(start, end - _MAX_LOOKBACK)
        if end <= start:
            return timedelta(0)
        total = timedelta(0)
        day = clock.local_date(start)
        last = clock.local_date(end)
        while day <= last:
            if day.weekday() in self.weekdays:
                window_start = datetime.combine(day, self.opens, tzinfo=clock.zone())
                window_end = datetime.combine(day, self.closes, tzinfo=clock.zone())
                overlap = min(end, window_end) - max(start, window_start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total


def printer_state_of(body: HealthIn, previous: PrinterState) -> PrinterState:
    """The printer's state after this report: named in it, read from a printer's code, or unchanged."""
    if body.printer is not None:
        return PrinterState(body.printer)
    if body.component != "printer":
        return previous
    if body.code.lower() in _PRINTER_CODES:
        return _PRINTER_CODES[body.code.lower()]
    return PrinterState.OK if body.status == "ok" else previous


def reader_of(body: HealthIn, previous: bool | None) -> bool | None:
    if body.reader is not None:
        return body.reader
    if body.component in _READER_COMPONENTS and body.status in ("ok", "error"):
        return body.status == "ok"
    return previous


@dataclass(frozen=True)
class Stored:
    health: DeviceHealth
    cleared: bool  # the report ended an outage the desk had been told of


def store_report(session: Session, device: Device, body: HealthIn, now: datetime) -> Stored:
    """Replace ``device``'s health with this report and record its sync event; the caller commits."""
    row = session.get(DeviceHealth, device.id)
    if row is None:
        row = DeviceHealth(
            device_id=device.id,
            center_id=device.center_id,
            printer=PrinterState.NONE,
            printer_since=now,
            reader=None,
            detail={},
        )
        session.add(row)
    printer = printer_state_of(body, row.printer)
    cleared = False
    if printer != row.printer:
        cleared = row.alerted_at is not None
        row.printer, row.printer_since, row.alerted_at = printer, now, None  # a new episode
    reader = reader_of(body, row.reader)
    if reader != row.reader:
        row.reader, row.reader_since = reader, now
    row.last_seen = now
    if body.version:
        row.version = body.version
    if body.detail:
        row.detail = dict(body.detail)
    session.flush()
    sync_events.device_health(session, device, row)
    return Stored(row, cleared)


@dataclass(frozen=True)
class Alert:
    center_id: uuid.UUID
    device_id: uuid.UUID
    label: str
    printer: PrinterState
    since: datetime
    minutes: int

    def bus_data(self) -> dict[str, Any]:
        return {
            "device_id": str(self.device_id),
            "label": self.label,
            "printer": self.printer.value,
            "since": sync_events.iso(self.since),
            "minutes": self.minutes,
            "active": True,
        }


def cleared_data(device: Device, printer: PrinterState) -> dict[str, Any]:
    """The bus's word that an announced outage is over (the desk drops its banner)."""
    return {
        "device_id": str(device.id),
        "label": device.label,
        "printer": printer.value,
        "since": None,
        "minutes": 0,
        "active": False,
    }


def raise_due_alerts(session: Session, hours: OpeningHours, after: timedelta, now: datetime) -> list[Alert]:
    """Mark each printer outage that has lasted ``after`` of opening hours (and the center open now) as
    announced, with its sync event; the caller commits, then publishes the returned alerts."""
    if not hours.is_open(now):
        return []
    rows = session.execute(
        select(DeviceHealth, Device)
        .join(Device, Device.id == DeviceHealth.device_id)
        .where(
            DeviceHealth.printer.in_(sorted(ALERTING)),
            DeviceHealth.alerted_at.is_(None),
            Device.revoked.is_(False),
        )
        .order_by(DeviceHealth.printer_since)
    ).all()
    alerts: list[Alert] = []
    for health, device in rows:
        outage = hours.open_time_between(health.printer_since, now)
        if outage < after:
            continue
        # Only if no report moved the state meanwhile, and no other hub process announced it first.
        claimed = session.execute(
            update(DeviceHealth)
            .where(
                DeviceHealth.device_id == health.device_id,
                DeviceHealth.alerted_at.is_(None),
                DeviceHealth.printer_since == health.printer_since,
            )
            .values(alerted_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(claimed, "rowcount", 0) != 1:
            continue
        minutes = int(outage.total_seconds() // 60)
        alert = Alert(
            device.center_id, device.id, device.label, health.printer, health.printer_since, minutes
        )
        payload = {"printer": alert.printer.value, "since": sync_events.iso(alert.since), "minutes": minutes}
        sync_events.device_health(session, device, health, alert=payload)
        alerts.append(alert)
    return alerts


class FleetJob:
    """Checks the printers every ``interval_s`` (a minute) on its own thread, never a request's."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        hub: HubSection,
        publish: Publish | None = None,
        *,
        interval_s: float = 60.0,
    ) -> None:
        self.sessions, self.publish, self.interval_s = sessions, publish, interval_s
        self.hours = OpeningHours.from_settings(hub)
        self.after = timedelta(minutes=hub.printer_alert_minutes)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def for_hub(cls, state: Any, *, interval_s: float = 60.0) -> FleetJob:
        """The job over a hub's state (kiosk.hub.deps.HubState: sessions, settings, bus)."""
        return cls(state.sessions, state.settings.hub, state.bus.publish, interval_s=interval_s)

    def run_once(self) -> Sequence[Alert]:
        with self.sessions() as session:
            alerts = raise_due_alerts(session, self.hours, self.after, clock.now())
            session.commit()
        for alert in alerts:  # after the commit: the desk never sees an alert HQ will not
            log.warning("printer alert: device %s %s since %s", alert.device_id, alert.printer, alert.since)
            if self.publish is not None:
                self.publish(str(alert.center_id), "device.alert", alert.bus_data())
        return alerts

    def start(self) -> FleetJob:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="fleet-alerts", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a database hiccup: the next minute tries again, nothing half-written
                log.exception("fleet: a printer check failed")
            self._stop.wait(self.interval_s)

    def close(self) -> None:
        self._stop.set()
