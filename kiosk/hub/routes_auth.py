"""Counselor login/logout, who-am-I, and counselor accounts (center managers create them)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from sqlalchemy import select

from db.audit import append_event
from db.models import Counselor, Device, DeviceKind, HubSession
from kiosk.api import CounselorIn, CounselorOut, LoginIn, LoginOut, MeOut, OkOut
from kiosk.hub.auth import LoginPolicy, audit_failed_desk, hash_password, hash_token, login
from kiosk.hub.deps import CallerDep, ManagerDep, SessionDep, StateDep
from kiosk.hub.errors import HubError
from kiosk.hub.throttle import client_address, login_throttled

router = APIRouter(tags=["auth"])


def counselor_out(c: Counselor) -> CounselorOut:
    return CounselorOut(
        id=c.id, username=c.username, display_name=c.display_name, role=c.role, center_id=c.center_id
    )


@router.post(
    "/auth/login", response_model=LoginOut, summary="Counselor login (argon2; progressive delay, 429)"
)
def login_route(body: LoginIn, request: Request, state: StateDep, session: SessionDep) -> LoginOut:
    client = client_address(request)
    guards = state.guards
    # The address first: while it waits, nothing is looked up and nothing is written.
    wait = guards.login_addresses.wait(client)
    if wait is not None:
        raise login_throttled(wait)
    desk_id = None
    desk = None
    if body.desk_device_token:
        desk = session.scalars(
            select(Device).where(
                Device.token_hash == hash_token(body.desk_device_token), Device.kind == DeviceKind.DESK
            )
        ).first()
        if desk is None or desk.revoked:
            guards.login_addresses.failed(client)
            audit_failed_desk(session, client)
            session.commit()
            raise HubError(401, "unknown_desk", "등록되지 않은 상담석이에요.", "Unknown desk device token.")
        desk_id = desk.id
    hub = state.settings.hub
    policy = LoginPolicy(
        free_failures=hub.login_max_failures,
        cap=timedelta(minutes=hub.login_lockout_minutes),
        session_lifetime=timedelta(minutes=hub.session_minutes),
    )
    try:
        token, hub_session, who = login(
            session,
            body.username,
            body.password,
            policy=policy,
            guards=guards,
            address=client,
            keys=state.keys,
            desk_device_id=desk_id,
        )
    except HubError as exc:
        if exc.status == 401:  # a checked, wrong guess (a 429 checked nothing)
            guards.login_addresses.failed(client)
        raise
    if desk is not None and desk.center_id != who.center_id:
        raise HubError(403, "forbidden", "다른 센터의 상담석이에요.", "That desk belongs to another center.")
    append_event(session, f"counselor:{who.id}", "auth.login", f"counselor:{who.id}")
    session.commit()
    return LoginOut(
        token=token, expires_at=hub_session.expires_at, counselor=counselor_out(who), desk_device_id=desk_id
    )


@router.post("/auth/logout", response_model=OkOut)
def logout(request: Request, principal: CallerDep, state: StateDep, session: SessionDep) -> OkOut:
    token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if principal.kind == "counselor":
        row = session.scalars(select(HubSession).where(HubSession.token_hash == hash_token(token))).first()
        if row is not None:
            row.revoked = True
            session.commit()
    state.tokens.drop(hash_token(token))
    return OkOut()


@router.get("/auth/me", response_model=MeOut)
def me(principal: CallerDep) -> MeOut:
    return MeOut(
        kind=principal.kind,
        id=principal.id,
        center_id=principal.center_id,
        role=principal.role,
        desk_device_id=principal.desk_device_id,
        paired_device_id=principal.paired_device_id,
    )


@router.post("/counselors", response_model=CounselorOut, summary="Create a counselor account (manager)")
def create_counselor(body: CounselorIn, principal: ManagerDep, session: SessionDep) -> CounselorOut:
    if body.role == "admin" and principal.role != "admin":
        raise HubError(
            403, "forbidden", "관리자 계정은 관리자만 만들 수 있어요.", "Only admins create admins."
        )
    if session.scalars(select(Counselor).where(Counselor.username == body.username)).first() is not None:
        raise HubError(409, "username_taken", "이미 있는 아이디예요.", "Username already exists.")
    row = Counselor(
        center_id=principal.center_id,
        username=body.username,
        display_name=body.display_name,
        password_hash=hash_password(body.password),
        role=body.role,
    )
    session.add(row)
    session.flush()
    append_event(session, principal.actor, "counselor.create", f"counselor:{row.id}", {"role": body.role})
    session.commit()
    return counselor_out(row)
