"""VisitService: starts, resumes and recovers visits of one center (the lobby UI and the hub use it).

    service = VisitService(ctx.sessions, center_code="seoul-central")
    flow = service.start("consult", "ko")          # welcome done → identify
    flow.complete_identify(IdentitySummary(...))   # → consent
    flow.complete_consent({...}, version, sha256)  # → needs
    flow.answer("purpose", "debt") ...; flow.complete_needs()  # → results
    report = flow.results(); flow.complete_results()           # → ticket
    info = flow.take_ticket("B")                   # → done (visit completed)

After a crash: ``service.resume_or_abandon_interrupted(timedelta(minutes=30))``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings, resource_path
from config import clock as center_clock
from config.consent import consent_set
from config.loader import read_toml
from db.base import utcnow
from db.crypto import KeyRing
from db.models import Center, Intake, Visit, VisitPath
from db.models.enums import VisitStep
from kiosk.matching.answers import validate_answers
from kiosk.matching.catalogue import Catalogue, shipped_catalogue
from kiosk.queue import ServiceLine, service_lines
from kiosk.visit.credit_lookup import CreditSource
from kiosk.visit.flow import VisitFlow
from kiosk.visit.live import LiveVisit
from kiosk.visit.questionnaire import Questionnaire, questionnaire
from kiosk.visit.sink import VisitSink
from kiosk.visit.state import VisitState
from kiosk.visit.steps import ABANDONED, OPEN, PATHS, WELCOME, VisitError


@dataclass(frozen=True)
class InterruptedVisit:
    """An open visit found after a restart: resumed (with its flow) or closed as abandoned."""

    visit_id: uuid.UUID
    step: VisitStep  # last completed step
    outcome: Literal["resumable", "abandoned"]
    flow: VisitFlow | None = None  # when resumable


def _consent_items() -> dict[str, bool]:
    """{item id: required} from the consent texts (config.consent), which ship with the product."""
    return {item.id: item.required for item in consent_set().items}


class VisitService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        center_code: str,
        clock: Callable[[], datetime] = utcnow,
        device_id: uuid.UUID | None = None,
        keys: KeyRing | None = None,
        catalogue: Catalogue | None = None,
        questions: Questionnaire | None = None,
        lines: dict[str, ServiceLine] | None = None,
        consent_items: Callable[[], dict[str, bool]] = _consent_items,
        idle_timeout_seconds: int = 90,
    ) -> None:
        """``keys``: the key ring to store identified persons encrypted (optional)."""
        self.sessions = sessions
        self.center_code = center_code
        self.now = clock
        self.device_id = device_id
        self.keys = keys
        self.catalogue = catalogue or shipped_catalogue()
        self.questionnaire = questions or questionnaire()
        self.lines = lines or service_lines()
        self.consent_items = consent_items
        # The screen owns the timer (it sees the touches); it calls flow.timeout() after this long.
        self.idle_timeout_seconds = idle_timeout_seconds
        self._center_id: uuid.UUID | None = None

    @classmethod
    def from_settings(
        cls, sessions: sessionmaker[Session], settings: Settings, **kwargs: Any
    ) -> VisitService:
        """A service for this center with the data files the settings name (``visit.*_file``/``_dir``)."""
        visit = settings.visit
        return cls(
            sessions,
            center_code=settings.app.center_code,
            catalogue=shipped_catalogue(visit.products_dir),
            questions=questionnaire(visit.questionnaire_file),
            lines=service_lines(visit.service_lines_file),
            idle_timeout_seconds=visit.idle_timeout_seconds,
            **kwargs,
        )

    def today(self) -> date:
        return center_clock.local_date(self.now())

    @property
    def center_id(self) -> uuid.UUID:
        """This center's row, created from config/centers.toml on first use."""
        if self._center_id is None:
            with self.sessions.begin() as session:
                center = session.scalars(select(Center).where(Center.code == self.center_code)).first()
                if center is None:
                    names = {c["code"]: c for c in read_toml(resource_path("centers.toml")).get("center", [])}
                    known = names.get(self.center_code, {})
                    center = Center(
                        code=self.center_code,
                        name_ko=known.get("name_ko", self.center_code),
                        region=known.get("region", ""),
                    )
                    session.add(center)
                    session.flush()
                self._center_id = center.id
        return self._center_id

    def start(
        self,
        path: str = VisitPath.CONSULT,
        language: str = "ko",
        *,
        sink: VisitSink | None = None,
        handoff_transcript: str = "",
        live: LiveVisit | None = None,
        credit: CreditSource | None = None,
    ) -> VisitFlow:
        """A new visit; the welcome choice (path, language) is its first completed step.

        ``sink``: where the finished visit goes and who numbers it (the hub); None numbers it here.
        ``live``: the visitor's in-memory copy the lobby's screens already write to (None: a new one).
        ``credit``: who answers the credit inquiry during the questions (the hub); None: none is made.
        """
        if path not in PATHS:
            raise VisitError(
                "VISIT_UNKNOWN_PATH",
                "알 수 없는 선택이에요",
                f"path must be one of {[p.value for p in PATHS]}",
            )
        if language not in ("ko", "en"):
            raise VisitError("VISIT_UNKNOWN_LANGUAGE", "지원하지 않는 언어예요", "language must be ko or en")
        now = self.now()
        visit = Visit(
            id=uuid.uuid4(),
            center_id=self.center_id,
            device_id=self.device_id,
            step=WELCOME,
            status=OPEN,
            path=VisitPath(path),
            language=language,
            state=VisitState().to_json(),
            created_at=now,
            updated_at=now,
        )
        with self.sessions.begin() as session:
            session.add(visit)
        return VisitFlow(
            self, visit, sink=sink, handoff_transcript=handoff_transcript, live=live, credit=credit
        )

    def resume(self, visit_id: uuid.UUID) -> VisitFlow:
        """Continue an open visit at the step after its last completed one."""
        with self.sessions() as session:
            visit = session.get(Visit, visit_id)
            if visit is None:
                raise VisitError("VISIT_NOT_FOUND", "방문 기록을 찾을 수 없어요", f"no visit {visit_id}")
            if visit.status != OPEN:
                raise VisitError(
                    "VISIT_CLOSED", "이 방문은 이미 끝났어요", f"visit {visit_id} is {visit.status}"
                )
            session.expunge(visit)
        return VisitFlow(self, visit)

    def load_intake_answers(self, visit_id: uuid.UUID) -> dict[str, Any]:
        with self.sessions() as session:
            intake = session.scalars(
                select(Intake).where(Intake.visit_id == visit_id).order_by(Intake.version.desc()).limit(1)
            ).first()
            if intake is None:
                raise VisitError("VISIT_NO_INTAKE", "답변 기록이 없어요", f"visit {visit_id} has no intake")
            return validate_answers(intake.answers)

    def resume_or_abandon_interrupted(self, max_age: timedelta) -> list[InterruptedVisit]:
        """After a restart: open visits of this center (and device) touched within ``max_age`` can be
        resumed; older ones are closed as abandoned with their in-progress state wiped."""
        cutoff = self.now() - max_age
        query = select(Visit).where(Visit.center_id == self.center_id, Visit.status == OPEN)
        if self.device_id is not None:
            query = query.where(Visit.device_id == self.device_id)
        found: list[InterruptedVisit] = []
        with self.sessions.begin() as session:
            for visit in session.scalars(query.order_by(Visit.updated_at)):
                if visit.updated_at < cutoff:
                    visit.status = ABANDONED
                    visit.state = VisitState(closed_reason="interrupted", path=visit.path).to_json()
                    visit.ended_at = visit.updated_at = self.now()
                    found.append(InterruptedVisit(visit.id, visit.step, "abandoned"))
                else:
                    found.append(InterruptedVisit(visit.id, visit.step, "resumable"))
        return [
            InterruptedVisit(v.visit_id, v.step, v.outcome, self.resume(v.visit_id))
            if v.outcome == "resumable"
            else v
            for v in found
        ]
