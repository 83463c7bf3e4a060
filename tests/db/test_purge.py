"""Retention purge: expired visits lose their personal data, recent ones keep it, the chain verifies."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.audit import verify_chain
from db.crypto import KeyRing
from db.models import (
    AuditEvent,
    Case,
    Center,
    Document,
    FollowUp,
    IdempotencyRecord,
    IdentityCheck,
    Intake,
    MatchResult,
    OutboxEntry,
    Person,
    PrintJob,
    Signature,
    Ticket,
    Visit,
)
from db.people import store_person
from db.purge import purge_expired, retention_cutoff
from db.session import make_engine, make_sessionmaker

NOW = datetime(2031, 6, 1, 9, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=6 * 366)
RECENT = NOW - timedelta(days=200)
MARKER = "PURGE-ME-채무"


@dataclass
class World:
    old_person: uuid.UUID
    recent_person: uuid.UUID
    mixed_person: uuid.UUID
    orphan_person: uuid.UUID
    old_visit: uuid.UUID
    recent_visit: uuid.UUID
    open_case_visit: uuid.UUID


def _visit(
    session: Session, center: Center, person: Person | None, ended: datetime | None, case_end: object
) -> Visit:
    """A full visit; case_end is a datetime, None (case still open) or "none" (no case at all)."""
    visit = Visit(
        id=uuid.uuid4(),
        center_id=center.id,
        person_id=person.id if person else None,
        status="completed",
        state={"draft": MARKER},
        ended_at=ended,
        created_at=LONG_AGO,
        updated_at=ended or RECENT,
    )
    session.add(visit)
    session.flush()
    signature = Signature(
        visit_id=visit.id,
        points=[{"x": 1, "y": 2, "p": 0.5, "t": 0}],
        device="pad",
        png=MARKER.encode() * 3,
        document_sha256="a" * 64,
    )
    session.add(signature)
    session.flush()
    session.add_all(
        [
            IdentityCheck(
                visit_id=visit.id,
                method="image",
                document_kind="rrc",
                result="verified",
                masked_image_png=MARKER.encode() * 5,
                confidence={"name": 0.9},
            ),
            Intake(visit_id=visit.id, answers={"purpose": "debt", "note": MARKER}),
            MatchResult(
                visit_id=visit.id,
                catalogue_version="1",
                engine_version="1",
                verdicts=[{"id": "p1", "reasons": [{"ko": MARKER}]}],
            ),
            Document(
                visit_id=visit.id,
                template="consent",
                template_version="1",
                sha256="b" * 64,
                pdf=b"%PDF-1.7 " + MARKER.encode(),
                signature_id=signature.id,
                render_fields={"name": MARKER},
            ),
            Ticket(
                center_id=center.id,
                visit_id=visit.id,
                service_date=date(2025, 1, 2),
                line="A",
                number=int(uuid.uuid4().int % 100000),
                display="A-001",
                transfer_note=MARKER,
            ),
        ]
    )
    if case_end != "none":
        case = Case(visit_id=visit.id, notes_enc=MARKER.encode(), outcome="referred", ended_at=case_end)
        session.add(case)
        session.flush()
        session.add(FollowUp(case_id=case.id, due_date=date(2026, 1, 1), kind="call", note=MARKER))
    return visit


def _operations(session: Session) -> None:
    """Spool, outbox and replay records: one of each old and done (purged), the rest kept."""
    for created, status in ((LONG_AGO, "done"), (LONG_AGO, "pending"), (RECENT, "done")):
        session.add(
            PrintJob(
                printer="p", template="receipt", payload=MARKER.encode(), status=status, created_at=created
            )
        )
        session.add(
            OutboxEntry(
                kind="intake",
                idempotency_key=str(uuid.uuid4()),
                body={"note": MARKER},
                status="sent" if status == "done" else "pending",
                created_at=created,
            )
        )
    for created in (LONG_AGO, RECENT):
        session.add(
            IdempotencyRecord(
                scope="ticket",
                key=str(uuid.uuid4()),
                principal="device:x",
                request_sha256="c" * 64,
                status_code=201,
                response={"n": MARKER},
                created_at=created,
            )
        )


def _world(sessions: sessionmaker[Session], keys: KeyRing) -> World:
    with sessions() as session:
        center = Center(code="gwanak", name_ko="관악서민금융통합지원센터", region="서울")
        session.add(center)
        session.flush()
        old = store_person(session, keys, name="오래된", rrn="800101-1234567", phone="010-1111-1111")
        recent = store_person(session, keys, name="최근", rrn="900202-2234567", phone="010-2222-2222")
        mixed = store_person(session, keys, name="둘다", rrn="700303-1234567")
        orphan = store_person(session, keys, name="고아", rrn="600404-2234567")
        orphan.created_at = LONG_AGO
        session.flush()
        old_visit = _visit(session, center, old, LONG_AGO, LONG_AGO)
        recent_visit = _visit(session, center, recent, RECENT, RECENT)
        _visit(session, center, mixed, LONG_AGO, LONG_AGO)
        _visit(session, center, mixed, RECENT, RECENT)
        open_case = _visit(session, center, None, LONG_AGO, None)  # counseling never closed: keep
        _visit(session, center, None, LONG_AGO, "none")  # ticket-only visit long ago: purge
        _operations(session)
        session.commit()
        return World(old.id, recent.id, mixed.id, orphan.id, old_visit.id, recent_visit.id, open_case.id)


EXPECTED = {
    "outbox_bodies": 1,
    "print_payloads": 1,
    "replay_records": 1,
    "case_notes": 2,
    "document_pdfs": 3,
    "follow_up_notes": 2,
    "identity_images": 3,
    "intake_answers": 3,
    "match_results": 3,
    "persons": 2,
    "signatures": 3,
    "ticket_notes": 3,
    "visit_states": 3,
    "visits": 3,
}


def test_dry_run_reports_and_changes_nothing(sessions: sessionmaker[Session], keys: KeyRing) -> None:
    world = _world(sessions, keys)
    report = purge_expired(sessions, 5, dry_run=True, now=NOW)
    assert report.dry_run and report.counts == EXPECTED
    with sessions() as session:
        assert session.get(Person, world.old_person) is not None
        assert (
            len(
                session.scalars(
                    select(IdentityCheck).where(IdentityCheck.masked_image_png.is_not(None))
                ).all()
            )
            == 6
        )
        assert session.scalars(select(AuditEvent)).all() == []


def test_purge_erases_expired_personal_data_only(sessions: sessionmaker[Session], keys: KeyRing) -> None:
    world = _world(sessions, keys)
    report = purge_expired(sessions, 5, now=NOW)
    assert report.counts == EXPECTED and report.cutoff == retention_cutoff(NOW, 5)
    with sessions() as session:
        assert session.get(Person, world.old_person) is None
        assert session.get(Person, world.orphan_person) is None
        assert session.get(Person, world.recent_person) is not None
        assert session.get(Person, world.mixed_person) is not None  # still has a recent visit
        old = session.get(Visit, world.old_visit)
        assert old is not None and old.person_id is None and old.state == {} and old.status == "completed"
        old_docs = session.scalars(select(Document).where(Document.visit_id == world.old_visit)).all()
        assert [(d.pdf, d.sha256, d.render_fields) for d in old_docs] == [(None, "b" * 64, {})]  # hash stays
        old_intake = session.scalars(select(Intake).where(Intake.visit_id == world.old_visit)).one()
        assert old_intake.answers == {}
        old_case = session.scalars(select(Case).where(Case.visit_id == world.old_visit)).one()
        assert old_case.notes_enc is None and old_case.outcome == "referred"
        assert sorted(j.payload == b"" for j in session.scalars(select(PrintJob))) == [False, False, True]
        assert len(session.scalars(select(IdempotencyRecord)).all()) == 1
        recent_intake = session.scalars(select(Intake).where(Intake.visit_id == world.recent_visit)).one()
        assert recent_intake.answers["note"] == MARKER
        open_sig = session.scalars(select(Signature).where(Signature.visit_id == world.open_case_visit)).one()
        assert open_sig.png is not None and open_sig.points
        report_chain = verify_chain(session)
        assert report_chain.ok and report_chain.count == 1
        event = session.scalars(select(AuditEvent)).one()
        assert event.action == "retention.purge" and event.detail["persons"] == 2
    again = purge_expired(sessions, 5, now=NOW)
    assert again.total == 0


def test_purged_bytes_leave_the_sqlite_file(tmp_path: Path, keys: KeyRing) -> None:
    import db.models

    engine = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    db.models.Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        center = Center(code="nowon", name_ko="노원서민금융통합지원센터", region="서울")
        session.add(center)
        session.flush()
        person = store_person(session, keys, name="오래된", rrn="800101-1234567")
        _visit(session, center, person, LONG_AGO, LONG_AGO)
        _visit(session, center, None, LONG_AGO, "none")
        session.commit()

    def file_bytes() -> bytes:
        return b"".join(p.read_bytes() for p in sorted(tmp_path.glob("k.db*")))

    assert MARKER.encode() in file_bytes()  # the test can fail: the text really was on disk
    report = purge_expired(sessions, 5, now=NOW)
    assert report.counts["visits"] == 2 and report.counts["persons"] == 1
    engine.dispose()
    raw = file_bytes()
    assert b"audit_event" in raw
    assert MARKER.encode() not in raw


def test_cutoff_handles_29_february() -> None:
    # 2028-02-29 00:00 UTC is 09:00 on 29 February in Seoul; five years back there is no 29th.
    kst = ZoneInfo("Asia/Seoul")
    assert retention_cutoff(datetime(2028, 2, 29, tzinfo=UTC), 5) == datetime(2023, 2, 28, tzinfo=kst)


def test_old_sms_numbers_and_texts_go_opt_outs_stay(sessions: sessionmaker[Session], keys: KeyRing) -> None:
    """Messages, consent codes, ticket opt-ins and reminders older than the cutoff lose the number (and the
    text); recent ones and every opt-out keep theirs; a link expired long ago is deleted."""
    from db.models import (
        AftercareReminder,
        ChallengePurpose,
        SmsConsentChallenge,
        SmsKind,
        SmsMessage,
        SmsOptOut,
        SmsStatus,
        TicketSms,
        WebLink,
    )

    digits = "010" + "3333" + "4444"
    with sessions() as session:
        center = Center(code="mapo", name_ko="마포서민금융통합지원센터", region="서울")
        session.add(center)
        session.flush()
        visit = _visit(session, center, None, LONG_AGO, "none")
        ticket = session.scalars(select(Ticket).where(Ticket.visit_id == visit.id)).first()
        assert ticket is not None
        case = Case(visit_id=visit.id)
        session.add(case)
        session.flush()
        follow_up = FollowUp(case_id=case.id, due_date=date(2026, 1, 1), kind="call")
        session.add(follow_up)
        messages = {}
        for when, status in (
            (LONG_AGO, SmsStatus.DELIVERED),
            (LONG_AGO, SmsStatus.QUEUED),
            (RECENT, SmsStatus.DELIVERED),
        ):
            message = SmsMessage(
                template="ticket_called", kind=SmsKind.SMS, urgency="urgent",
                to_enc=keys.encrypt_text(digits, "sms_message.to"), to_blind_index="b" * 64,
                to_masked="010-****-4444", text_enc=keys.encrypt_text(MARKER, "sms_message.text"),
                status=status, created_at=when,
            )  # fmt: skip
            session.add(message)
            messages[(when, status)] = message
        session.flush()
        old_message = messages[(LONG_AGO, SmsStatus.DELIVERED)]
        session.add(
            SmsConsentChallenge(
                center_id=center.id, purpose=ChallengePurpose.KIOSK,
                to_enc=keys.encrypt_text(digits, "sms_consent_challenge.to"), to_blind_index="b" * 64,
                to_masked="010-****-4444", code_hash="c" * 64, text_version="2026.1", text_sha256="d" * 64,
                issued_at=LONG_AGO, expires_at=LONG_AGO, message_id=old_message.id, created_at=LONG_AGO,
            )
        )  # fmt: skip
        session.add(
            TicketSms(
                ticket_id=ticket.id, phone_enc=keys.encrypt_text(digits, "ticket_sms.phone"),
                phone_blind_index="b" * 64, phone_masked="010-****-4444", created_at=LONG_AGO,
            )
        )  # fmt: skip
        session.add(
            AftercareReminder(
                follow_up_id=follow_up.id, due_date=date(2026, 1, 1), message_id=old_message.id,
                to_blind_index="b" * 64, sent_on=date(2025, 12, 31), created_at=LONG_AGO,
            )
        )  # fmt: skip
        session.add(SmsOptOut(blind_index="b" * 64, source="reply", created_at=LONG_AGO))
        session.add(
            WebLink(token_sha256="e" * 64, kind="ticket", center_id=center.id, subject_id=visit.id,
                    expires_at=LONG_AGO)
        )  # fmt: skip
        session.commit()
    report = purge_expired(sessions, 5, now=NOW)
    assert report.counts["sms_messages"] == 1 and report.counts["sms_consent_numbers"] == 1
    assert report.counts["reminder_numbers"] == 1 and report.counts["web_links"] == 1
    assert report.counts["ticket_sms_numbers"] == 1
    with sessions() as session:
        rows = {(m.created_at.replace(tzinfo=None), m.status): m for m in session.scalars(select(SmsMessage))}
        old = rows[(LONG_AGO.replace(tzinfo=None), SmsStatus.DELIVERED)]
        assert old.to_enc == b"" and old.text_enc is None
        assert rows[(LONG_AGO.replace(tzinfo=None), SmsStatus.QUEUED)].text_enc is not None  # not sent yet
        assert rows[(RECENT.replace(tzinfo=None), SmsStatus.DELIVERED)].to_enc != b""
        challenge = session.scalars(select(SmsConsentChallenge)).one()
        assert challenge.to_enc == b"" and challenge.to_masked == "010-****-4444"  # the record's masked trace
        assert session.scalars(select(SmsOptOut)).one().blind_index == "b" * 64
        assert session.scalars(select(WebLink)).all() == []
        assert verify_chain(session).ok
