"""Retention purge (신용정보법: delete within 5 years after the relationship ends).

A visit has *expired* when the relationship it belongs to ended before the cutoff (now minus
``privacy.retention_years``):
- with cases: every case has ended, and the last one ended before the cutoff;
- without a case (ticket only, abandoned): the visit ended (or, never closed, was last touched) before it.

For an expired visit the purge erases the personal content and keeps the skeleton (ids, times,
hashes, outcomes), so statistics and the audit chain stay intact: identity-check images and OCR
confidences, signature points and images, intake answers, match verdicts (they quote answers), case
notes, follow-up notes, ticket transfer notes, the visit's workflow state and document PDFs (their
sha256 stays), with the fields it was rendered from. Print-spool payloads, sent outbox bodies and
request-replay records older than the cutoff go too, and so do the numbers and texts of SMS older than it
(messages, consent codes, ticket opt-ins, reminders; opt-outs stay) and web links long expired. A person
is deleted (RRN/phone/address ciphertexts, blind index, name) once no visit within retention refers to
them. Audit events hold ids only and are never touched; the purge itself is appended to the chain. On
SQLite, ``secure_delete`` and a WAL checkpoint make sure the erased bytes do not linger in free pages or the
WAL file.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from config import clock
from db import sync_events
from db.audit import append_event
from db.models import (
    AftercareReminder,
    Case,
    Document,
    FollowUp,
    IdempotencyRecord,
    IdentityCheck,
    Intake,
    MatchResult,
    OutboxEntry,
    OutboxStatus,
    Person,
    PrintJob,
    PrintJobStatus,
    Signature,
    SmsConsentChallenge,
    SmsMessage,
    SmsStatus,
    Ticket,
    TicketSms,
    Visit,
    WebLink,
)

_CHUNK = 500


@dataclass
class PurgeReport:
    cutoff: datetime
    retention_years: int
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    @property
    def total(self) -> int:
        return sum(v for k, v in self.counts.items() if k != "visits")


def retention_cutoff(now: datetime, years: int) -> datetime:
    """The first instant still kept: cases ended before the start of the center's day ``years`` ago.

    Counted in whole days of the center's calendar, so a case that ended on 2021-12-01 (KST) becomes
    purgeable at 00:00 KST on 2026-12-02 whatever zone the machine runs in.
    """
    today = clock.local_date(now)
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return clock.start_of_day(day)


def expired_visit_ids(session: Session, cutoff: datetime) -> list[uuid.UUID]:
    cases = (
        select(
            Case.visit_id.label("visit_id"),
            func.count().label("n"),
            func.count(Case.ended_at).label("ended"),
            func.max(Case.ended_at).label("last_end"),
        )
        .group_by(Case.visit_id)
        .subquery()
    )
    query = (
        select(Visit.id)
        .outerjoin(cases, cases.c.visit_id == Visit.id)
        .where(
            or_(
                and_(cases.c.n.is_not(None), cases.c.n == cases.c.ended, cases.c.last_end < cutoff),
                and_(cases.c.n.is_(None), func.coalesce(Visit.ended_at, Visit.updated_at) < cutoff),
            )
        )
        .order_by(Visit.id)
    )
    return list(session.scalars(query))


def _chunks(ids: Sequence[uuid.UUID]) -> Iterator[Sequence[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _erase(row: Any, report: PurgeReport, what: str, **empty: Any) -> bool:
    """Set the given attributes to their empty value; count the row when any held something."""
    held = any(getattr(row, name) not in (None, {}, [], b"", "") for name in empty)
    if held:
        report.add(what)
        if not report.dry_run:
            for name, value in empty.items():
                setattr(row, name, value)
    return held


def _purge_visits(session: Session, ids: Sequence[uuid.UUID], report: PurgeReport) -> set[uuid.UUID]:
    touched: set[uuid.UUID] = set()

    def each(model: Any) -> Iterator[Any]:
        yield from session.scalars(select(model).where(model.visit_id.in_(ids)))

    for check in each(IdentityCheck):
        if _erase(check, report, "identity_images", masked_image_png=None, confidence={}):
            touched.add(check.visit_id)
    for signature in each(Signature):
        if _erase(signature, report, "signatures", points=[], png=None):
            touched.add(signature.visit_id)
    for intake in each(Intake):
        if _erase(intake, report, "intake_answers", answers={}):
            touched.add(intake.visit_id)
    for match in each(MatchResult):
        if _erase(match, report, "match_results", verdicts=[]):
            touched.add(match.visit_id)
    for document in each(Document):
        empty: dict[str, Any] = {"pdf": None}
        if hasattr(document, "render_fields"):  # the fields the PDF was rendered from (kiosk.hub)
            empty["render_fields"] = {}
        if _erase(document, report, "document_pdfs", **empty):
            touched.add(document.visit_id)
    for ticket in each(Ticket):
        if _erase(ticket, report, "ticket_notes", transfer_note=None):
            touched.add(ticket.visit_id)
    case_ids: list[uuid.UUID] = []
    for case in each(Case):
        case_ids.append(case.id)
        if _erase(case, report, "case_notes", notes_enc=None):
            touched.add(case.visit_id)
    if case_ids:
        for follow_up in session.scalars(select(FollowUp).where(FollowUp.case_id.in_(case_ids))):
            _erase(follow_up, report, "follow_up_notes", note=None)
    for visit in session.scalars(select(Visit).where(Visit.id.in_(ids))):
        if _erase(visit, report, "visit_states", state={}):
            touched.add(visit.id)
    return touched


def _purge_people(session: Session, expired: set[uuid.UUID], cutoff: datetime, report: PurgeReport) -> None:
    """Delete persons whose every visit has expired, and persons without visits older than the cutoff."""
    refs: dict[uuid.UUID, bool] = {}  # person -> still has a visit within retention
    for visit_id, person_id in session.execute(
        select(Visit.id, Visit.person_id).where(Visit.person_id.is_not(None))
    ):
        if person_id is not None:
            refs[person_id] = refs.get(person_id, False) or visit_id not in expired
    doomed = [pid for pid, live in refs.items() if not live]
    orphans = session.scalars(
        select(Person.id).where(
            Person.created_at < cutoff,
            Person.id.not_in(select(Visit.person_id).where(Visit.person_id.is_not(None))),
        )
    )
    doomed.extend(orphans)
    for chunk in _chunks(sorted(set(doomed))):
        for person in session.scalars(select(Person).where(Person.id.in_(chunk))):
            report.add("persons")
            if not report.dry_run:
                sync_events.person_purged(session, person)  # HQ purges the same person (blind index)
                for visit in session.scalars(select(Visit).where(Visit.person_id == person.id)):
                    visit.person_id = None
                session.delete(person)


def _purge_operations(session: Session, cutoff: datetime, report: PurgeReport) -> None:
    """Spool, outbox and replay records older than the cutoff: their bodies may quote a visit."""
    for job in session.scalars(
        select(PrintJob).where(PrintJob.created_at < cutoff, PrintJob.status != PrintJobStatus.PENDING)
    ):
        _erase(job, report, "print_payloads", payload=b"")
    for entry in session.scalars(
        select(OutboxEntry).where(OutboxEntry.created_at < cutoff, OutboxEntry.status != OutboxStatus.PENDING)
    ):
        _erase(entry, report, "outbox_bodies", body={}, payload_enc=None)
    for record in session.scalars(select(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff)):
        report.add("replay_records")
        if not report.dry_run:
            session.delete(record)
    _purge_messages(session, cutoff, report)


_SETTLED = (SmsStatus.DELIVERED, SmsStatus.FAILED, SmsStatus.EXPIRED, SmsStatus.SKIPPED)


def _purge_messages(session: Session, cutoff: datetime, report: PurgeReport) -> None:
    """Numbers and texts of SMS older than the cutoff: the message rows, the consent codes' and ticket
    opt-ins' copies of the number, the after-care reminders' number index; links long expired go.
    The rows themselves stay (ids, times, statuses, delivery reports: what a consent record cites).
    Opt-outs stay: a number that said "no more SMS" must never be texted again."""
    for message in session.scalars(
        select(SmsMessage).where(SmsMessage.created_at < cutoff, SmsMessage.status.in_(_SETTLED))
    ):
        _erase(message, report, "sms_messages", to_enc=b"", to_blind_index="", text_enc=None)
    for challenge in session.scalars(
        select(SmsConsentChallenge).where(SmsConsentChallenge.created_at < cutoff)
    ):
        _erase(challenge, report, "sms_consent_numbers", to_enc=b"", to_blind_index="")
    for opt_in in session.scalars(select(TicketSms).where(TicketSms.created_at < cutoff)):
        _erase(opt_in, report, "ticket_sms_numbers", phone_enc=b"", phone_blind_index="")
    for reminder in session.scalars(select(AftercareReminder).where(AftercareReminder.created_at < cutoff)):
        _erase(reminder, report, "reminder_numbers", to_blind_index="")
    for link in session.scalars(select(WebLink).where(WebLink.expires_at < cutoff)):
        report.add("web_links")
        if not report.dry_run:
            session.delete(link)


def purge_expired(
    sessions: sessionmaker[Session],
    retention_years: int,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    actor: str = "system:retention-purge",
) -> PurgeReport:
    """Find and (unless dry_run) erase expired personal data in one transaction; audit the purge."""
    cutoff = retention_cutoff(now or clock.now(), retention_years)
    report = PurgeReport(cutoff=cutoff, retention_years=retention_years, dry_run=dry_run)
    with sessions() as session:
        is_sqlite = session.get_bind().dialect.name == "sqlite"
        if is_sqlite and not dry_run:
            session.connection().exec_driver_sql("PRAGMA secure_delete=ON")
        expired = expired_visit_ids(session, cutoff)
        touched: set[uuid.UUID] = set()
        for chunk in _chunks(expired):
            touched |= _purge_visits(session, chunk, report)
        _purge_people(session, set(expired), cutoff, report)
        _purge_operations(session, cutoff, report)
        report.counts["visits"] = len(touched)
        if dry_run:
            session.rollback()
            return report
        detail = {"cutoff": cutoff.isoformat(), "retention_years": retention_years, **report.counts}
        append_event(session, actor, "retention.purge", "database", detail)
        session.commit()
        if is_sqlite:
            session.connection().exec_driver_sql("PRAGMA secure_delete=OFF")
            session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            session.commit()
    return report
