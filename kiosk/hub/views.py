"""Rows → response models, shared by the routers."""

from __future__ import annotations

from db.models import Document, FollowUp, Ticket
from kiosk.hub.schemas import DocumentOut, FollowUpOut, TicketOut
from kiosk.queue.tickets import IssuedTicket


def ticket_out(t: Ticket | IssuedTicket, wait_minutes: int | None = None) -> TicketOut:
    return TicketOut(
        id=t.id,
        line=t.line,
        number=t.number,
        display=t.display,
        status=t.status,
        desk=t.desk,
        service_date=t.service_date,
        visit_id=t.visit_id,
        created_at=t.created_at,
        called_at=t.called_at,
        wait_minutes=wait_minutes,
        lookup_code=t.lookup_code,
    )


def document_out(d: Document) -> DocumentOut:
    return DocumentOut(
        id=d.id,
        visit_id=d.visit_id,
        template=d.template,
        template_version=d.template_version,
        sha256=d.sha256,
        status=d.status,
        pushed_to_device_id=d.pushed_to_device_id,
        signed_at=d.signed_at,
        size_bytes=len(d.pdf or b""),
    )


def followup_out(f: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=f.id, case_id=f.case_id, due_date=f.due_date, kind=f.kind, status=f.status, note=f.note
    )
