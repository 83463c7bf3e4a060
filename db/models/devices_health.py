"""What each device of the center last said about itself (issue 20 item 7): the fleet at a glance.

One row per device, replaced by each health report (POST /devices/health) and the periodic heartbeat,
never by other requests (a last-contact write on every call would turn every read into a write).
``printer_since`` / ``reader_since`` are when that part last changed state: the alert rule counts the
minutes of an outage from there. ``alerted_at`` marks the outage already announced (one alert per
episode); a new state clears it. ``detail`` holds short codes and numbers only, never personal data.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow
from db.models.enums import EnumString


class PrinterState(StrEnum):
    OK = "ok"
    PAPER_OUT = "paper_out"
    PAPER_LOW = "paper_low"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    NONE = "none"  # the device has no printer (a desk, a counter)


class DeviceHealth(Base):
    __tablename__ = "device_health"

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"), index=True)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[str] = mapped_column(String(40), default="")
    printer: Mapped[PrinterState] = mapped_column(EnumString(PrinterState, 20), default=PrinterState.NONE)
    printer_since: Mapped[datetime] = mapped_column(default=utcnow)
    reader: Mapped[bool | None]
    reader_since: Mapped[datetime | None]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    alerted_at: Mapped[datetime | None]
