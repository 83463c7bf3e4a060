"""One walk-in's visit as an explicit state machine, persisted step by step.

Each completed step is one transaction: a compare-and-set on ``Visit.step`` (so two drivers — the
lobby screen and the hub — cannot both complete the same step) plus that step's own rows. A crash
between steps therefore leaves the visit at its last completed step, never half-written.

Each step also fills the flow's one typed record (``record``, a ``kiosk.api.visits.VisitRecord``): the
identity, the consent with its signature, the intake answers, the match verdicts and the chosen line,
exactly as they go over the wire. The kiosk's own rows are one sink of the visit (always written, so a
lobby works without a hub); a ``VisitSink`` given at start (the hub, ``kiosk.client.HubVisitSink``) is
the other, and then numbers the ticket itself: no local ticket is issued beside the hub's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import Consent, IdentityCheck, Intake, MatchResult, Visit
from db.models.enums import ConsentMethod, IdentityResult, VisitPath, VisitStatus, VisitStep
from kiosk.api.signatures import SignatureIn
from kiosk.api.visits import ConsentIn, IntakeIn, VisitRecord, consent_items
from kiosk.matching.answers import validate_answers
from kiosk.matching.engine import MatchReport, evaluate
from kiosk.queue import estimate_wait, issue_ticket
from kiosk.visit.backend import VisitBackend
from kiosk.visit.questionnaire import Question
from kiosk.visit.record import identity_part, match_part
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

_ROUTE_LINE = {"debt_relief": "B"}  # what the results suggest; the person may choose another line


class VisitFlow:
    """The driver's handle on one visit. ``step`` is the screen to show now."""

    def __init__(
        self,
        service: VisitBackend,
        visit: Visit,
        intake_answers: dict[str, Any] | None = None,
        *,
        sink: VisitSink | None = None,
        handoff_transcript: str = "",
    ) -> None:
        """``sink``: where the finished record goes and who numbers its ticket (None: this kiosk).
        ``handoff_transcript``: the masked chat conversation that travels with the visit."""
        self._svc = service
        self._sink = sink
        self.visit_id: uuid.UUID = visit.id
        self.status: VisitStatus = visit.status
        self._completed: VisitStep = visit.step
        state = VisitState.read(visit.state)
        self._draft: dict[str, Any] = dict(state.draft)
        self._asked: list[str] = list(state.asked)
        self._prefill: dict[str, Any] = dict(state.prefill)
        self._state = state
        self._intake_answers = intake_answers
        self._report: MatchReport | None = None
        self.ticket: IssuedTicket | None = None
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

    # -- where we are --------------------------------------------------------------------------------
    @property
    def step(self) -> VisitStep:
        if self.status != OPEN:
            return DONE if self.status == COMPLETED else WELCOME
        return next_step(self.path, self._completed)

    @property
    def completed_step(self) -> VisitStep:
        return self._completed

    @property
    def answers(self) -> dict[str, Any]:
        """Answers given so far in the needs step (including what the ID card told us)."""
        return {**self._prefill, **self._draft}

    def to_dict(self) -> dict[str, Any]:
        """What a screen or the hub needs to render this visit now (no personal identity data)."""
        question = None
        if self.status == OPEN and self.step == NEEDS:
            upcoming = self._svc.questionnaire.next_question(self.answers)
            question = upcoming.to_dict() if upcoming else None
        return {
            "visit_id": str(self.visit_id),
            "path": self.path,
            "language": self.language,
            "status": self.status,
            "step": self.step,
            "completed_step": self._completed,
            "next_question": question,
            "ticket": None
            if self.ticket is None
            else {"display": self.ticket.display, "line": self.ticket.line},
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
        rows: Callable[[Session], None] | None = None,
        *,
        status: VisitStatus = OPEN,
        state: VisitState | None = None,
    ) -> None:
        """Complete a step atomically: CAS on (step, status) + the step's rows, in one transaction."""
        now = self._svc.now()
        new_state = self._progress() if state is None else state
        values: dict[str, Any] = {
            "step": completed, "status": status, "state": new_state.to_json(), "updated_at": now,
        }  # fmt: skip
        if status != OPEN:
            values["ended_at"] = now
        with self._svc.sessions.begin() as session:
            result = session.execute(
                update(Visit)
                .where(Visit.id == self.visit_id, Visit.step == self._completed, Visit.status == OPEN)
                .values(**values)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise VisitError(
                    "VISIT_STALE",
                    "다른 화면에서 이 방문이 바뀌었어요. 처음부터 다시 시작해 주세요",
                    "the visit was changed elsewhere (or closed) since this flow loaded it",
                )
            if rows is not None:
                rows(session)
        self._completed, self.status, self._state = completed, status, new_state

    def _progress(self, **changes: Any) -> VisitState:
        """The open visit's state now: the answers so far, plus ``changes``."""
        answers = {"draft": dict(self._draft), "asked": list(self._asked), "prefill": dict(self._prefill)}
        return self._state.model_copy(update={**answers, **changes})

    def _save_draft(self) -> None:
        """Keep answers given so far (one question at a time) without completing the step."""
        state = self._progress()
        with self._svc.sessions.begin() as session:
            session.execute(
                update(Visit)
                .where(Visit.id == self.visit_id, Visit.step == self._completed, Visit.status == OPEN)
                .values(state=state.to_json(), updated_at=self._svc.now())
            )
        self._state = state

    # -- identify ------------------------------------------------------------------------------------
    def complete_identify(self, identity: IdentitySummary) -> None:
        self._expect(IDENTIFY)
        check_id = uuid.uuid4()
        person_id = identity.person_id

        def rows(session: Session) -> None:
            nonlocal person_id
            if person_id is None and identity.name and self._svc.keys is not None:
                from db.people import store_person

                person = store_person(
                    session,
                    self._svc.keys,
                    name=identity.name,
                    rrn=identity.rrn,
                    phone=identity.phone,
                    birth_date=identity.birth_date,
                    verified=identity.result == IdentityResult.VERIFIED,
                )
                session.flush()
                person_id = person.id
            if person_id is not None:
                session.execute(update(Visit).where(Visit.id == self.visit_id).values(person_id=person_id))
            session.add(
                IdentityCheck(
                    id=check_id,
                    visit_id=self.visit_id,
                    method=identity.method,
                    document_kind=identity.document_kind,
                    result=identity.result,
                    verifier=identity.verifier,
                    masked_image_png=identity.masked_image_png,
                    confidence=dict(identity.confidence),
                    created_at=self._svc.now(),
                )
            )

        wire = identity_part(identity)  # checked before anything is stored
        age = identity.age_on(self._svc.today())
        self._prefill = {"age": age} if age is not None else {}
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
        signature: SignatureIn | Mapping[str, Any] | None = None,
    ) -> None:
        """Record each legally separate item as granted or refused; every required item must be granted.

        ``signature_id``: the kiosk's Signature row; ``signature``: the same signature as it goes to the
        hub (``kiosk.client.signatures.signature_payload``), kept in the record, never read back.
        """
        self._expect(CONSENT)
        known = self._svc.consent_items()
        unknown = [item for item in items if known and item not in known]
        if unknown:
            raise VisitError(
                "VISIT_CONSENT_UNKNOWN", "알 수 없는 동의 항목이에요", f"unknown consent items {unknown}"
            )
        missing = [item for item, required in known.items() if required and not items.get(item)]
        if missing:
            raise VisitError(
                "VISIT_CONSENT_REQUIRED",
                "필수 항목에 동의해야 상담 접수를 이어갈 수 있어요. 동의하지 않으면 번호표만 받을 수 있어요",
                f"required consent items not granted: {missing}",
            )
        if not text_version or len(text_sha256) != 64:
            raise VisitError(
                "VISIT_CONSENT_TEXT",
                "동의서 정보가 없어요. 직원에게 알려 주세요",
                "text version and sha256 needed",
            )
        granted = consent_items(items, known)
        record = {item: state.model_dump() for item, state in granted.items()}
        # A consent with no items (a center without consent texts) has nothing for the hub to keep.
        wire = (
            ConsentIn(
                items=granted,
                text_version=text_version,
                text_sha256=text_sha256,
                method=method,
                signature=SignatureIn.model_validate(signature) if signature is not None else None,
            )
            if granted
            else None
        )
        consent_id = uuid.uuid4()

        def rows(session: Session) -> None:
            session.add(
                Consent(
                    id=consent_id,
                    visit_id=self.visit_id,
                    items=record,
                    text_version=text_version,
                    text_sha256=text_sha256,
                    method=method,
                    signature_id=signature_id,
                    created_at=self._svc.now(),
                )
            )

        self._save(CONSENT, rows, state=self._progress(consent_id=consent_id))
        self.record.consent = wire

    # -- needs ---------------------------------------------------------------------------------------
    def next_question(self) -> Question | None:
        self._expect(NEEDS)
        return self._svc.questionnaire.next_question(self.answers)

    def answer(self, question_id: str, value: Any) -> Question | None:
        """Record one answer (validated; 만원 → won), keep it across a crash; returns the next question."""
        self._expect(NEEDS)
        questionnaire = self._svc.questionnaire
        stored = questionnaire.accept(question_id, value)
        field = questionnaire.question(question_id).field
        self._draft[field] = stored
        if field in self._asked:
            self._asked.remove(field)
        self._asked.append(field)
        self._draft = questionnaire.prune({**self._draft})
        self._asked = [f for f in self._asked if f in self._draft]
        self._save_draft()
        return questionnaire.next_question(self.answers)

    def complete_needs(self, answers: Mapping[str, Any] | None = None) -> None:
        """Save the answers as a new Intake version (given ``answers`` are merged over the draft)."""
        self._expect(NEEDS)
        merged = {**self.answers, **(answers or {})}
        validated = validate_answers(merged)  # raises InvalidAnswers with ko/en messages
        wire = IntakeIn(questionnaire_version=str(self._svc.questionnaire.version), answers=merged)
        intake_id = uuid.uuid4()
        version_holder: dict[str, int] = {}

        def rows(session: Session) -> None:
            latest = session.scalar(select(func.max(Intake.version)).where(Intake.visit_id == self.visit_id))
            version_holder["v"] = (latest or 0) + 1
            session.add(
                Intake(
                    id=intake_id,
                    visit_id=self.visit_id,
                    version=version_holder["v"],
                    questionnaire_version=self._svc.questionnaire.version,
                    answers=merged,
                    created_at=self._svc.now(),
                )
            )

        self._save(NEEDS, rows, state=self._progress(intake_id=intake_id))
        self._state = self._state.model_copy(update={"intake_version": version_holder["v"]})
        self.record.intake = wire
        self._intake_answers = validated
        self._report = None

    # -- results -------------------------------------------------------------------------------------
    def results(self) -> MatchReport:
        self._expect(RESULTS)
        if self._report is None:
            if self._intake_answers is None:
                self._intake_answers = self._svc.load_intake_answers(self.visit_id)
            self._report = evaluate(self._svc.catalogue, self._intake_answers)
        return self._report

    def suggested_line(self) -> str:
        """채무조정 (B) when the results lead with debt relief, otherwise 금융상담 (A)."""
        if self._report is None or not self._report.programs:
            return "A"
        top = self._report.programs[0]
        return _ROUTE_LINE.get(top.program.helps, "A") if top.verdict != "ineligible" else "C"

    def complete_results(self) -> None:
        report = self.results()
        intake_id = self._state.intake_id
        compact = [
            {
                "id": v.id,
                "verdict": v.verdict,
                "rank": v.rank,
                "recommended": v.recommended,
                "limit_krw": v.limit_krw,
                "reasons": [r.to_dict() for r in v.reasons],
            }
            for v in report.programs
        ]

        def rows(session: Session) -> None:
            session.add(
                MatchResult(
                    visit_id=self.visit_id,
                    intake_id=intake_id,
                    catalogue_version=report.catalogue_version,
                    engine_version=report.engine_version,
                    verdicts=compact,
                    created_at=self._svc.now(),
                )
            )

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
        if self._sink is not None:
            self._save(TICKET, status=COMPLETED, state=closed)
            self.record.line = line
            try:
                self.ticket = self._sink.take_ticket(self.record, line)
            finally:
                self._wipe()
            return self.ticket
        return self._take_local_ticket(line, spec.name_ko, spec.name_en, closed)

    def _take_local_ticket(self, line: str, name_ko: str, name_en: str, closed: VisitState) -> TicketInfo:
        now = self._svc.now()
        info: dict[str, TicketInfo] = {}

        def rows(session: Session) -> None:
            ticket = issue_ticket(
                session,
                self._svc.center_id,
                line,
                visit_id=self.visit_id,
                idempotency_key=f"visit:{self.visit_id}",
                now=now,
                lines=self._svc.lines,
            )
            wait = estimate_wait(
                session,
                self._svc.center_id,
                line,
                ticket=ticket,
                now=now,
                lines=self._svc.lines,
            )
            info["t"] = TicketInfo(
                ticket.id, ticket.display, line, name_ko, name_en, wait.people_ahead, wait.minutes,
                wait.text_ko(), wait.text_en(), ticket.lookup_code, now,
            )  # fmt: skip

        self._save(TICKET, rows, status=COMPLETED, state=closed)
        self.ticket = info["t"]
        self._wipe()
        return info["t"]

    # -- back, start over, timeout -------------------------------------------------------------------
    def back(self) -> VisitStep:
        """Go one screen back; inside the needs step, one question back. Returns the new step."""
        if self.status != OPEN:
            raise VisitError("VISIT_CLOSED", "이 방문은 이미 끝났어요", "this visit is closed")
        if self.step == NEEDS and self._asked:
            self._draft.pop(self._asked.pop(), None)
            self._save_draft()
            return self.step
        previous = previous_step(self.path, self._completed)
        if previous is None or self._completed == WELCOME:
            self.start_over()
            return WELCOME
        self._save(previous)
        self._report = None
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
            self._save(self._completed, status=ABANDONED, state=closed)
        self._wipe()

    def _wipe(self) -> None:
        # An abandoned or handed-over visit keeps nothing of the person in memory (the RRN first).
        self._draft, self._asked, self._prefill = {}, [], {}
        self._state = VisitState()
        self._intake_answers, self._report = None, None
        self.record.forget_person()


__all__ = ["CONSULT", "VisitFlow"]
