"""Rows → response models, shared by the routers."""

from __future__ import annotations

import json
import uuid
from typing import Any

from config import clock
from db.crypto import KeyRing
from db.models import Document, FollowUp, Ticket
from db.pii import mask_free_text
from kiosk.api import DocumentOut, FollowUpOut, NoteOut, TicketOut
from kiosk.hub.document_figures import debt_application_figures
from kiosk.queue.tickets import IssuedTicket

# db.rotation finds Case.notes_enc by its name and re-encrypts it under this context.
NOTES_CONTEXT = "case.notes"


def new_note(counselor_id: uuid.UUID, text: str) -> dict[str, Any]:
    """A note as stored: RRN-, phone- and account-shaped text masked before it reaches any row."""
    return {"at": clock.now().isoformat(), "counselor_id": str(counselor_id), "text": mask_free_text(text)}


def seal_notes(keys: KeyRing, notes: list[dict[str, Any]]) -> bytes | None:
    """The notes as one ciphertext: their text, times and authors are readable only with the key ring."""
    if not notes:
        return None
    return keys.encrypt_text(json.dumps(notes, ensure_ascii=False), NOTES_CONTEXT)


def open_notes(keys: KeyRing, blob: bytes | None) -> list[dict[str, Any]]:
    if not blob:
        return []
    notes: list[dict[str, Any]] = json.loads(keys.decrypt_text(bytes(blob), NOTES_CONTEXT))
    return notes


def notes_out(notes: list[dict[str, Any]]) -> list[NoteOut]:
    return [NoteOut(**n) for n in notes]


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
        figures=debt_application_figures(d.template, d.render_fields),
    )


def followup_out(f: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=f.id, case_id=f.case_id, due_date=f.due_date, kind=f.kind, status=f.status, note=f.note
    )
