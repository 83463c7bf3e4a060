"""One walk-in's visit as an explicit state machine, persisted step by step.

Each completed step is one transaction: a compare-and-set on ``Visit.step`` (so two drivers — the
lobby screen and the hub — cannot both complete the same step) plus that step's own rows. A crash
between steps therefore leaves the visit at its last completed step, never half-written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import Consent, IdentityCheck, Intake, MatchResult, Visit
from kiosk.matching.answers import validate_answers
from kiosk.matching.engine import MatchReport, evaluate
from kiosk.queue import estimate_wait, issue_ticket
from kiosk.visit.backend import VisitBackend
from kiosk.visit.questionnaire import Question
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
        self, service: VisitBackend, visit: Visit, intake_answers: dict[str, Any] | None = None
    ) -> None:
        self._svc = service
        self.visit_id: uuid.UUID = visit.id
        self.path: str = visit.path
        self.language: str = visit.language
        self.status: str = visit.status
        self._completed: str = visit.step
        state = dict(visit.state or {})
        self._draft: dict[str, Any] = dict(state.get("draft", {}))
        self._asked: list[str] = list(state.get("asked", []))
        self._prefill: dict[str, Any] = dict(state.get("prefill", {}))
        self._state: dict[str, Any] = state
        self._intake_answers = intake_answers
        self._report: MatchReport | None = None
        self.ticket: TicketInfo | None = None

    # -- where we are --------------------------------------------------------------------------------
    @property
    def step(self) -> str:
        if self.status != OPEN:
            return DONE if self.status == COMPLETED else WELCOME
        return next_step(self.path, self._completed)

    @property
    def completed_step(self) -> str:
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

    def _expect(self, step: str) -> None:
        if self.status != OPEN:
            raise VisitError(
                "VISIT_CLOSED", "이 방문은 이미 끝났어요. 처음부터 다시 시작해 주세요", "this visit is closed"
            )
        if self.step != step:
            raise VisitError(
                "VISIT_WRONG_STEP",
                "지금 화면에서는 할 수 없는 일이에요",
                f"visit is at step {self.step!r}, not {step!r}",
            )

    # -- persistence ---------------------------------------------------------------------------------
    def _save(
        self,
        completed: str,
        rows: Callable[[Session], None] | None = None,
        *,
        status: str = OPEN,
        state: dict[str, Any] | None = None,
    ) -> None:
        """Complete a step atomically: CAS on (step, status) + the step's rows, in one transaction."""
        now = self._svc.now()
        if state is None:
            new_state = {**self._state, "draft": self._draft, "asked": self._asked, "prefill": self._prefill}
        else:
            new_state = dict(state)
        values: dict[str, Any] = {"step": completed, "status": status, "state": new_state, "updated_at": now}
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

    def _save_draft(self) -> None:
        """Keep answers given so far (one question at a time) without completing the step."""
        state = {**self._state, "draft": self._draft, "asked": self._asked, "prefill": self._prefill}
        with self._svc.sessions.begin() as session:
            session.execute(
                update(Visit)
                .where(Visit.id == self.visit_id, Visit.step == self._completed, Visit.status == OPEN)
                .values(state=state, updated_at=self._svc.now())
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
                    verified=identity.result == "verified",
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

        age = identity.age_on(self._svc.today())
        self._prefill = {"age": age} if age is not None else {}
        state = {
            **self._state,
            "identity": {"method": identity.method, "result": identity.result, "check_id": str(check_id)},
            "prefill": self._prefill,
            "draft": self._draft,
            "asked": self._asked,
        }
        self._save(IDENTIFY, rows, state=state)

    # -- consent -------------------------------------------------------------------------------------
    def complete_consent(
        self,
        items: Mapping[str, bool],
        text_version: str,
        text_sha256: str,
        signature_id: uuid.UUID | None = None,
        *,
        method: str = "signature",
    ) -> None:
        """Record each legally separate item as granted or refused; every required item must be granted."""
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
        record = {
            item: {"granted": bool(items.get(item, False)), "required": bool(known.get(item, False))}
            for item in (known or items)
        }
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

        self._state["consent_id"] = str(consent_id)
        self._save(CONSENT, rows)

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

        self._state["intake_id"] = str(intake_id)
        self._save(NEEDS, rows)
        self._state["intake_version"] = version_holder["v"]
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
        intake_id = self._state.get("intake_id")
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
                    intake_id=uuid.UUID(intake_id) if intake_id else None,
                    catalogue_version=report.catalogue_version,
                    engine_version=report.engine_version,
                    verdicts=compact,
                    created_at=self._svc.now(),
                )
            )

        self._state["triage_route"] = report.triage.route if report.triage else None
        self._state["suggested_line"] = self.suggested_line()
        self._save(RESULTS, rows)

    # -- ticket --------------------------------------------------------------------------------------
    def take_ticket(self, line: str | None = None) -> TicketInfo:
        """Issue the queue ticket and close the visit as completed, in one transaction."""
        self._expect(TICKET)
        line = line or self._state.get("suggested_line") or "A"
        spec = self._svc.lines.get(line)
        if spec is None:
            raise VisitError("VISIT_UNKNOWN_LINE", "없는 상담 창구예요", f"unknown service line {line!r}")
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
                clock=self._svc.queue_clock,
                lines=self._svc.lines,
            )
            wait = estimate_wait(
                session,
                self._svc.center_id,
                line,
                ticket=ticket,
                now=now,
                clock=self._svc.queue_clock,
                lines=self._svc.lines,
            )
            info["t"] = TicketInfo(
                ticket.id, ticket.display, line, spec.name_ko, spec.name_en, wait.people_ahead, wait.minutes,
                wait.text_ko(), wait.text_en(), ticket.lookup_code, now,
            )  # fmt: skip

        state = {"ticket_line": line, "path": self.path}  # nothing personal is kept on a closed visit
        self._save(TICKET, rows, status=COMPLETED, state=state)
        self.ticket = info["t"]
        self._wipe()
        return self.ticket

    # -- back, start over, timeout -------------------------------------------------------------------
    def back(self) -> str:
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

    def _close(self, reason: str) -> None:
        if self.status == OPEN:
            self._save(self._completed, status=ABANDONED, state={"closed_reason": reason, "path": self.path})
        self._wipe()

    def _wipe(self) -> None:
        self._draft, self._asked, self._prefill = {}, [], {}
        self._state = {}
        self._intake_answers, self._report = None, None


__all__ = ["CONSULT", "VisitFlow"]
