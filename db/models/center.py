"""The center, its enrolled devices and its counselors."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk
from db.models.enums import CounselorRole, DeviceKind, EnumString


class Center(UUIDPk, Timestamps, Base):
    __tablename__ = "center"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_ko: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(40), default="")


class Device(UUIDPk, Timestamps, Base):
    """A lobby kiosk, counter screen or desk enrolled with a one-time pairing code."""

    __tablename__ = "device"

    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"))
    kind: Mapped[DeviceKind] = mapped_column(EnumString(DeviceKind, 20))
    label: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    pairing_code_hash: Mapped[str | None] = mapped_column(String(128))
    pairing_expires_at: Mapped[datetime | None]
    paired_device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    revoked: Mapped[bool] = mapped_column(default=False)


class Counselor(UUIDPk, Timestamps, Base):
    __tablename__ = "counselor"

    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"))
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    role: Mapped[CounselorRole] = mapped_column(EnumString(CounselorRole, 20))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)


class HubSession(UUIDPk, Timestamps, Base):
    """A counselor's login at the hub; only the token's SHA-256 is stored (kiosk.hub.auth)."""

    __tablename__ = "hub_session"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    counselor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counselor.id", ondelete="CASCADE"))
    # The desk device the counselor logged in at (its paired counter receives pushed documents).
    desk_device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    expires_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(default=False)
