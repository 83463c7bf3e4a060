"""The citizen withdraws a visit's consent at the desk (PIPA §37), the counselor presses it for them.

One transaction holds the consent's change, the audit event (ids, item ids, counts) and the HQ sync
event ``consent.withdrawn`` (visit id and item ids, never the person): a withdrawal that rolls back
leaves no trace, one that commits always reaches HQ. A second withdrawal of the same thing is a 409 that
says it already happened; what withdrawing changes is kiosk.hub.consent_withdrawal's.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from config import clock
from db.audit import append_event
from db.sync_log import record
from kiosk.api.consents import ConsentWithdrawIn, ConsentWithdrawnOut
from kiosk.hub.consent_withdrawal import NothingToWithdraw, UnknownItems, event_data, withdraw
from kiosk.hub.deps import CounselorDep, SessionDep, StateDep
from kiosk.hub.errors import HubError
from kiosk.hub.records import load_visit

router = APIRouter(tags=["consents"])

ALREADY = "consent_already_withdrawn"
UNKNOWN_ITEM = "consent_item_unknown"


def _already(exc: NothingToWithdraw) -> HubError:
    if exc.at is None:
        return HubError(
            409,
            ALREADY,
            "철회할 동의가 없어요. 이 항목은 이미 철회했거나 처음부터 동의하지 않았어요.",
            "Nothing to withdraw: these items are already withdrawn or were never granted.",
        )
    when = clock.local(exc.at).strftime("%Y-%m-%d %H:%M")
    return HubError(
        409,
        ALREADY,
        f"이 방문의 동의는 이미 {when}에 철회했어요. 다시 할 일은 없어요.",
        f"This visit's consent was already withdrawn at {when}.",
    )


@router.post(
    "/visits/{visit_id}/consent/withdraw",
    response_model=ConsentWithdrawnOut,
    summary="Withdraw the visit's consent (every item, or named optional items)",
)
def withdraw_consent(
    visit_id: uuid.UUID,
    body: ConsentWithdrawIn,
    principal: CounselorDep,
    state: StateDep,
    session: SessionDep,
) -> ConsentWithdrawnOut:
    visit = load_visit(session, principal, visit_id)
    try:
        done = withdraw(session, state.keys, visit, body.scope, body.items, clock.now())
    except NothingToWithdraw as exc:
        raise _already(exc) from exc
    except UnknownItems as exc:
        raise HubError(
            422,
            UNKNOWN_ITEM,
            "이 방문의 동의서에 없는 항목이에요. 항목을 다시 골라 주세요.",
            f"{len(exc.ids)} named item(s) are not in this visit's consent.",  # typed ids not echoed
        ) from exc
    append_event(
        session,
        principal.actor,
        "consent.withdrawn",
        f"visit:{visit.id}",
        {
            "scope": body.scope,
            "items": done.items,
            "processing_ended": done.processing_ended,
            "sms_stopped": done.sms_stopped,
        },
    )
    assert visit.center_id is not None  # load_visit checked the caller's center against it
    record(session, visit.center_id, "consent.withdrawn", event_data(visit.id, done))
    session.commit()
    return ConsentWithdrawnOut(
        visit_id=visit.id,
        withdrawn_items=done.items,
        processing_ended=done.processing_ended,
        withdrawn_at=done.at,
        sms_stopped=done.sms_stopped,
    )
