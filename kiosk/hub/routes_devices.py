"""Device enrollment (one-time codes from a manager), desk↔counter pairing, health and lobby mirror.

Wrong pairing codes are limited per address and hub-wide (429 with Retry-After), spend the pending
codes they may have aimed at after a few tries, and go to the audit chain (kiosk.hub.throttle).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import APIRouter, Request
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from config import clock
from db.audit import append_event
from db.models import Device, DeviceHealth, DeviceKind, PrinterState
from db.pii import mask_pii_text
from kiosk.api import (
    CounterCodeOut,
    DeviceHealthOut,
    DeviceOut,
    EnrollIn,
    EnrollOut,
    HealthIn,
    MirrorIn,
    MirrorOut,
    OkOut,
    PairingCodeIn,
    PairingCodeOut,
    PairOut,
)
from kiosk.api.trust import enrollment_string
from kiosk.hub import fleet
from kiosk.hub.auth import hash_token, new_pairing_code, new_token
from kiosk.hub.deps import (
    CallerDep,
    CounselorDep,
    HubState,
    ManagerDep,
    SessionDep,
    StateDep,
    check_center,
)
from kiosk.hub.errors import HubError, forbidden, not_found
from kiosk.hub.throttle import audit_address, client_address

router = APIRouter(tags=["devices"])

_BAD_CODE = HubError(
    400,
    "pairing_code_invalid",
    "연결 번호가 맞지 않거나 시간이 지났어요. 새 번호를 받아 주세요.",
    "Pairing code unknown, used or expired.",
)


@router.post("/devices/pairing-codes", response_model=PairingCodeOut, summary="New device + one-time code")
def create_pairing_code(
    body: PairingCodeIn, principal: ManagerDep, state: StateDep, session: SessionDep
) -> PairingCodeOut:
    code = new_pairing_code()
    expires = clock.now() + timedelta(minutes=state.settings.hub.pairing_code_minutes)
    row = Device(
        center_id=principal.center_id,
        kind=body.kind,
        label=body.label,
        pairing_code_hash=hash_token(code),
        pairing_expires_at=expires,
    )
    session.add(row)
    session.flush()
    append_event(session, principal.actor, "device.pairing_code", f"device:{row.id}", {"kind": body.kind})
    session.commit()
    enrollment = enrollment_string(code, state.ca_fingerprint) if state.ca_fingerprint else code
    return PairingCodeOut(device_id=row.id, code=code, expires_at=expires, enrollment=enrollment)


@router.post(
    "/devices/enroll",
    response_model=EnrollOut,
    summary="Enroll with a one-time code (no login; 429 after too many wrong codes)",
)
def enroll(body: EnrollIn, request: Request, state: StateDep, session: SessionDep) -> EnrollOut:
    client = client_address(request)
    state.guards.check_code_guess(client)
    now = clock.now()
    row = session.scalars(
        select(Device).where(Device.pairing_code_hash == hash_token(body.code), Device.token_hash.is_(None))
    ).first()
    if row is None or row.revoked or row.pairing_expires_at is None or row.pairing_expires_at < now:
        pending = select(Device).where(
            Device.pairing_code_hash.is_not(None),
            Device.token_hash.is_(None),
            Device.revoked.is_(False),
            Device.pairing_expires_at > now,
        )
        _wrong_code(session, state, client, pending, actor="anonymous", action="device.enroll_failed")
        raise _BAD_CODE
    token = new_token("d")
    row.token_hash = hash_token(token)
    row.pairing_code_hash = None  # one time only
    row.pairing_expires_at = None
    append_event(session, f"device:{row.id}", "device.enroll", f"device:{row.id}", {"kind": row.kind})
    session.commit()
    return EnrollOut(device_id=row.id, token=token, kind=row.kind, label=row.label, center_id=row.center_id)


def _wrong_code(
    session: Session, state: HubState, client: str, pending: Select[Device], *, actor: str, action: str
) -> None:
    """A wrong pairing code: count it (address, hub, every code it may have aimed at), audit, commit.

    Codes that reach their limit of wrong guesses are spent at once (kiosk.hub.throttle.CodeAttempts
    says why every pending code counts the guess); the audit chain names each one.
    """
    state.guards.wrong_code(client)
    candidates = {d.pairing_code_hash: d for d in session.scalars(pending).all() if d.pairing_code_hash}
    spent = state.guards.codes.wrong_guess(candidates)
    append_event(session, actor, action, "pairing_code", {"address": audit_address(client)})
    for code_hash in spent:
        device = candidates[code_hash]
        device.pairing_code_hash = None
        device.pairing_expires_at = None
        append_event(
            session,
            "hub",
            "device.pairing_code_spent",
            f"device:{device.id}",
            {"wrong_guesses": state.guards.codes.max_wrong},
        )
    session.commit()


@router.get("/devices", response_model=list[DeviceOut])
def list_devices(principal: CounselorDep, session: SessionDep) -> list[DeviceOut]:
    rows = session.scalars(select(Device).where(Device.center_id == principal.center_id)).all()
    return [
        DeviceOut(
            id=d.id,
            kind=d.kind,
            label=d.label,
            enrolled=d.token_hash is not None,
            revoked=d.revoked,
            paired_device_id=d.paired_device_id,
        )
        for d in rows
    ]


@router.post("/desk/counter-code", response_model=CounterCodeOut, summary="Code the counter types to pair")
def desk_counter_code(principal: CounselorDep, state: StateDep, session: SessionDep) -> CounterCodeOut:
    if principal.desk_device_id is None:
        raise HubError(
            409,
            "no_desk",
            "상담석에서 로그인해야 창구 화면을 연결할 수 있어요.",
            "Log in at a desk device first.",
        )
    desk = session.get(Device, principal.desk_device_id)
    if desk is None:
        raise not_found("상담석", "Desk")
    code = new_pairing_code()
    desk.pairing_code_hash = hash_token(code)
    desk.pairing_expires_at = clock.now() + timedelta(minutes=state.settings.hub.pairing_code_minutes)
    session.commit()
    return CounterCodeOut(code=code, expires_at=desk.pairing_expires_at)


@router.post(
    "/devices/pair", response_model=PairOut, summary="A counter pairs with the desk showing the code"
)
def pair_counter(
    body: EnrollIn, request: Request, principal: CallerDep, state: StateDep, session: SessionDep
) -> PairOut:
    if not principal.is_device("counter"):
        raise forbidden("창구 화면만 상담석과 연결할 수 있어요.", "Only counter devices pair with a desk.")
    client = client_address(request)
    state.guards.check_code_guess(client)
    now = clock.now()
    desk = session.scalars(
        select(Device).where(
            Device.pairing_code_hash == hash_token(body.code),
            Device.kind == DeviceKind.DESK,
            Device.token_hash.is_not(None),
        )
    ).first()
    if desk is None or desk.pairing_expires_at is None or desk.pairing_expires_at < now:
        # A counter can only mean a desk code of its own center.
        pending = select(Device).where(
            Device.pairing_code_hash.is_not(None),
            Device.kind == DeviceKind.DESK,
            Device.token_hash.is_not(None),
            Device.center_id == principal.center_id,
            Device.pairing_expires_at > now,
        )
        _wrong_code(session, state, client, pending, actor=principal.actor, action="device.pair_failed")
        raise _BAD_CODE
    check_center(principal, desk.center_id)
    counter = session.get(Device, principal.id)
    assert counter is not None
    # One counter per desk: whoever was paired before is released.
    for other in session.scalars(select(Device).where(Device.paired_device_id == desk.id)).all():
        other.paired_device_id = None
    counter.paired_device_id = desk.id
    desk.paired_device_id = counter.id
    desk.pairing_code_hash = None
    desk.pairing_expires_at = None
    append_event(session, principal.actor, "device.pair", f"device:{desk.id}")
    session.commit()
    state.tokens.clear()  # cached principals carry the old pairing
    return PairOut(desk_device_id=desk.id, desk_label=desk.label)


_BUS_HEALTH_FIELDS = {"component", "status", "code", "message_ko"}  # the bus event as it always was
_PII_IN_HEALTH = HubError(
    422,
    "health_personal_data",
    "기기 상태에는 주민등록번호나 전화번호를 넣을 수 없어요.",
    "A health report must not carry an RRN or a phone number.",
)


def _check_no_pii(body: HealthIn) -> None:
    texts = [body.code, body.message_ko, body.version]
    texts += [v for v in body.detail.values() if isinstance(v, str)]
    if any(mask_pii_text(text) != text for text in texts):
        raise _PII_IN_HEALTH


@router.post(
    "/devices/health", response_model=OkOut, summary="A device reports a health change (or its heartbeat)"
)
def device_health(body: HealthIn, principal: CallerDep, state: StateDep, session: SessionDep) -> OkOut:
    if principal.kind != "device":
        raise forbidden("기기만 상태를 보고할 수 있어요.", "Only devices report health.")
    _check_no_pii(body)
    device = session.get(Device, principal.id)
    if device is None:
        raise not_found("기기", "Device")
    stored = fleet.store_report(session, device, body, clock.now())  # with its sync event, one commit
    session.commit()
    center = str(principal.center_id)
    state.bus.publish(
        center,
        "device.health",
        {"device_id": str(principal.id), **body.model_dump(include=_BUS_HEALTH_FIELDS)},
    )
    if stored.cleared:
        state.bus.publish(center, "device.alert", fleet.cleared_data(device, stored.health.printer))
    return OkOut()


@router.get(
    "/devices/health",
    response_model=list[DeviceHealthOut],
    summary="Every device of the center and its state",
)
def devices_health(principal: CounselorDep, session: SessionDep) -> list[DeviceHealthOut]:
    rows = session.execute(
        select(Device, DeviceHealth)
        .outerjoin(DeviceHealth, DeviceHealth.device_id == Device.id)
        .where(
            Device.center_id == principal.center_id, Device.revoked.is_(False), Device.token_hash.is_not(None)
        )
        .order_by(Device.kind, Device.label)
    ).all()
    return [
        DeviceHealthOut(
            device_id=d.id,
            kind=str(d.kind),
            label=d.label,
            last_seen=h.last_seen if h else None,
            version=h.version if h else "",
            printer=(h.printer if h else PrinterState.NONE).value,
            printer_since=h.printer_since if h else None,
            reader=h.reader if h else None,
            alert=h is not None and h.alerted_at is not None,
        )
        for d, h in rows
    ]


@router.post("/devices/mirror", response_model=OkOut, summary="A lobby kiosk reports its current step")
def lobby_mirror(body: MirrorIn, principal: CallerDep, state: StateDep, session: SessionDep) -> OkOut:
    if not principal.is_device("lobby"):
        raise forbidden("로비 키오스크만 보낼 수 있어요.", "Only lobby kiosks report their step.")
    device = session.get(Device, principal.id)
    mirror = MirrorOut(
        device_id=principal.id,
        label=device.label if device else "",
        step=body.step,
        title_ko=body.title_ko,
        needs_help=body.needs_help,
        at=clock.now(),
    )
    state.mirrors[principal.id] = mirror
    kind = "lobby.help" if body.needs_help else "lobby.step"
    state.bus.publish(str(principal.center_id), kind, mirror.model_dump(mode="json"))
    return OkOut()


@router.get("/devices/mirror", response_model=list[MirrorOut], summary="Current step of every lobby kiosk")
def lobby_mirrors(principal: CounselorDep, state: StateDep, session: SessionDep) -> list[MirrorOut]:
    ids = set(session.scalars(select(Device.id).where(Device.center_id == principal.center_id)).all())
    return [m for device_id, m in state.mirrors.items() if device_id in ids]


def device_label(session: SessionDep, device_id: uuid.UUID | None) -> str:
    if device_id is None:
        return ""
    row = session.get(Device, device_id)
    return row.label if row else ""


@router.post("/devices/{device_id}/revoke", response_model=OkOut, summary="Revoke a device (manager)")
def revoke_device(device_id: uuid.UUID, principal: ManagerDep, state: StateDep, session: SessionDep) -> OkOut:
    device = session.get(Device, device_id)
    if device is None:
        raise not_found("기기", "Device")
    check_center(principal, device.center_id)
    device.revoked = True
    device.token_hash = None  # the old token can never come back, even if the flag were reset
    for other in session.scalars(select(Device).where(Device.paired_device_id == device.id)).all():
        other.paired_device_id = None
    device.paired_device_id = None
    append_event(session, principal.actor, "device.revoke", f"device:{device.id}")
    session.commit()
    state.tokens.clear()  # cached principals must not outlive the revocation
    return OkOut()
