"""Lobbies' completed visits, written together: one transaction for the submissions that arrive together.

Submitting a visit is the hub's busiest write (every walk-in, and every replay from a lobby's outbox)
and makes eight rows in seven tables plus an audit event. Row by row, the per-statement cost of the
database layer and one commit per visit were what limited a single hub process. So a submission is
first checked and encrypted on its own (`prepare`: a bad RRN or signature image is refused before
anything is written), then written with the others waiting at that moment (`write_batch`): one
existence check, one blind-index lookup, one multi-row INSERT per table, one audit append, one commit.
Each caller still gets only its own answer, after the commit that made its rows durable.

If a batch fails as a whole (a concurrent writer elsewhere took a visit id), each of its submissions
is written again on its own, so one bad submission never fails the others.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from config import clock
from db import sync_events
from db.audit import append_events
from db.models import (
    Case,
    Consent,
    IdentityCheck,
    Intake,
    MatchResult,
    Person,
    Signature,
    SmsConsentChallenge,
    Visit,
)
from db.models.enums import IdentityResult, VisitPath, VisitStatus, VisitStep
from db.people import person_fields
from db.pii import InvalidRRN
from kiosk.api import SignatureIn, VisitReceipt, VisitSubmission
from kiosk.hub.auth import Principal
from kiosk.hub.errors import HubError, other_center
from kiosk.hub.views import new_note, seal_notes
from kiosk.sms.consent_code import Requester, check_for_consent, delivery_status
from kiosk.visit.state import VisitState

_VISIT, _CASE, _PERSON = Visit.__table__, Case.__table__, Person.__table__
_EXISTING = select(_VISIT.c.id, _VISIT.c.center_id, _VISIT.c.person_id, _VISIT.c.state).where(
    _VISIT.c.id.in_(bindparam("ids", expanding=True))
)
_CASES = select(_CASE.c.visit_id, _CASE.c.id).where(_CASE.c.visit_id.in_(bindparam("ids", expanding=True)))
_PEOPLE = (
    select(_PERSON.c.rrn_blind_index, _PERSON.c.id)
    .where(_PERSON.c.rrn_blind_index.in_(bindparam("blinds", expanding=True)))
    .order_by(_PERSON.c.created_at.desc())  # the earliest stored person wins, as in db.people
)
_INSERT = {
    model: insert(model)
    for model in (Person, Visit, IdentityCheck, Signature, Consent, Intake, MatchResult, Case)
}
# Rows written per table, in an order that satisfies every foreign key.
_TABLE_ORDER = (Person, Visit, IdentityCheck, Signature, Consent, Intake, MatchResult, Case)
_PERSON_COLUMNS = (
    "name",
    "rrn_enc",
    "rrn_blind_index",
    "rrn_masked",
    "birth_date",
    "phone_enc",
    "address_enc",
)


def _conflict() -> HubError:
    return HubError(
        409,
        "visit_conflict",
        "이미 다른 내용으로 접수된 방문이에요.",
        "Visit already submitted with other content.",
    )


def signature_values(visit_id: uuid.UUID, sig: SignatureIn) -> dict[str, Any]:
    """A signature's columns; a PNG that is not base64 PNG is a 422, before anything is written."""
    png = None
    if sig.png_b64:
        try:
            png = base64.b64decode(sig.png_b64, validate=True)
        except (binascii.Error, ValueError):
            raise HubError(
                422,
                "invalid_signature_png",
                "서명 이미지가 올바르지 않아요.",
                "Signature PNG is not valid base64.",
            ) from None
        if not png.startswith(b"\x89PNG"):
            raise HubError(
                422, "invalid_signature_png", "서명 이미지가 PNG가 아니에요.", "Signature is not a PNG."
            )
    return {
        "visit_id": visit_id,
        "points": [p.model_dump() for p in sig.points],
        "device": sig.device,
        "resolution": dict(sig.resolution),
        "png": png,
        "document_sha256": sig.document_sha256,
        "consent_id": sig.consent_id,
        "record_sha256": sig.record_sha256,
    }


@dataclass(frozen=True)
class SmsConsentClaim:
    """What a consent by SMS says of its challenge; the challenge must say the same (stage_visits)."""

    challenge_id: uuid.UUID
    text_sha256: str
    granted: dict[str, bool]


@dataclass
class PreparedVisit:
    """A checked submission: every row it will make, except what depends on the database's state."""

    visit_id: uuid.UUID
    digest: str
    principal: Principal
    person: dict[str, Any] | None  # db.people.person_fields: encrypted, blind-indexed, masked
    verified: bool
    rows: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)  # model → rows, no person yet
    step: VisitStep = VisitStep.RESULTS
    written: bool = False  # set once its rows are committed (a replay writes nothing)
    sms_consent: SmsConsentClaim | None = None  # a consent by SMS code: checked against its challenge

    @property
    def blind_index(self) -> str | None:
        return None if self.person is None else self.person.get("rrn_blind_index")


def prepare(body: VisitSubmission, principal: Principal, keys: Any, digest: str) -> PreparedVisit:
    """Check and encrypt one submission; 422 for a bad RRN or signature image, nothing written."""
    visit_id = body.visit_id
    person = None
    verified = False
    sms_consent = None
    if body.identity is not None:
        ident = body.identity
        try:
            person = person_fields(
                keys, name=ident.name, rrn=ident.rrn or None, phone=ident.phone, birth_date=ident.birth_date
            )
        except InvalidRRN:
            raise HubError(
                422,
                "invalid_rrn",
                "주민등록번호가 올바르지 않아요.",
                "The resident registration number is invalid.",
            ) from None
        verified = bool(ident.rrn) and ident.result == IdentityResult.VERIFIED
    step = VisitStep.RESULTS if body.path == VisitPath.CONSULT else VisitStep.WELCOME
    visit: dict[str, Any] = {
        "id": visit_id,
        "center_id": principal.center_id,
        "device_id": principal.id,
        "step": step,
        "status": VisitStatus.OPEN,
        "path": body.path,
        "language": body.language,
        "created_at": body.started_at or datetime.now(UTC),
    }
    rows: dict[Any, list[dict[str, Any]]] = {Visit: [visit]}
    if body.identity is not None:
        rows[IdentityCheck] = [
            {
                "id": uuid.uuid4(),
                "visit_id": visit_id,
                "method": body.identity.method,
                "document_kind": body.identity.document_kind,
                "result": body.identity.result,
                "verifier": body.identity.verifier,
            }
        ]
    if body.consent is not None:
        consent = body.consent
        signature_id = None
        if consent.signature is not None:
            signature_id = uuid.uuid4()
            rows[Signature] = [{"id": signature_id, **signature_values(visit_id, consent.signature)}]
        rows[Consent] = [
            {
                "id": uuid.uuid4(),
                "visit_id": visit_id,
                "items": {k: v.model_dump() for k, v in consent.items.items()},
                "text_version": consent.text_version,
                "text_sha256": consent.text_sha256,
                "method": consent.method,
                "signature_id": signature_id,
                "sms_challenge_id": consent.sms_challenge_id,  # every row names it: one multi-row INSERT
            }
        ]
        if consent.sms_challenge_id is not None:
            sms_consent = SmsConsentClaim(
                consent.sms_challenge_id,
                consent.text_sha256,
                {item: state.granted for item, state in consent.items.items()},
            )
    intake_id = None
    if body.intake is not None:
        intake_id = uuid.uuid4()
        rows[Intake] = [
            {
                "id": intake_id,
                "visit_id": visit_id,
                "version": 1,
                "questionnaire_version": body.intake.questionnaire_version,
                "answers": dict(body.intake.answers),
            }
        ]
    if body.match is not None:
        rows[MatchResult] = [
            {
                "id": uuid.uuid4(),
                "visit_id": visit_id,
                "intake_id": intake_id,
                "catalogue_version": body.match.catalogue_version,
                "engine_version": body.match.engine_version,
                "verdicts": [v.model_dump() for v in body.match.verdicts],
            }
        ]
    notes = []
    if body.handoff_transcript:
        # The chat hand-off reaches the counselor as the case's first note, masked again (the lobby
        # masked it already: belt and braces) and sealed like every note (kiosk.hub.views).
        text = "챗봇 대화 (chatbot transcript, masked)\n" + body.handoff_transcript
        notes.append(new_note(principal.id, text))
    rows[Case] = [{"id": uuid.uuid4(), "visit_id": visit_id, "notes_enc": seal_notes(keys, notes)}]
    return PreparedVisit(visit_id, digest, principal, person, verified, rows, step, sms_consent=sms_consent)


def write_batch(session: Session, batch: list[PreparedVisit]) -> list[VisitReceipt | HubError]:
    """Write the new visits of `batch` in one transaction and commit; answer each in order."""
    answered = stage_visits(session, batch)
    session.commit()
    return answered()


def stage_visits(session: Session, batch: list[PreparedVisit]) -> Callable[[], list[VisitReceipt | HubError]]:
    """Run the statements that write the new visits of `batch`, in one transaction left open; the
    function returned answers each in order and must be called only once the caller has committed
    (kiosk.hub.group_commit commits off the event loop).

    A visit id already stored (an outbox replay) is answered from what is stored: the same receipt
    for the same content, 409 for other content, 403 for another center's visit; it writes nothing.
    """
    conn = session.connection()
    ids = list({item.visit_id for item in batch})
    stored = {row.id: row for row in conn.execute(_EXISTING, {"ids": ids})}
    answers: dict[int, VisitReceipt | HubError] = {}
    written: dict[uuid.UUID, tuple[PreparedVisit, VisitReceipt]] = {}
    blinds = list({b for item in batch if (b := item.blind_index) and item.visit_id not in stored})
    known_people = dict(conn.execute(_PEOPLE, {"blinds": blinds}).all()) if blinds else {}
    table_rows: dict[Any, list[dict[str, Any]]] = {model: [] for model in _TABLE_ORDER}
    person_updates: list[dict[str, Any]] = []
    events: list[tuple[str, str, str, dict[str, Any] | None]] = []
    challenges = _sms_challenges(session, [item for item in batch if item.visit_id not in stored])
    for index, item in enumerate(batch):
        if item.visit_id in stored or item.visit_id in written:
            continue  # answered below, once the batch's own rows are known
        if item.sms_consent is not None:
            refusal = _use_sms_challenge(session, item, challenges, events)
            if refusal is not None:
                answers[index] = refusal
                continue
        person_id, returning = None, False
        if item.person is not None:
            blind = item.blind_index
            person_id = known_people.get(blind) if blind else None
            returning = person_id is not None
            if person_id is None:
                person_id = uuid.uuid4()
                # Every row of a multi-row INSERT names the same columns: absent ones are NULL.
                new_person = {column: item.person.get(column) for column in _PERSON_COLUMNS}
                table_rows[Person].append(
                    {
                        **new_person,
                        "id": person_id,
                        "created_at": datetime.now(UTC),
                        "verified": item.verified,
                    }
                )
                if blind:
                    known_people[blind] = person_id  # a second visit in this batch is a returning one
            else:
                # A returning visitor keeps what this visit did not read; verified is never undone.
                person_updates.append({"id": person_id, **item.person, **_verified(item)})
        item.rows[Visit][0].update(
            person_id=person_id,
            state=VisitState(submission_sha256=item.digest, returning_visitor=returning).to_json(),
        )
        for model, rows in item.rows.items():
            table_rows[model].extend(rows)
        receipt = VisitReceipt(
            visit_id=item.visit_id,
            person_id=person_id,
            returning_visitor=returning,
            case_id=item.rows[Case][0]["id"],
        )
        written[item.visit_id] = (item, receipt)
        answers[index] = receipt
        events.append(
            (item.principal.actor, "visit.submit", f"visit:{item.visit_id}", {"returning": returning})
        )
    for model in _TABLE_ORDER:
        if table_rows[model]:
            conn.execute(_INSERT[model], table_rows[model])
    for values in person_updates:  # returning visitors: rare in one batch, one UPDATE each
        person_id = values.pop("id")
        conn.execute(update(Person).where(_PERSON.c.id == person_id).values(**values))
    append_events(session, events)
    sync_events.visits_submitted(session, [(item.rows, item.blind_index) for item, _ in written.values()])
    replays = [item.visit_id for item in batch if item.visit_id in stored]
    cases = dict(conn.execute(_CASES, {"ids": replays}).all()) if replays else {}

    def answered() -> list[VisitReceipt | HubError]:
        for first, _receipt in written.values():
            first.written = True  # only now: a batch that fails to commit is written again
        for index, item in enumerate(batch):
            if index not in answers:
                answers[index] = _replay(item, stored.get(item.visit_id), cases, written)
        return [answers[index] for index in range(len(batch))]

    return answered


def _sms_challenges(session: Session, items: list[PreparedVisit]) -> dict[uuid.UUID, SmsConsentChallenge]:
    """The challenges the batch's consents by SMS name, locked for this transaction (PostgreSQL)."""
    ids = [item.sms_consent.challenge_id for item in items if item.sms_consent is not None]
    if not ids:
        return {}
    query = select(SmsConsentChallenge).where(SmsConsentChallenge.id.in_(ids)).with_for_update()
    return {row.id: row for row in session.scalars(query)}


def _use_sms_challenge(
    session: Session,
    item: PreparedVisit,
    challenges: dict[uuid.UUID, SmsConsentChallenge],
    events: list[tuple[str, str, str, dict[str, Any] | None]],
) -> HubError | None:
    """Bind the item's confirmed challenge to its consent (used once, ever), or the refusal to answer."""
    claim = item.sms_consent
    assert claim is not None
    challenge = challenges.get(claim.challenge_id)
    principal = item.principal
    requester = Requester(principal.center_id, principal.id, None)
    problem = check_for_consent(
        challenge, requester, text_sha256=claim.text_sha256, granted=claim.granted, visit_id=item.visit_id
    )
    if problem is not None:
        return HubError(problem.status, problem.code, problem.message_ko, problem.message_en)
    assert challenge is not None
    challenge.used_at = clock.now()  # a second visit of this batch naming it is refused above
    challenge.visit_id = item.visit_id
    detail = {
        "sms_consent": str(challenge.id),
        "purpose": challenge.purpose.value,
        "text_version": challenge.text_version,
        "message_id": str(challenge.message_id),
        "delivery_status": delivery_status(session, challenge),
    }
    events.append((principal.actor, "consent.sms", f"visit:{item.visit_id}", detail))
    return None


def _verified(item: PreparedVisit) -> dict[str, Any]:
    return {"verified": True} if item.verified else {}


def _replay(
    item: PreparedVisit,
    row: Any,
    cases: dict[uuid.UUID, uuid.UUID],
    written: dict[uuid.UUID, tuple[PreparedVisit, VisitReceipt]],
) -> VisitReceipt | HubError:
    """The answer to a visit id that is already stored (or written earlier in this batch)."""
    if row is None:  # twice in one batch: the first one wrote it
        first, receipt = written[item.visit_id]
        if first.principal.center_id != item.principal.center_id:
            return other_center()
        return receipt if first.digest == item.digest else _conflict()
    if not item.principal.may_see_center(row.center_id):
        return other_center()
    state = VisitState.read(row.state)
    if state.submission_sha256 != item.digest:
        return _conflict()
    return VisitReceipt(
        visit_id=item.visit_id,
        person_id=row.person_id,
        returning_visitor=bool(state.returning_visitor),
        case_id=cases[item.visit_id],
    )
