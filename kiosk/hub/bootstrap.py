"""Server-console operations that need no login: the center row, the first manager, pairing codes.

`kiosk hub adduser` and `kiosk hub pairing-code` call these on the hub's own database; after that,
everything goes through the authenticated API.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from config.centers import center_by_code
from db.audit import append_event
from db.models import Center, Counselor, CounselorRole, Device, DeviceKind
from kiosk.hub.auth import ROLES, end_sessions, hash_password, hash_token, new_pairing_code


def ensure_center(session: Session, code: str) -> Center:
    """The center row for `code`, created from config/centers.toml on first use."""
    center = session.scalars(select(Center).where(Center.code == code)).first()
    if center is not None:
        return center
    info = center_by_code(code)  # ConfigError for a code not in the registry
    center = Center(code=info.code, name_ko=info.name_ko, region=info.region)
    session.add(center)
    session.flush()
    return center


def add_counselor(
    session: Session, center: Center, username: str, password: str, role: str, display_name: str = ""
) -> Counselor:
    """Create a counselor, or reset an existing one's password and role (`kiosk hub adduser`).

    A reset ends every session of the account at once (a stolen token dies with the old password)
    and clears its login delay: the reset is how a manager helps a counselor who forgot it.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if len(password) < 10:
        raise ValueError("password must have at least 10 characters")
    row = session.scalars(select(Counselor).where(Counselor.username == username)).first()
    existing = row is not None
    if row is None:
        row = Counselor(
            center_id=center.id,
            username=username,
            display_name=display_name or username,
            password_hash="",
            role=CounselorRole(role),
        )
        session.add(row)
    row.password_hash = hash_password(password)
    row.role = CounselorRole(role)
    row.active = True
    row.failed_logins = 0
    row.locked_until = None
    session.flush()
    if existing:
        ended = end_sessions(session, row.id)
        append_event(
            session,
            "console",
            "counselor.password_reset",
            f"counselor:{row.id}",
            {"role": role, "sessions_ended": ended},
        )
    else:
        append_event(session, "console", "counselor.create", f"counselor:{row.id}", {"role": role})
    return row


def issue_pairing_code(
    session: Session, center: Center, kind: str, label: str = "", minutes: int = 10
) -> tuple[uuid.UUID, str]:
    """A new device row with a one-time enrollment code (only its hash is stored)."""
    code = new_pairing_code()
    device = Device(
        center_id=center.id,
        kind=DeviceKind(kind),
        label=label,
        pairing_code_hash=hash_token(code),
        pairing_expires_at=clock.now() + timedelta(minutes=minutes),
    )
    session.add(device)
    session.flush()
    append_event(session, "console", "device.pairing_code", f"device:{device.id}", {"kind": kind})
    return device.id, code
