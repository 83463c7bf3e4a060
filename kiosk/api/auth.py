"""Counselor sign-in and accounts: what `POST /auth/login`, `/auth/me` and `/counselors` carry."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kiosk.api.common import PlainText, Strict


class LoginIn(Strict):
    username: Annotated[PlainText, Field(min_length=1, max_length=60)]
    password: Annotated[PlainText, Field(min_length=1, max_length=200)]
    desk_device_token: Annotated[PlainText | None, Field(max_length=100)] = None


class CounselorOut(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str
    role: str
    center_id: uuid.UUID


class LoginOut(BaseModel):
    token: str
    expires_at: datetime
    counselor: CounselorOut
    desk_device_id: uuid.UUID | None


class CounselorIn(Strict):
    username: Annotated[str, Field(pattern="^[a-z0-9._-]{3,60}$")]
    display_name: Annotated[PlainText, Field(min_length=1, max_length=60)]
    password: Annotated[PlainText, Field(min_length=10, max_length=200)]
    role: Literal["counselor", "center_manager", "admin"] = "counselor"


class MeOut(BaseModel):
    kind: str
    id: uuid.UUID
    center_id: uuid.UUID
    role: str
    desk_device_id: uuid.UUID | None = None
    paired_device_id: uuid.UUID | None = None
