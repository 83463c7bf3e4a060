"""The lobby's link to the center hub: the visit reaches the desk's queue, the desk mirrors the step.

Qt-free on purpose: everything here runs on the lobby's worker thread (``WorkflowWorker``) or on the
link's own reporter thread, never on the GUI thread. It reuses the one hub client and the one outbox
(``kiosk.client.HubClient`` / ``LobbyOutbox``): a visit the hub cannot take now is queued in the local
outbox and replayed later, and the ticket number comes from the hub (or from the numbers the hub
reserved for this kiosk while it was reachable), so the number printed is the number the desk calls.

``HubVisitFlow`` wraps the local ``kiosk.visit`` flow: each completed step is recorded locally exactly
as before and the pieces the hub needs are kept in memory (the RRN only until the visit is handed
over); ``take_ticket`` closes the local visit, submits the visit and takes the hub's ticket.
"""

from __future__ import annotations

import base64
import logging
import queue
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.api import VisitSubmission
from kiosk.client import HubClient, HubRefused, HubUnavailable, LobbyOutbox

log = logging.getLogger(__name__)

_STOP = object()


@dataclass(frozen=True)
class HubTicket:
    """What the ticket screen shows and prints: the hub's number; ``offline`` = still to be sent."""

    ticket_id: str
    display: str
    line: str
    line_name_ko: str
    line_name_en: str
    people_ahead: int
    wait_minutes: int
    lookup_code: str
    issued_at: datetime
    offline: bool


class HubLink:
    """One per lobby window: the hub client, the outbox, and a reporter thread for step/help reports."""

    def __init__(self, client: HubClient, outbox: LobbyOutbox, *, sync_interval_s: float = 2.0) -> None:
        self.client, self.outbox = client, outbox
        self.sync_interval_s = sync_interval_s
        self.reachable: bool | None = None  # None until the first call told us
        self._reports: queue.Queue[Any] = queue.Queue()
        self._reporter = threading.Thread(target=self._report_loop, name="lobby-hub-reports", daemon=True)
        self._started = False

    @classmethod
    def connect(
        cls,
        url: str,
        token: str,
        sessions: Any,
        *,
        keys: Any = None,
        ca_pem: bytes | None = None,
        **kwargs: Any,
    ) -> HubLink:
        """``keys``: the site's db.crypto.KeyRing, so what the outbox keeps is encrypted at rest.
        ``ca_pem``: the center CA pinned at enrollment (an https hub is trusted through it alone)."""
        client = HubClient(url, token, ca_pem=ca_pem, timeout_s=3.0)
        return cls(client, LobbyOutbox(sessions, client, keys=keys), **kwargs)

    def start(self) -> HubLink:
        """Reserve numbers for offline use now (if the hub answers), then sync in the background."""
        if self._started:
            return self
        self._started = True
        try:
            self.outbox.replenish()
            self.reachable = True
        except HubUnavailable:
            self.reachable = False
        self.outbox.start(self.sync_interval_s)
        self._reporter.start()
        return self

    def stop(self) -> None:
        if self._started:
            self._reports.put(_STOP)
            self._reporter.join(5)
            self.outbox.stop()
        self.client.close()

    # --- the desk's live mirror and 직원 호출 (fire and forget: a missing hub never slows the lobby) ---
    def report_step(self, step: str, title_ko: str = "", needs_help: bool = False) -> None:
        self._reports.put((step, title_ko, needs_help))

    def call_help(self, _kiosk_id: str, step: str) -> None:
        self.report_step(step, "", needs_help=True)

    def _report_loop(self) -> None:
        while True:
            item = self._reports.get()
            if item is _STOP:
                return
            step, title, needs_help = item
            try:
                self.client.report_step(step, title, needs_help=needs_help)
                self.reachable = True
            except Exception as exc:  # the mirror is a convenience; the visit goes on without it
                self.reachable = False
                log.info("lobby step not reported to the hub: %s", exc.__class__.__name__)

    # --- the visit -------------------------------------------------------------------------------------
    def wrap(self, flow: Any, sessions: Any) -> HubVisitFlow:
        return HubVisitFlow(flow, self, sessions)

    def hand_over(self, submission: VisitSubmission, line: str) -> tuple[bool, Any]:
        """Submit the visit (or queue it) and take the hub's ticket (or a reserved one). Worker thread."""
        try:
            sent = self.outbox.submit_visit(submission)
        except HubRefused as exc:
            # The hub turned the visit down for good (e.g. data it judged invalid). The person still gets
            # a number: the visit goes as a bare ticket visit, the full record stays in the kiosk's own
            # database, and the code goes to the log for staff (never the values).
            log.warning("hub refused the lobby visit (%s); sent as a ticket visit", exc.code)
            bare = VisitSubmission(
                visit_id=submission.visit_id,
                path="ticket_only",
                language=submission.language,
                started_at=submission.started_at,
            )
            sent = self.outbox.submit_visit(bare)
        ticket = self.outbox.take_ticket(submission.visit_id, line)  # HubUnavailable: none left
        self.reachable = sent and not ticket.offline
        return sent, ticket


class HubVisitFlow:
    """The local visit flow, plus what the hub needs collected on the way (worker thread only)."""

    def __init__(self, inner: Any, link: HubLink, sessions: Any) -> None:
        self._inner, self._link, self._sessions = inner, link, sessions
        self._started_at = datetime.now(UTC)
        self._identity: dict[str, Any] | None = None
        self._consent: dict[str, Any] | None = None
        self._intake: dict[str, Any] | None = None
        self._match: dict[str, Any] | None = None
        self.handoff_transcript = ""
        self.offline = False

    def __getattr__(self, name: str) -> Any:  # everything else is the local flow's
        return getattr(self._inner, name)

    def complete_identify(self, identity: Any) -> None:
        self._inner.complete_identify(identity)
        if identity.name:
            self._identity = {
                "method": identity.method,
                "document_kind": identity.document_kind,
                "result": identity.result,
                "verifier": identity.verifier,
                "name": identity.name,
                "rrn": identity.rrn,
                "phone": identity.phone,
                "birth_date": identity.birth_date.isoformat() if identity.birth_date else None,
            }

    def complete_consent(
        self,
        items: Mapping[str, bool],
        text_version: str,
        text_sha256: str,
        signature_id: uuid.UUID | None = None,
        *,
        method: str = "signature",
    ) -> None:
        self._inner.complete_consent(items, text_version, text_sha256, signature_id, method=method)
        known = self._inner._svc.consent_items() or {k: False for k in items}
        self._consent = {
            "items": {
                item: {"granted": bool(items.get(item, False)), "required": bool(required)}
                for item, required in known.items()
            },
            "text_version": text_version,
            "text_sha256": text_sha256,
            "method": method,
            "signature": self._signature(signature_id),
        }

    def _signature(self, signature_id: uuid.UUID | None) -> dict[str, Any] | None:
        if signature_id is None or self._sessions is None:
            return None
        from db.models import Signature

        with self._sessions() as session:
            row = session.get(Signature, signature_id)
            if row is None:
                return None
            return {
                "points": list(row.points),
                "device": row.device,
                "resolution": {k: float(v) for k, v in dict(row.resolution or {}).items()},
                "png_b64": base64.b64encode(row.png).decode() if row.png else None,
                "document_sha256": row.document_sha256,
                "consent_id": row.consent_id,
                "record_sha256": row.record_sha256,
            }

    def complete_needs(self, answers: Mapping[str, Any] | None = None) -> None:
        merged = {**self._inner.answers, **(answers or {})}
        self._inner.complete_needs(answers)
        self._intake = {
            "questionnaire_version": str(self._inner._svc.questionnaire.version),
            "answers": merged,
        }

    def complete_results(self) -> None:
        report = self._inner.results()
        self._inner.complete_results()
        self._match = {
            "catalogue_version": str(report.catalogue_version),
            "engine_version": str(report.engine_version),
            "verdicts": [
                {
                    "id": v.id,
                    "name_ko": v.program.text["name_ko"],
                    "name_en": v.program.text["name_en"],
                    "verdict": v.verdict,
                    "reasons": [r.to_dict() for r in v.reasons],
                }
                for v in report.programs
            ],
        }

    def start_over(self) -> None:
        self._forget()
        self._inner.start_over()

    def timeout(self) -> None:
        self._forget()
        self._inner.timeout()

    def _forget(self) -> None:
        # An abandoned visit never goes to the hub: drop what it collected (the RRN first).
        self._identity = self._consent = self._intake = self._match = None
        self.handoff_transcript = ""

    def submission(self) -> VisitSubmission:
        body: dict[str, Any] = {
            "visit_id": str(self._inner.visit_id),
            "path": self._inner.path if self._inner.path in ("consult", "ticket_only") else "consult",
            "language": self._inner.language if self._inner.language in ("ko", "en") else "ko",
            "started_at": self._started_at.isoformat(),
            "identity": self._identity,
            "consent": self._consent,
            "intake": self._intake,
            "match": self._match,
        }
        if self.handoff_transcript and "handoff_transcript" in VisitSubmission.model_fields:
            body["handoff_transcript"] = self.handoff_transcript
        return VisitSubmission.model_validate(body)

    def _people_ahead(self, line: str, wait_minutes: int | None) -> int:
        # The hub answers with a wait in minutes; the receipt also names people ahead (same estimate).
        spec = self._inner._svc.lines.get(line)
        per_person = max(1, round(getattr(spec, "default_service_minutes", 15) or 15))
        return (wait_minutes or 0) // per_person

    def take_ticket(self, line: str | None = None) -> HubTicket:
        """Close the local visit, hand it to the hub, and return the hub's number (reserved if offline)."""
        local = self._inner.take_ticket(line)
        submission = self.submission()
        self._identity = None  # the RRN lives no longer than needed (the hub stores it encrypted)
        _sent, ticket = self._link.hand_over(submission, local.line)
        self.offline = ticket.offline
        return HubTicket(
            ticket_id=ticket.ticket_id,
            display=ticket.display,
            line=ticket.line,
            line_name_ko=local.line_name_ko,
            line_name_en=local.line_name_en,
            people_ahead=self._people_ahead(ticket.line, ticket.wait_minutes),
            wait_minutes=ticket.wait_minutes if ticket.wait_minutes is not None else local.wait_minutes,
            lookup_code=ticket.display,
            issued_at=local.issued_at,
            offline=ticket.offline,
        )
