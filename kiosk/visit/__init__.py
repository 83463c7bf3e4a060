"""The visit workflow (Qt-free): welcome → identify → consent → needs → results → ticket → done.

``VisitService`` starts/resumes visits; ``VisitFlow`` is the state machine the lobby UI drives;
``LiveVisit`` is the one in-memory copy of the visitor that the flow and the lobby's screens share;
``Questionnaire`` holds the needs questions as data.
"""

from kiosk.visit.flow import VisitFlow
from kiosk.visit.live import LiveVisit
from kiosk.visit.questionnaire import Question, Questionnaire, load_questionnaire, questionnaire
from kiosk.visit.service import InterruptedVisit, VisitService
from kiosk.visit.steps import (
    ABANDONED,
    COMPLETED,
    CONSENT,
    CONSULT,
    DONE,
    IDENTIFY,
    NEEDS,
    OPEN,
    PATHS,
    RESULTS,
    TICKET,
    TICKET_ONLY,
    WELCOME,
    IdentityMethod,
    IdentityResult,
    IdentitySummary,
    TicketInfo,
    VisitError,
)  # fmt: skip

__all__ = [
    "ABANDONED", "COMPLETED", "CONSENT", "CONSULT", "DONE", "IDENTIFY", "NEEDS", "OPEN", "PATHS", "RESULTS",
    "TICKET", "TICKET_ONLY", "WELCOME", "IdentityMethod", "IdentityResult", "IdentitySummary",
    "InterruptedVisit", "LiveVisit", "Question", "Questionnaire", "TicketInfo", "VisitError", "VisitFlow",
    "VisitService", "load_questionnaire", "questionnaire",
]  # fmt: skip
