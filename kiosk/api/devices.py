"""Devices: enrollment with a one-time code, desk↔counter pairing, health reports and the lobby mirror."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kiosk.api.common import PlainText, SafeInt, ShortText, Strict


class PairingCodeIn(Strict):
    kind: Literal["lobby", "counter", "desk", "display"]
    label: Annotated[PlainText, Field(max_length=80)] = ""


class PairingCodeOut(BaseModel):
    device_id: uuid.UUID
    code: str
    expires_at: datetime
    # What the device is enrolled with: `<code>@sha256:<center CA>` on a hub serving TLS (the device
    # pins that CA before it sends the code), the bare code on a loopback hub without TLS.
    enrollment: str = ""


class EnrollIn(Strict):
    code: Annotated[str, Field(pattern="^[0-9]{8}$")]


class EnrollOut(BaseModel):
    device_id: uuid.UUID
    token: str
    kind: str
    label: str
    center_id: uuid.UUID


class CounterCodeOut(BaseModel):
    code: str
    expires_at: datetime


class PairOut(BaseModel):
    desk_device_id: uuid.UUID
    desk_label: str


class DeviceOut(BaseModel):
    id: uuid.UUID
    kind: str
    label: str
    enrolled: bool
    revoked: bool
    paired_device_id: uuid.UUID | None


# What a device's printer is doing, as the fleet view stores it (db.models.devices_health.PrinterState).
PrinterStateName = Literal["ok", "paper_out", "paper_low", "cover_open", "offline", "none"]
DetailKey = Annotated[str, Field(pattern="^[a-z_]{1,30}$")]
DetailValue = Annotated[PlainText, Field(max_length=80)] | SafeInt | bool | None


class HealthIn(Strict):
    component: Annotated[str, Field(pattern="^[a-z_]{1,30}$")]  # printer | id_reader | signature_pad | …
    status: Literal["ok", "warning", "error", "unknown"]
    code: Annotated[PlainText, Field(max_length=40)] = ""
    message_ko: ShortText = ""
    # The fleet view's fields (issue 20 item 7), all optional: an older client's report still counts.
    version: Annotated[str, Field(pattern="^[0-9A-Za-z.+_-]{0,40}$")] = ""
    printer: PrinterStateName | None = None  # None: this report says nothing about the printer
    reader: bool | None = None  # an ID card reader present / absent; None: not said
    # Short codes and counters (paper roll count, firmware…), never a person: keys and size are bounded.
    detail: Annotated[dict[DetailKey, DetailValue], Field(max_length=20)] = Field(default_factory=dict)


class DeviceHealthOut(BaseModel):
    """One device of the center as the desk's fleet list shows it."""

    device_id: uuid.UUID
    kind: str
    label: str
    last_seen: datetime | None  # None: enrolled but never reported
    version: str
    printer: PrinterStateName
    printer_since: datetime | None
    reader: bool | None
    alert: bool  # the printer has been out long enough in opening hours that the desk was told


class MirrorIn(Strict):
    step: Annotated[str, Field(pattern="^[a-z_]{1,20}$")]
    title_ko: ShortText = ""
    needs_help: bool = False


class MirrorOut(BaseModel):
    device_id: uuid.UUID
    label: str
    step: str
    title_ko: str
    needs_help: bool
    at: datetime
