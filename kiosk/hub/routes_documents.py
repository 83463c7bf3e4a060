"""Documents: generate from the case, push to the desk's paired counter, sign there, archive.

A signature is accepted only from the counter the document was pushed to (or from the counselor
whose desk that counter is paired with), and only when it is bound to the document's SHA-256.
The signed copy embeds the signature, is PAdES-signed with the center's certificate when one is
configured, and is written to the archive on request.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import clock
from db import sync_events
from db.audit import append_event
from db.models import Counselor, Device, Document, DocumentStatus, Visit
from kiosk.api import DOCUMENT_TITLES, DocumentIn, DocumentOut, IdemKey, SignatureIn
from kiosk.hub.auth import Principal
from kiosk.hub.deps import (
    CallerDep,
    CounselorDep,
    CounterDep,
    SessionDep,
    StateDep,
    body_sha256,
    check_center,
    commit_or_replay,
    replayed,
)
from kiosk.hub.document_fields import document_fields
from kiosk.hub.errors import HubError, forbidden, not_found
from kiosk.hub.records import load_visit, store_signature
from kiosk.hub.signature_check import verify_signature_record
from kiosk.hub.views import document_out
from printers.documents.archive import write_archive_pdf

router = APIRouter(tags=["documents"])


def _render(
    template: str, fields: dict[str, Any], doc_id: str, png: bytes | None = None, sig_hash: str | None = None
) -> Any:
    from printers.documents.render import DocumentFieldError, render_document

    try:
        return render_document(template, fields, signature_png=png, signature_hash=sig_hash, doc_id=doc_id)
    except DocumentFieldError as exc:
        raise HubError(409, "document_incomplete", exc.message_ko, str(exc)) from None


@router.post("/visits/{visit_id}/documents", response_model=DocumentOut, summary="Generate a document")
def generate(
    visit_id: uuid.UUID, body: DocumentIn, principal: CounselorDep, state: StateDep, session: SessionDep
) -> DocumentOut:
    visit = load_visit(session, principal, visit_id)
    counselor = session.get(Counselor, principal.id)
    fields = document_fields(
        session, visit, body.template, counselor.display_name if counselor else "", state.keys
    )
    doc_id = uuid.uuid4()
    rendered = _render(body.template, fields, str(doc_id))
    doc = Document(
        id=doc_id,
        visit_id=visit.id,
        template=body.template,
        template_version=str(rendered.version),
        sha256=rendered.sha256,
        pdf=rendered.pdf,
        status=DocumentStatus.GENERATED,
        render_fields=fields,
    )
    session.add(doc)
    session.flush()
    append_event(
        session, principal.actor, "document.generate", f"document:{doc.id}", {"template": body.template}
    )
    session.commit()
    return document_out(doc)


def _load_doc(session: Session, principal: Principal, document_id: uuid.UUID) -> tuple[Document, Visit]:
    doc = session.get(Document, document_id)
    if doc is None or doc.visit_id is None:
        raise not_found("문서", "Document")
    visit = doc.visit
    assert visit is not None
    check_center(principal, visit.center_id)
    return doc, visit


def _paired_counter(session: Session, principal: Principal) -> uuid.UUID:
    desk = session.get(Device, principal.desk_device_id) if principal.desk_device_id else None
    if desk is None or desk.paired_device_id is None:
        raise HubError(
            409,
            "no_paired_counter",
            "연결된 창구 화면이 없어요. 먼저 창구 화면을 연결해 주세요.",
            "No counter screen is paired with this desk.",
        )
    return desk.paired_device_id


@router.post(
    "/documents/{document_id}/push", response_model=DocumentOut, summary="Show it on the paired counter"
)
def push(
    document_id: uuid.UUID, principal: CounselorDep, state: StateDep, session: SessionDep
) -> DocumentOut:
    doc, visit = _load_doc(session, principal, document_id)
    if doc.status not in (DocumentStatus.GENERATED, DocumentStatus.PUSHED):
        raise HubError(409, "document_already_signed", "이미 서명된 문서예요.", "Document is already signed.")
    counter_id = _paired_counter(session, principal)
    doc.pushed_to_device_id = counter_id
    doc.status = DocumentStatus.PUSHED
    append_event(
        session, principal.actor, "document.push", f"document:{doc.id}", {"counter": str(counter_id)}
    )
    session.commit()
    state.bus.publish(
        str(visit.center_id),
        "document.pushed",
        {
            "document_id": str(doc.id),
            "template": doc.template,
            "title_ko": DOCUMENT_TITLES[doc.template][0],
            "title_en": DOCUMENT_TITLES[doc.template][1],
            "sha256": doc.sha256,
            "counter_id": str(counter_id),
        },
        to_device=str(counter_id),
    )
    return document_out(doc)


@router.get(
    "/counter/documents", response_model=list[DocumentOut], summary="Documents waiting on this counter"
)
def counter_documents(principal: CounterDep, session: SessionDep) -> list[DocumentOut]:
    rows = session.scalars(
        select(Document)
        .where(Document.pushed_to_device_id == principal.id, Document.status == DocumentStatus.PUSHED)
        .order_by(Document.created_at)
    ).all()
    return [document_out(d) for d in rows]


@router.get("/documents/{document_id}", response_model=DocumentOut)
def get_document(document_id: uuid.UUID, principal: CallerDep, session: SessionDep) -> DocumentOut:
    doc, _visit = _load_doc(session, principal, document_id)
    _may_read(principal, doc)
    return document_out(doc)


def _may_read(principal: Principal, doc: Document) -> None:
    if principal.is_counselor():
        return
    if principal.is_device("counter") and doc.pushed_to_device_id == principal.id:
        return
    raise forbidden("이 문서를 볼 수 없어요.", "You may not read this document.")


@router.get(
    "/documents/{document_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
    summary="The PDF (audited)",
)
def get_pdf(document_id: uuid.UUID, principal: CallerDep, session: SessionDep) -> Response:
    doc, _visit = _load_doc(session, principal, document_id)
    _may_read(principal, doc)
    append_event(session, principal.actor, "document.read", f"document:{doc.id}")
    session.commit()
    return Response(
        content=doc.pdf or b"", media_type="application/pdf", headers={"X-Document-Sha256": doc.sha256}
    )


@router.post(
    "/documents/{document_id}/sign",
    response_model=DocumentOut,
    summary="Sign at the counter it was pushed to (Idempotency-Key required)",
)
def sign(
    document_id: uuid.UUID,
    body: SignatureIn,
    idempotency_key: IdemKey,
    principal: CallerDep,
    state: StateDep,
    session: SessionDep,
) -> DocumentOut:
    request_sha = body_sha256({"document": str(document_id), **body.model_dump(mode="json")})
    answer = replayed(session, "document.sign", idempotency_key, principal, request_sha)
    if answer is not None:
        return DocumentOut.model_validate(answer)
    doc, visit = _load_doc(session, principal, document_id)
    allowed = (principal.is_device("counter") and doc.pushed_to_device_id == principal.id) or (
        principal.is_counselor()
        and doc.pushed_to_device_id is not None
        and principal.desk_device_id is not None
        and _desk_counter(session, principal.desk_device_id) == doc.pushed_to_device_id
    )
    if not allowed:
        raise HubError(
            403,
            "not_pushed_here",
            "이 창구로 보낸 문서가 아니라서 서명할 수 없어요.",
            "This document was not pushed to your counter.",
        )
    if doc.status != DocumentStatus.PUSHED:
        raise HubError(
            409,
            "document_not_pushed",
            "서명할 차례인 문서가 아니에요.",
            "Document is not awaiting a signature.",
        )
    if body.document_sha256 != doc.sha256:
        raise HubError(
            422,
            "signature_not_bound",
            "서명이 이 문서에 연결되어 있지 않아요. 다시 서명해 주세요.",
            "Signature is bound to another document hash.",
        )
    if not body.png_b64:
        raise HubError(
            422,
            "signature_png_required",
            "서명 이미지가 없어요. 다시 서명해 주세요.",
            "The signature image (png_b64) is required to sign a document.",
        )
    verify_signature_record(body)  # before anything is stored: a tampered record changes nothing
    signature = store_signature(session, visit.id, body)
    png = signature.png
    rendered = _render(doc.template, dict(doc.render_fields), str(doc.id), png, body.record_sha256)
    pdf = rendered.pdf
    if state.document_signer is not None:
        from printers.documents.pades import pades_sign

        pdf = pades_sign(pdf, state.document_signer)
    doc.pdf = pdf
    doc.sha256 = hashlib.sha256(pdf).hexdigest()
    doc.signature_id = signature.id
    doc.status = DocumentStatus.SIGNED
    doc.signed_at = datetime.now(UTC)
    append_event(
        session,
        principal.actor,
        "document.sign",
        f"document:{doc.id}",
        {"bound_sha256": body.document_sha256, "record_sha256": body.record_sha256},
    )
    sync_events.document_signed(session, visit, doc)
    out = document_out(doc)
    answer = commit_or_replay(
        session, "document.sign", idempotency_key, principal, request_sha, out.model_dump(mode="json")
    )
    if answer is not None:
        return DocumentOut.model_validate(answer)
    state.bus.publish(
        str(visit.center_id),
        "document.signed",
        {"document_id": str(doc.id), "visit_id": str(visit.id), "template": doc.template},
    )
    return out


def _desk_counter(session: Session, desk_id: uuid.UUID) -> uuid.UUID | None:
    desk = session.get(Device, desk_id)
    return desk.paired_device_id if desk else None


@router.post("/documents/{document_id}/archive", response_model=DocumentOut, summary="Archive a signed PDF")
def archive(
    document_id: uuid.UUID, principal: CounselorDep, state: StateDep, session: SessionDep
) -> DocumentOut:
    doc, visit = _load_doc(session, principal, document_id)
    if doc.status not in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED):
        raise HubError(
            409,
            "document_not_signed",
            "서명된 문서만 보관할 수 있어요.",
            "Only signed documents are archived.",
        )
    # The month folder is the center's month: a document made at 08:30 KST on the 1st is in that month.
    folder = state.archive_dir / str(visit.center_id) / clock.local(doc.created_at).strftime("%Y-%m")
    write_archive_pdf(state.archive_dir, folder / f"{doc.id}.pdf", doc.pdf or b"")
    doc.status = DocumentStatus.ARCHIVED
    append_event(session, principal.actor, "document.archive", f"document:{doc.id}", {"sha256": doc.sha256})
    session.commit()
    state.bus.publish(str(visit.center_id), "document.archived", {"document_id": str(doc.id)})
    return document_out(doc)


def signature_png_b64(png: bytes | None) -> str | None:
    return base64.b64encode(png).decode() if png else None
