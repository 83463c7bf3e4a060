"""One walk-in's visit as an explicit state machine, persisted step by step.

Each completed step is one transaction (``kiosk.visit.store.VisitStore``): a compare-and-set on
``Visit.step`` plus that step's own rows (``kiosk.visit.rows``), so a crash between steps leaves the
visit at its last completed step, never half-written.

What the visitor gave and got lives in one place, the flow's ``LiveVisit`` (``kiosk.visit.live``): the
lobby's screens read and write that same object, so the UI keeps no copy of the answers, the consents,
the report or the ticket. Each step also fills the flow's one typed record (``record``, a
``kiosk.api.visits.VisitRecord``) exactly as it goes over the wire. The kiosk's own rows are one sink of
the visit (always written, so a lobby works without a hub); a ``VisitSink`` given at start (the hub,
``kiosk.client.HubVisitSink``) is the other, and then numbers the ticket itself: no local ticket is
issued beside the hub's (``kiosk.visit.ticketing``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Literal

from sqlalchemy.orm import Session

from db.models import Visit
from db.models.enums import ConsentMethod, VisitPath, VisitStatus, VisitStep
from kiosk.api.signatures import SignatureIn
from kiosk.api.visits import AnswerValue, IntakeIn, VisitRecord
from kiosk.matching.answers import InvalidAnswers, validate_answers
from kiosk.matching.engine import MatchReport, evaluate
from kiosk.visit.backend import VisitBackend
from kiosk.visit.consent_step import checked_items, sms_consent_part
from kiosk.visit.credit_lookup import CREDIT_FIELDS, CreditSource, inquiry_request, listed, start_lookup
from kiosk.visit.live import Answers, LiveVisit
from kiosk.visit.questionnaire import Question, Questionnaire
from kiosk.visit.record import consent_part, identity_part, match_part
from kiosk.visit.rows import add_consent, add_identity, add_intake, add_match
from kiosk.visit.sink import IssuedTicket, VisitSink
from kiosk.visit.state import IdentityMark, VisitState
from kiosk.visit.steps import (
    ABANDONED,
    COMPLETED,
    CONSENT,
    CONSULT,
    DONE,
    IDENTIFY,
    NEEDS,
    OPEN,
    RESULTS,
    TICKET,
    WELCOME,
    IdentitySummary,
    TicketInfo,
    VisitError,
    next_step,
    previous_step,
)  # fmt: skip
from kiosk.visit.store import StepRows, VisitStore
from kiosk.visit.ticketing import issue_local_ticket, suggested_line


class VisitFlow:
    """The driver's handle on one visit. ``step`` is the screen to show now."""

    def __init__(
        self,
        service: VisitBackend,
        visit: Visit,
        intake_answers: Answers | None = None,
        *,
        sink: VisitSink | None = None,
        handoff_transcript: str = "",
        live: LiveVisit | None = None,
        credit: CreditSource | None = None,
    ) -> None:
        """``sink``: where the finished record goes and who numbers its ticket (None: this kiosk).
        ``handoff_transcript``: the masked chat conversation that travels with the visit.
        ``live``: the visitor's in-memory copy the lobby already writes to (None: a new one).
        ``credit``: who answers the credit inquiry during the questions (the hub); None: none is made."""
        self._svc = service
        self._sink = sink
        self._credit = credit
        self.visit_id: uuid.UUID = visit.id
        self.status: VisitStatus = visit.status
        self._store = VisitStore(service, visit.id, visit.step)
        state = VisitState.read(visit.state)
        self._state = state
        self.live = live if live is not None else LiveVisit(str(visit.path))
        self.live.path = str(visit.path)
        self.live.restore(state.prefill, state.draft, list(state.asked))
        if state.credit_inquiry_id is not None:  # a resumed visit still names its inquiry
            self.live.restore_credit(str(state.credit_inquiry_id))
        self._intake_answers = intake_answers  # the validated answers matching runs on (a cache)
        self.record = VisitRecord(
            visit_id=visit.id,
            path=visit.path,
            language=visit.language,
            started_at=visit.created_at,
            handoff_transcript=handoff_transcript or None,
        )

    @property
    def path(self) -> VisitPath:
        return VisitPath(self.record.path)

    @property
    def language(self) -> str:
        return self.record.language

    @property
    def ticket(self) -> IssuedTicket | None:
        return self.live.ticket

    # -- where we are --------------------------------------------------------------------------------
    @property
    def step(self) -> VisitStep:
        if self.status != OPEN:
            return DONE if self.status == COMPLETED else WELCOME
        return next_step(self.path, self._store.completed)

    @property
    def completed_step(self) -> VisitStep:
        return self._store.completed

    @property
    def questionnaire(self) -> Questionnaire:
        """The questionnaire as known now: without what the creditor list already said."""
        return self._svc.questionnaire.knowing(listed(self.live.prefill()))

    @property
    def answers(self) -> Answers:
        """Answers given so far in the needs step (including what the ID card told us); a copy."""
        return self.live.answers()

    def to_dict(self) -> dict[str, object]:
        """What a screen or the hub needs to render this visit now (no personal identity data)."""
        question = None
        if self.status == OPEN and self.step == NEEDS:
            upcoming = self.questionnaire.next_question(self.answers, self._svc.catalogue)
            question = upcoming.to_dict() if upcoming else None
        ticket = self.ticket
        return {
            "visit_id": str(self.visit_id),
            "path": self.path,
            "language": self.language,
            "status": self.status,
            "step": self.step,
            "completed_step": self._store.completed,
            "next_question": question,
            "ticket": None if ticket is None else {"display": ticket.display, "line": ticket.line},
        }

    def _expect(self, step: VisitStep) -> None:
        if self.status != OPEN:
            raise VisitError(
                "VISIT_CLOSED", "이 방문은 이미 끝났어요. 처음부터 다시 시작해 주세요", "this visit is closed"
            )
        if self.step != step:
            raise VisitError(
                "VISIT_WRONG_STEP",
                "지금 화면에서는 할 수 없는 일이에요",
                f"visit is at step {self.step.value!r}, not {step.value!r}",
            )

    # -- persistence ---------------------------------------------------------------------------------
    def _save(
        self,
        completed: VisitStep,
        rows: StepRows | None = None,
        *,
        status: VisitStatus = OPEN,
        state: VisitState | None = None,
    ) -> None:
        new_state = self._progress() if state is None else state
        self._store.complete(completed, new_state, rows, status=status)
        self.status, self._state = status, new_state

    def _progress(self, **changes: object) -> VisitState:
        """The open visit's state now: the answers so far, plus ``changes``."""
        given, asked = self.live.given()
        inquiry = self.live.credit_inquiry_id()
        answers: dict[str, object] = {
            "draft": given,
            "asked": asked,
            "prefill": self.live.prefill(),
            "credit_inquiry_id": uuid.UUID(inquiry) if inquiry else None,
        }
        return self._state.model_copy(update={**answers, **changes})

    def _save_draft(self) -> None:
        state = self._progress()
        self._store.keep(state)
        self._state = state

    # -- identify ------------------------------------------------------------------------------------
    def complete_identify(self, identity: IdentitySummary) -> None:
        self._expect(IDENTIFY)
        check_id = uuid.uuid4()
        keys, now = self._svc.keys, self._svc.now()

        def rows(session: Session) -> None:
            add_identity(session, self.visit_id, check_id, identity, keys, now)

        wire = identity_part(identity)  # checked before anything is stored
        age = identity.age_on(self._svc.today())
        self.live.cancel_credit(CREDIT_FIELDS)  # another identification: another person's list, if any
        self.live.set_prefill({"age": age} if age is not None else {})
        mark = IdentityMark(method=identity.method, result=identity.result, check_id=check_id)
        self._save(IDENTIFY, rows, state=self._progress(identity=mark))
        self.record.identity = wire

    # -- consent -------------------------------------------------------------------------------------
    def complete_consent(
        self,
        items: Mapping[str, bool],
        text_version: str,
        text_sha256: str,
        signature_id: uuid.UUID | None = None,
        *,
        method: ConsentMethod = ConsentMethod.SIGNATURE,
        signature: SignatureIn | Mapping[str, object] | None = None,
        sms_challenge_id: uuid.UUID | None = None,
    ) -> None:
        """Record each legally separate item as granted or refused; every required item must be granted.

        ``signature_id``: the kiosk's Signature row; ``signature``: the same signature as it goes to the
        hub (``kiosk.client.signatures.signature_payload``), kept in the record, never read back.
        ``sms_challenge_id``: a consent by SMS code (method SMS, see ``consent_by_sms``).
        """
        self._expect(CONSENT)
        granted = checked_items(items, self._svc.consent_items(), text_version, text_sha256)
        signed = SignatureIn.model_validate(signature) if signature is not None else None
        if sms_challenge_id is not None:
            method = ConsentMethod.SMS
            wire = sms_consent_part(granted, text_version, text_sha256, sms_challenge_id, signed)
        else:
            wire = consent_part(granted, text_version, text_sha256, method, signed)
        consent_id, now = uuid.uuid4(), self._svc.now()

        def rows(session: Session) -> None:
            add_consent(
                session, self.visit_id, consent_id, granted, text_version=text_version,
                text_sha256=text_sha256, method=method, signature_id=signature_id, now=now,
            )  # fmt: skip

        self._save(CONSENT, rows, state=self._progress(consent_id=consent_id))
        for item, state in granted.items():
            self.live.set_consent(item, state.granted)
        self.record.consent = wire
        self._ask_credit()

    def _ask_credit(self) -> None:
        """Start the credit inquiry when this consent and identity allow one (never waited for)."""
        self.live.cancel_credit(CREDIT_FIELDS)  # a consent given again: only its own inquiry counts
        request = inquiry_request(self.record) if self._credit is not None else None
        if request is not None and self._credit is not None:
            start_lookup(self._credit, request, self.live)

    def consent_by_sms(
        self, items: Mapping[str, bool], text_version: str, text_sha256: str, challenge_id: uuid.UUID | str
    ) -> None:
        """The person confirmed the hub's SMS code for exactly these items and this text
        (``HubClient.confirm_consent_code``): the consent is recorded with method SMS, and the record
        names the challenge, which the hub checks (confirmed, unused, this device's, same items and text)
        when the visit arrives. The kiosk's own row keeps the method only: the challenge (and the number)
        live at the hub."""
        self.complete_consent(
            items,
            text_version,
            text_sha256,
            method=ConsentMethod.SMS,
            sms_challenge_id=uuid.UUID(str(challenge_id)),
        )

    # -- needs ---------------------------------------------------------------------------------------
    def next_question(self) -> Question | None:
        self._expect(NEEDS)
        return self.questionnaire.next_question(self.answers, self._svc.catalogue)

    def answer(self, question_id: str, value: AnswerValue) -> Question | None:
        """Record one answer (validated; 만원 → won), keep it across a crash; returns the next question."""
        self._expect(NEEDS)
        questionnaire = self.questionnaire
        try:
            stored = questionnaire.fill(question_id, value)
        except InvalidAnswers:
            if questionnaire is self._svc.questionnaire:
                raise
            # The list came while this screen showed all its options: the answer to what was shown.
            questionnaire = self._svc.questionnaire
            stored = questionnaire.fill(question_id, value)
        question = questionnaire.question(question_id)
        # a field kept for a follow-up goes first, so that 이전 takes the screen back as one
        ordered = {k: stored[k] for k in sorted(stored, key=question.opened.__contains__, reverse=True)}
        left_open = [name for name in question.filled if name not in stored]
        self.live.give(ordered, questionnaire.prune, drop=left_open)
        self._save_draft()
        return questionnaire.next_question(self.answers, self._svc.catalogue)

    def complete_needs(self, answers: Mapping[str, AnswerValue] | None = None) -> None:
        """Save the answers as a new Intake version (given ``answers`` are merged over the draft)."""
        self._expect(NEEDS)
        merged = {**self.answers, **(answers or {})}
        validated = validate_answers(merged)  # raises InvalidAnswers with ko/en messages
        version = str(self.questionnaire.version)
        wire = IntakeIn(questionnaire_version=version, answers=merged)
        intake_id, now = uuid.uuid4(), self._svc.now()
        numbered: list[int] = []

        def rows(session: Session) -> None:
            numbered.append(add_intake(session, self.visit_id, intake_id, merged, version, now))

        self._save(NEEDS, rows, state=self._progress(intake_id=intake_id))
        self._state = self._state.model_copy(update={"intake_version": numbered[0]})
        self.record.intake = wire
        self._intake_answers = validated
        self.live.report = None

    # -- results -------------------------------------------------------------------------------------
    def results(self) -> MatchReport:
        self._expect(RESULTS)
        report = self.live.report
        if report is None:
            if self._intake_answers is None:
                self._intake_answers = self._svc.load_intake_answers(self.visit_id)
            report = evaluate(self._svc.catalogue, self._intake_answers)
            self.live.report = report
        return report

    def suggested_line(self) -> str:
        """채무조정 (B) when the results lead with debt relief, otherwise 금융상담 (A)."""
        return suggested_line(self.live.report)

    def complete_results(self) -> None:
        report = self.results()
        intake_id, now = self._state.intake_id, self._svc.now()

        def rows(session: Session) -> None:
            add_match(session, self.visit_id, intake_id, report, now)

        wire = match_part(report)
        route = report.triage.route if report.triage else None
        state = self._progress(triage_route=route, suggested_line=self.suggested_line())
        self._save(RESULTS, rows, state=state)
        self.record.match = wire

    # -- ticket --------------------------------------------------------------------------------------
    def take_ticket(self, line: str | None = None) -> IssuedTicket:
        """Close the visit as completed and number it: by the sink (the hub) when one is attached,
        otherwise with a local ticket issued in the same transaction as the close."""
        self._expect(TICKET)
        line = line or self._state.suggested_line or "A"
        spec = self._svc.lines.get(line)
        if spec is None:
            raise VisitError("VISIT_UNKNOWN_LINE", "없는 상담 창구예요", f"unknown service line {line!r}")
        closed = VisitState(ticket_line=line, path=self.path)  # nothing personal is kept on a closed visit
        self.live.line = line
        if self._sink is not None:
            self._save(TICKET, status=COMPLETED, state=closed)
            self.record.line = line
            inquiry = self.live.credit_inquiry_id()
            self.record.credit_inquiry_id = uuid.UUID(inquiry) if inquiry else None
            try:
                ticket = self._sink.take_ticket(self.record, line)
            finally:
                self._wipe()
            self.live.ticket = ticket
            return ticket
        center_id, lines, now = self._svc.center_id, self._svc.lines, self._svc.now()
        issued: list[TicketInfo] = []

        def rows(session: Session) -> None:
            issued.append(issue_local_ticket(session, center_id, self.visit_id, spec, lines, now))

        self._save(TICKET, rows, status=COMPLETED, state=closed)
        self.live.ticket = issued[0]
        self._wipe()
        return issued[0]

    # -- back, start over, timeout -------------------------------------------------------------------
    def back(self) -> VisitStep:
        """Go one screen back; inside the needs step, one question back. Returns the new step."""
        if self.status != OPEN:
            raise VisitError("VISIT_CLOSED", "이 방문은 이미 끝났어요", "this visit is closed")
        if self.step == NEEDS and self.live.take_back(self.questionnaire.fields_with) is not None:
            self._save_draft()
            return self.step
        completed = self._store.completed
        previous = previous_step(self.path, completed)
        if previous is None or completed == WELCOME:
            self.start_over()
            return WELCOME
        self._save(previous)
        self.live.report = None
        return self.step

    def start_over(self) -> None:
        """The person pressed 처음으로: close this visit as abandoned and forget it."""
        self._close("start_over")

    def timeout(self) -> None:
        """No touch for the idle time: close as abandoned, wipe everything personal from memory."""
        self._close("timeout")

    def _close(self, reason: Literal["start_over", "timeout"]) -> None:
        if self.status == OPEN:
            closed = VisitState(closed_reason=reason, path=self.path)
            self._save(self._store.completed, status=ABANDONED, state=closed)
        self._wipe()

    def _wipe(self) -> None:
        # An abandoned or handed-over visit keeps nothing of the person in memory (the RRN first).
        self.live.forget_person()
        self._state = VisitState()
        self._intake_answers = None
        self.record.forget_person()


__all__ = ["CONSULT", "VisitFlow"]
