"""Typed, thread-safe REST calls to the hub (httpx). No Qt: `ui.adapters.hub_adapter` bridges it.

Responses are parsed into the hub's own pydantic models (kiosk.hub.schemas), so client and server
cannot drift apart silently.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from kiosk.client.errors import HubRefused, HubUnavailable
from kiosk.hub.schemas import (
    CaseView,
    CounterCodeOut,
    DocumentOut,
    EnrollOut,
    FollowUpOut,
    LoginOut,
    MeOut,
    MirrorOut,
    PairingCodeOut,
    PairOut,
    PersonRevealed,
    QueueOut,
    StatisticsOut,
    TicketOut,
    VisitReceipt,
    VisitSubmission,
)

M = TypeVar("M", bound=BaseModel)


class HubClient:
    """One client per process role. `token` is a device token or a counselor session token."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout_s: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout_s, transport=transport)

    def close(self) -> None:
        self._http.close()

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/events"

    # --- plumbing -----------------------------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self._http.request(method, path, json=json, params=params, headers=all_headers)
        except httpx.TransportError as exc:
            raise HubUnavailable(f"{method} {path}: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise HubUnavailable(f"{method} {path}: hub answered {response.status_code}")
        if response.status_code >= 400:
            try:
                err = response.json()["error"]
                raise HubRefused(response.status_code, err["code"], err["message_ko"], err["message_en"])
            except (ValueError, KeyError, TypeError):
                raise HubRefused(
                    response.status_code, "http_error", "요청이 거절됐어요.", response.text[:200]
                ) from None
        return response

    def _call(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        return model.model_validate(self._request(method, path, **kwargs).json())

    def _call_list(self, model: type[M], method: str, path: str, **kwargs: Any) -> list[M]:
        return [model.model_validate(item) for item in self._request(method, path, **kwargs).json()]

    # --- auth and devices ---------------------------------------------------------------------------
    def login(self, username: str, password: str, desk_device_token: str | None = None) -> LoginOut:
        out = self._call(
            LoginOut,
            "POST",
            "/auth/login",
            json={"username": username, "password": password, "desk_device_token": desk_device_token},
        )
        self.token = out.token
        return out

    def me(self) -> MeOut:
        return self._call(MeOut, "GET", "/auth/me")

    def create_pairing_code(self, kind: str, label: str = "") -> PairingCodeOut:
        return self._call(
            PairingCodeOut, "POST", "/devices/pairing-codes", json={"kind": kind, "label": label}
        )

    def enroll(self, code: str) -> EnrollOut:
        out = self._call(EnrollOut, "POST", "/devices/enroll", json={"code": code})
        self.token = out.token
        return out

    def counter_code(self) -> CounterCodeOut:
        return self._call(CounterCodeOut, "POST", "/desk/counter-code")

    def pair_counter(self, code: str) -> PairOut:
        return self._call(PairOut, "POST", "/devices/pair", json={"code": code})

    def report_health(self, component: str, status: str, code: str = "", message_ko: str = "") -> None:
        self._request(
            "POST",
            "/devices/health",
            json={"component": component, "status": status, "code": code, "message_ko": message_ko},
        )

    def report_step(self, step: str, title_ko: str = "", needs_help: bool = False) -> None:
        self._request(
            "POST", "/devices/mirror", json={"step": step, "title_ko": title_ko, "needs_help": needs_help}
        )

    def lobby_mirrors(self) -> list[MirrorOut]:
        return self._call_list(MirrorOut, "GET", "/devices/mirror")

    # --- lobby --------------------------------------------------------------------------------------
    def submit_visit(self, submission: VisitSubmission) -> VisitReceipt:
        return self._call(VisitReceipt, "POST", "/visits", json=submission.model_dump(mode="json"))

    def issue_ticket(self, line: str, visit_id: uuid.UUID | None, idempotency_key: str) -> TicketOut:
        body = {"line": line, "visit_id": str(visit_id) if visit_id else None}
        return self._call(
            TicketOut, "POST", "/tickets", json=body, headers={"Idempotency-Key": idempotency_key}
        )

    def reserve_tickets(self, line: str, count: int) -> list[TicketOut]:
        return self._call_list(TicketOut, "POST", "/tickets/reserve", json={"line": line, "count": count})

    def claim_ticket(
        self, ticket_id: uuid.UUID | str, visit_id: uuid.UUID | str, idempotency_key: str
    ) -> TicketOut:
        return self._call(
            TicketOut,
            "POST",
            f"/tickets/{ticket_id}/claim",
            json={"visit_id": str(visit_id)},
            headers={"Idempotency-Key": idempotency_key},
        )

    # --- desk ---------------------------------------------------------------------------------------
    def queue(self) -> QueueOut:
        return self._call(QueueOut, "GET", "/queue")

    def call_next(self, line: str, desk: str) -> TicketOut | None:
        response = self._request("POST", f"/queue/{line}/call-next", json={"desk": desk})
        return None if response.status_code == 204 else TicketOut.model_validate(response.json())

    def recall(self, ticket_id: uuid.UUID) -> TicketOut:
        return self._call(TicketOut, "POST", f"/tickets/{ticket_id}/recall")

    def transfer(self, ticket_id: uuid.UUID, line: str, note: str = "") -> TicketOut:
        return self._call(
            TicketOut, "POST", f"/tickets/{ticket_id}/transfer", json={"line": line, "note": note}
        )

    def no_show(self, ticket_id: uuid.UUID) -> TicketOut:
        return self._call(TicketOut, "POST", f"/tickets/{ticket_id}/no-show")

    def finish_ticket(self, ticket_id: uuid.UUID) -> TicketOut:
        return self._call(TicketOut, "POST", f"/tickets/{ticket_id}/done")

    def case(self, visit_id: uuid.UUID) -> CaseView:
        return self._call(CaseView, "GET", f"/visits/{visit_id}/case")

    def reveal_person(self, visit_id: uuid.UUID) -> PersonRevealed:
        return self._call(PersonRevealed, "POST", f"/visits/{visit_id}/person/reveal")

    def add_note(self, visit_id: uuid.UUID, text: str) -> None:
        self._request("POST", f"/visits/{visit_id}/notes", json={"text": text})

    def set_outcome(self, visit_id: uuid.UUID, outcome: str, referrals: list[str] | None = None) -> None:
        self._request(
            "PUT", f"/visits/{visit_id}/outcome", json={"outcome": outcome, "referrals": referrals or []}
        )

    def generate_document(self, visit_id: uuid.UUID, template: str) -> DocumentOut:
        return self._call(DocumentOut, "POST", f"/visits/{visit_id}/documents", json={"template": template})

    def push_document(self, document_id: uuid.UUID) -> DocumentOut:
        return self._call(DocumentOut, "POST", f"/documents/{document_id}/push")

    def archive_document(self, document_id: uuid.UUID) -> DocumentOut:
        return self._call(DocumentOut, "POST", f"/documents/{document_id}/archive")

    def plan_aftercare(self, visit_id: uuid.UUID, outcome: str | None = None) -> list[FollowUpOut]:
        return self._call_list(
            FollowUpOut, "POST", f"/visits/{visit_id}/aftercare", json={"outcome": outcome}
        )

    def due_followups(self, within_days: int = 7, everyone: bool = False) -> list[FollowUpOut]:
        return self._call_list(
            FollowUpOut, "GET", "/aftercare/due", params={"within_days": within_days, "everyone": everyone}
        )

    def statistics(self) -> StatisticsOut:
        return self._call(StatisticsOut, "GET", "/statistics")

    # --- counter ------------------------------------------------------------------------------------
    def pending_documents(self) -> list[DocumentOut]:
        return self._call_list(DocumentOut, "GET", "/counter/documents")

    def document(self, document_id: uuid.UUID) -> DocumentOut:
        return self._call(DocumentOut, "GET", f"/documents/{document_id}")

    def document_pdf(self, document_id: uuid.UUID) -> bytes:
        return self._request("GET", f"/documents/{document_id}/pdf").content

    def sign_document(
        self, document_id: uuid.UUID, signature: dict[str, Any], idempotency_key: str
    ) -> DocumentOut:
        """`signature`: SignatureIn fields (points, device, resolution, png_b64 or png, hashes)."""
        body = dict(signature)
        if "png" in body:
            png = body.pop("png")
            body["png_b64"] = base64.b64encode(png).decode() if png else None
        return self._call(
            DocumentOut,
            "POST",
            f"/documents/{document_id}/sign",
            json=body,
            headers={"Idempotency-Key": idempotency_key},
        )
