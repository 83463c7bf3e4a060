"""Registering and revoking centers: HQ learns each hub's Ed25519 public key here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from kiosk.hq.models import HqCenter
from kiosk.hq.signing import public_key_bytes


class CenterError(ValueError):
    """A center that cannot be added or revoked as asked (duplicate code, unknown code)."""


def add_center(session: Session, code: str, name: str, public_key: bytes) -> HqCenter:
    code, name = code.strip(), name.strip()
    if not code or len(code) > 32 or not name or len(name) > 100:
        raise CenterError("code (1-32 characters) and name (1-100) are required")
    raw = public_key_bytes(public_key)
    if session.scalar(select(HqCenter.id).where(HqCenter.code == code)) is not None:
        raise CenterError(f"center {code} is already registered")
    center = HqCenter(code=code, name=name, public_key=raw, created_at=clock.now())
    session.add(center)
    session.flush()
    return center


def revoke_center(session: Session, code: str) -> HqCenter:
    center = session.scalar(select(HqCenter).where(HqCenter.code == code))
    if center is None:
        raise CenterError(f"no center {code}")
    if center.revoked_at is None:
        center.revoked_at = clock.now()
    return center
