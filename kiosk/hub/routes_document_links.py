"""내 서류 (issue 19 item 4): a counselor at a desk texts the person a 7-day link to copies of the
signed PDFs of the visit, and — in a message of its own — the 6-digit code that unlocks it.

Two messages, so that neither alone opens the documents (a forwarded link, a code read over a
shoulder). Sending again revokes the visit's earlier link: only the newest one works. The messages go
into the SMS outbox in the same transaction as the link, so a link is never stored without them. The
pages the link opens are kiosk.web.document_pages.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from config import clock
from db.audit import append_event
from db.models import SmsMessage, SmsStatus, Visit, WebLink
from db.people import PHONE_CONTEXT
from db.pii import mask_name
from kiosk.api import errors as codes
from kiosk.api.document_links import (
    LINK_UNSENDABLE,
    NO_PHONE_NUMBER,
    NO_SIGNED_DOCUMENT,
    DocumentLinkOut,
)
from kiosk.hub.deps import CounselorDep, SessionDep, StateDep
from kiosk.hub.errors import HubError, forbidden, not_found, sms_unavailable
from kiosk.hub.records import load_visit
from kiosk.sms import ticket_calls
from kiosk.sms.numbers import InvalidMobile, mask_phone, normalize_mobile
from kiosk.sms.templates import TemplateValueError
from kiosk.web import document_codes
from kiosk.web.links import mint, token_hash

router = APIRouter(tags=["documents"])

LINK_TEMPLATE, CODE_TEMPLATE = "document_link", "document_code"
FALLBACK_NAME = "고객"  # "고객님": a person stored without a name (or one the message cannot hold)


def _number(keys: Any, visit: Visit) -> str:
    person = visit.person
    if person is None or not person.phone_enc:
        raise HubError(
            409,
            NO_PHONE_NUMBER,
            "이 방문에는 휴대전화 번호가 없어서 서류 문자를 보낼 수 없어요.",
            "The visit has no phone number.",
        )
    try:
        return normalize_mobile(keys.decrypt_text(bytes(person.phone_enc), PHONE_CONTEXT))
    except InvalidMobile as exc:
        raise HubError(
            400, codes.SMS_NOT_MOBILE, exc.message_ko, f"Not a Korean mobile number ({exc.code})."
        ) from None


def _revoke_earlier(session: Session, visit: Visit, now: datetime) -> None:
    """The visit's earlier documents links stop working, and so do the cookies they opened."""
    earlier = list(
        session.scalars(
            select(WebLink.id).where(
                WebLink.kind == document_codes.KIND,
                WebLink.subject_id == visit.id,
                WebLink.revoked_at.is_(None),
            )
        )
    )
    if not earlier:
        return
    session.execute(update(WebLink).where(WebLink.id.in_(earlier)).values(revoked_at=now))
    session.execute(
        update(WebLink)
        .where(
            WebLink.kind == document_codes.OPEN_KIND,
            WebLink.subject_id.in_(earlier),
            WebLink.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


@router.post(
    "/visits/{visit_id}/document-link",
    response_model=DocumentLinkOut,
    summary="Text the person a 7-day link to the signed PDFs and, apart, its code (내 서류)",
)
def send_document_link(
    visit_id: uuid.UUID, principal: CounselorDep, state: StateDep, session: SessionDep
) -> DocumentLinkOut:
    if principal.desk_device_id is None:
        raise forbidden("서류 문자는 상담석에서 로그인해야 보낼 수 있어요.", "Needs a desk login.")
    visit = load_visit(session, principal, visit_id)
    if not ticket_calls.sms_offered(state.sms):
        raise sms_unavailable("서류는 센터에서 인쇄하거나 보관본으로 안내해 주세요.")
    documents = document_codes.signed_documents(session, visit.id)
    if not documents:
        raise HubError(
            409,
            NO_SIGNED_DOCUMENT,
            "아직 서명한 서류가 없어요. 창구에서 서명을 받은 뒤에 보내 주세요.",
            "No signed document on this visit yet.",
        )
    digits = _number(state.keys, visit)
    # Serialise two sends for one visit (PostgreSQL): each revokes the other's link otherwise.
    session.execute(select(Visit.id).where(Visit.id == visit.id).with_for_update())
    now = clock.now()
    _revoke_earlier(session, visit, now)
    expires_at = now + document_codes.LINK_DAYS
    center_id = visit.center_id
    if center_id is None:  # a visit of no center has no center's web address to send
        raise not_found("방문 기록", "Visit")
    token = mint(session, document_codes.KIND, center_id, visit.id, expires_at)
    session.flush()
    link = session.scalar(select(WebLink).where(WebLink.token_sha256 == token_hash(token)))
    assert link is not None
    code = document_codes.new_code()
    link.code_hash = document_codes.code_hash(state.keys, link.id, code)
    base = state.settings.web.public_url or state.settings.hub.url.rstrip("/")
    url = f"{base}/m/d/{token}"
    person = visit.person
    name = mask_name(person.name if person is not None else None) or FALLBACK_NAME
    try:
        try:
            link_id = state.sms.enqueue(
                LINK_TEMPLATE, {"masked_name": name, "link": url}, digits, session=session
            )
        except TemplateValueError as exc:
            if exc.placeholder != "masked_name":
                raise
            link_id = state.sms.enqueue(
                LINK_TEMPLATE, {"masked_name": FALLBACK_NAME, "link": url}, digits, session=session
            )
        code_id = state.sms.enqueue(CODE_TEMPLATE, {"code": code}, digits, session=session)
    except TemplateValueError:
        session.rollback()
        raise HubError(
            409,
            LINK_UNSENDABLE,
            "센터의 모바일 주소가 너무 길어서 서류 문자를 보낼 수 없어요. 관리자에게 알려 주세요.",
            "web.public_url does not fit the document_link template.",
        ) from None
    message = session.get(SmsMessage, uuid.UUID(link_id))
    if message is not None and message.status == SmsStatus.SKIPPED:
        session.rollback()
        raise HubError(
            409,
            codes.SMS_OPTED_OUT,
            "이 번호는 문자 수신을 거부해 두었어요. 서류는 센터에서 인쇄해 드려 주세요.",
            "The number opted out of SMS.",
        )
    append_event(
        session,
        principal.actor,
        "document.link",
        f"visit:{visit.id}",
        {
            "link_id": str(link.id),
            "documents": [str(d.id) for d in documents],
            "link_message_id": link_id,
            "code_message_id": code_id,
        },
    )
    session.commit()
    state.sms.wake()
    return DocumentLinkOut(
        visit_id=visit.id,
        to_masked=mask_phone(digits),
        expires_at=expires_at,
        documents=len(documents),
        link_message_id=link_id,
        code_message_id=code_id,
    )
