"""Typed, thread-safe REST calls to the hub (httpx). No Qt: `ui.adapters.hub_adapter` bridges it.

Responses are parsed into the wire contract's pydantic models (kiosk.api), the same ones the hub
answers with, so client and server cannot drift apart silently.
"""

from __future__ import annotations

import base64
import socket
import ssl
import uuid
from typing import Any, TypeVar

import httpx
from cryptography import x509
from pydantic import BaseModel

from kiosk.api import (
    CaseView,
    CounterCodeOut,
    DocumentOut,
    EnrollOut,
    ErrorBody,
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
from kiosk.api.consents import ConsentWithdrawnOut
from kiosk.api.credit_inquiry import CreditInquiryIn, CreditInquiryOut
from kiosk.api.debts import DebtIn, DebtListOut, DebtPlanOut
from kiosk.api.document_links import DocumentLinkOut
from kiosk.api.errors import HTTP_ERROR, HUB_NOT_TRUSTED
from kiosk.api.phone import PhoneConsentOut, PhoneConsultationOut
from kiosk.api.sms_consent import ConsentCodeOut, ConsentCodeStatusOut, ConsentConfirmedOut
from kiosk.api.tickets import SmsStatusOut, TicketLinkOut, TicketSmsOut
from kiosk.api.trust import der_fingerprint, parse_enrollment
from kiosk.client.errors import HubRefused, HubUnavailable

M = TypeVar("M", bound=BaseModel)


class HubNotTrusted(HubRefused):
    """The hub's certificate is not the center's pinned CA (or no pin was given): nothing was sent."""

    def __init__(self, message_ko: str, message_en: str) -> None:
        super().__init__(0, HUB_NOT_TRUSTED, message_ko, message_en)


def pinned_context(ca_pem: bytes) -> ssl.SSLContext:
    """TLS that trusts the center CA and nothing else (no system CAs), host name checked."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cadata=ca_pem.decode("ascii"))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _presented_chain(tls: ssl.SSLSocket) -> list[bytes]:
    """The certificates the hub sent, as DER. Public API from Python 3.13; the same method sits on the
    private _sslobj since 3.10."""
    getter = getattr(tls, "get_unverified_chain", None) or tls._sslobj.get_unverified_chain  # type: ignore[attr-defined]
    chain = getter() or []
    return [c if isinstance(c, bytes) else c.public_bytes(ssl._ssl.ENCODING_DER) for c in chain]  # type: ignore[attr-defined]


def fetch_pinned_ca(base_url: str, ca_fingerprint: str, *, timeout_s: float = 5.0) -> bytes:
    """The center CA (PEM) from the hub's own handshake, once it matches `ca_fingerprint`.

    The first handshake trusts nothing: it only collects the chain. The CA is accepted if a certificate
    in it has the pinned SHA-256 and is a CA, and a second, fully verified handshake (that CA alone,
    host name checked) succeeds. Anything else is HubNotTrusted, before a code or token is sent.
    """
    url = httpx.URL(base_url)
    if url.scheme != "https":
        raise HubNotTrusted(
            "허브 주소가 https 가 아니에요: 등록 코드의 인증서 지문을 쓸 수 없어요.",
            f"The hub URL {base_url} is not https: a pinned CA needs TLS.",
        )
    host, port = url.host, url.port or 443
    probe = ssl.create_default_context()
    probe.check_hostname, probe.verify_mode = False, ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout_s) as raw,
            probe.wrap_socket(raw, server_hostname=host) as tls,
        ):
            chain = _presented_chain(tls)
    except (OSError, ssl.SSLError) as exc:
        raise HubUnavailable(f"TLS {host}:{port}: {type(exc).__name__}") from exc
    ca_pem = None
    for der in chain:
        cert = x509.load_der_x509_certificate(der)
        try:
            is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            is_ca = False
        if is_ca and der_fingerprint(der) == ca_fingerprint:
            ca_pem = ssl.DER_cert_to_PEM_cert(der).encode("ascii")
    if ca_pem is None:
        raise HubNotTrusted(
            "허브 인증서가 센터 CA 지문과 달라요. 등록하지 않았어요. 주소와 등록 문자열을 확인해 주세요.",
            f"The hub at {host}:{port} does not present the pinned center CA (sha256:{ca_fingerprint}); "
            "not enrolled.",
        )
    try:
        with (
            socket.create_connection((host, port), timeout_s) as raw,
            pinned_context(ca_pem).wrap_socket(raw, server_hostname=host),
        ):
            pass
    except ssl.SSLError as exc:
        raise HubNotTrusted(
            "허브 인증서가 센터 CA로 확인되지 않아요. 등록하지 않았어요.",
            f"The hub certificate does not verify against the pinned CA: {exc.__class__.__name__}",
        ) from exc
    except OSError as exc:
        raise HubUnavailable(f"TLS {host}:{port}: {type(exc).__name__}") from exc
    return ca_pem


class HubClient:
    """One client per process role. `token` is a device token or a counselor session token.

    `ca_pem` is the center CA this device pinned at enrollment: an https hub is verified against it
    alone. Enrolling with `<code>@sha256:<hex>` fetches and pins it (then kept in `ca_pem`).
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        ca_pem: bytes | None = None,
        timeout_s: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._timeout_s, self._transport = timeout_s, transport
        self.ca_pem: bytes | None = None
        self.ssl_context: ssl.SSLContext | None = None
        self._http = self._connect(ca_pem)

    def _connect(self, ca_pem: bytes | None) -> httpx.Client:
        self.ca_pem = ca_pem
        self.ssl_context = pinned_context(ca_pem) if ca_pem else None
        return httpx.Client(
            base_url=self.base_url,
            timeout=self._timeout_s,
            transport=self._transport,
            verify=self.ssl_context or True,
        )

    @property
    def uses_tls(self) -> bool:
        return self.base_url.startswith("https://")

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
            status = response.status_code
            raise HubUnavailable(f"{method} {path}: hub answered {status}", status)
        if response.status_code >= 400:
            try:
                err = ErrorBody.model_validate(response.json()).error
            except ValueError:  # not JSON, or not the hub's error shape (pydantic's error is a ValueError)
                raise HubRefused(
                    response.status_code, HTTP_ERROR, "요청이 거절됐어요.", response.text[:200]
                ) from None
            raise HubRefused(response.status_code, err.code, err.message_ko, err.message_en)
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
        """Enroll with a one-time code, or with `<code>@sha256:<CA fingerprint>` (pins the center CA).

        Over https the code is sent only to a hub proven to hold the pinned CA.
        """
        try:
            bare, ca_fingerprint = parse_enrollment(code)
        except ValueError as exc:
            raise HubNotTrusted("등록 문자열의 인증서 지문이 올바르지 않아요.", str(exc)) from None
        if ca_fingerprint is not None:
            ca_pem = fetch_pinned_ca(self.base_url, ca_fingerprint, timeout_s=self._timeout_s)
            self._http.close()
            self._http = self._connect(ca_pem)
        elif self.uses_tls and self.ca_pem is None:
            raise HubNotTrusted(
                "등록 문자열에 센터 인증서 지문이 없어요: `kiosk hub pairing-code` 가 보여준 "
                "<코드>@sha256:<지문> 전체를 입력해 주세요.",
                "The enrollment code carries no CA fingerprint: give the whole <code>@sha256:<hex>.",
            )
        out = self._call(EnrollOut, "POST", "/devices/enroll", json={"code": bare})
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

    def call_next_any(self, desk: str, lines: list[str] | None = None) -> TicketOut | None:
        """The longest-waiting person of ``lines`` (None: every line) to this desk; None: nobody waits."""
        body: dict[str, object] = {"desk": desk} if lines is None else {"desk": desk, "lines": lines}
        response = self._request("POST", "/queue/call-next", json=body)
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

    # -- phone counseling (issue 18)
    def open_phone_consultation(
        self, phone: str, display_name: str = "", idempotency_key: str | None = None
    ) -> PhoneConsultationOut:
        """A visit for a caller (identity not checked by card); its consent follows by SMS code. With a
        key, a retry after a lost answer gets the same visit instead of a second one."""
        return self._call(
            PhoneConsultationOut,
            "POST",
            "/phone-consultations",
            json={"phone": phone, "display_name": display_name},
            headers={"Idempotency-Key": idempotency_key} if idempotency_key else None,
        )

    def record_phone_consent(
        self, visit_id: uuid.UUID | str, challenge_id: uuid.UUID | str
    ) -> PhoneConsentOut:
        """The phone visit's consent from its confirmed code challenge (method sms); replay-safe."""
        return self._call(
            PhoneConsentOut,
            "POST",
            f"/phone-consultations/{visit_id}/consent",
            json={"challenge_id": str(challenge_id)},
        )

    # -- ticket calls by SMS (issue 18)
    def ticket_link(self, ticket_id: uuid.UUID | str) -> TicketLinkOut:
        """The ticket's 내 순서 page for the holder's phone (a fresh link each call, good for the day)."""
        return self._call(TicketLinkOut, "POST", f"/tickets/{ticket_id}/link")

    def send_document_link(self, visit_id: uuid.UUID | str) -> DocumentLinkOut:
        """내 서류: text the visit's person a 7-day link to the signed PDFs and, apart, its code.
        HubRefused 503 SMS_UNAVAILABLE / 409 no number or no signed document (Korean message)."""
        return self._call(DocumentLinkOut, "POST", f"/visits/{visit_id}/document-link")

    def sms_status(self) -> SmsStatusOut:
        """Whether the center offers SMS now (cheap: no database)."""
        return self._call(SmsStatusOut, "GET", "/sms/status")

    def ticket_sms(
        self, ticket_id: uuid.UUID | str, phone: str, *, calls: bool = True, send_number: bool = False
    ) -> TicketSmsOut:
        """Keep ``phone`` for the ticket: its turn by SMS (``calls``) and/or its number now
        (``send_number``, the printer failed). HubRefused 400 SMS_NOT_MOBILE / 503 SMS_UNAVAILABLE."""
        return self._call(
            TicketSmsOut,
            "POST",
            f"/tickets/{ticket_id}/sms",
            json={"phone": phone, "calls": calls, "send_number": send_number},
        )

    # -- consent by SMS code (issue 18)
    def request_consent_code(
        self,
        phone: str,
        purpose: str,
        text_version: str,
        text_sha256: str,
        items: dict[str, bool],
        visit_id: uuid.UUID | str | None = None,
    ) -> ConsentCodeOut:
        """Send a 6-digit code to ``phone`` (as typed); HubRefused 400 SMS_NOT_MOBILE, 429
        SMS_CODE_THROTTLED (its message says when to try again), 409 SMS_OPTED_OUT; no SMS at the hub
        (503 SMS_UNAVAILABLE) is HubUnavailable with ``status`` 503 and a message saying so."""
        body = {
            "phone": phone,
            "purpose": purpose,
            "text_version": text_version,
            "text_sha256": text_sha256,
            "items": dict(items),
            "visit_id": str(visit_id) if visit_id else None,
        }
        try:
            return self._call(ConsentCodeOut, "POST", "/consent/sms/challenges", json=body)
        except HubUnavailable as exc:
            if exc.status == 503:  # the hub is up, its SMS is not: say that, not "no hub"
                exc.message_ko = "문자 서비스를 지금 쓸 수 없어요. 서명으로 동의하거나 직원에게 알려 주세요."
            raise

    def confirm_consent_code(self, challenge_id: uuid.UUID | str, code: str) -> ConsentConfirmedOut:
        """HubRefused 400 SMS_CODE_WRONG (the message says the tries left), 410 SMS_CODE_EXPIRED /
        SMS_CODE_USED / SMS_CODE_LOCKED."""
        return self._call(
            ConsentConfirmedOut,
            "POST",
            f"/consent/sms/challenges/{challenge_id}/confirm",
            json={"code": code},
        )

    def consent_code_status(self, challenge_id: uuid.UUID | str) -> ConsentCodeStatusOut:
        return self._call(ConsentCodeStatusOut, "GET", f"/consent/sms/challenges/{challenge_id}")

    # --- debts (issue 21) -----------------------------------------------------------------------------
    def get_debts(self, visit_id: uuid.UUID | str) -> DebtListOut:
        return self._call(DebtListOut, "GET", f"/visits/{visit_id}/debts")

    def fetch_debts(self, visit_id: uuid.UUID | str) -> DebtListOut:
        """HubRefused 409 consent_missing / identity_missing; HubUnavailable 502 when the port failed
        (nothing was stored) or 503 when the center has no port."""
        try:
            return self._call(DebtListOut, "POST", f"/visits/{visit_id}/debts/fetch")
        except HubUnavailable as exc:
            if exc.status == 502:  # the hub is up, the credit bureau is not: say that, not "no hub"
                exc.message_ko = (
                    "신용정보 조회 기관이 답하지 않았어요. 잠시 뒤 다시 하거나 빚 목록을 직접 적어 주세요."
                )
            elif exc.status == 503:
                exc.message_ko = (
                    "이 센터에는 신용정보 조회가 연결되어 있지 않아요. 빚 목록을 직접 적어 주세요."
                )
            raise

    def put_debts(self, visit_id: uuid.UUID | str, debts: list[DebtIn] | list[dict[str, Any]]) -> DebtListOut:
        """HubRefused 422 debt_input_invalid (Korean, naming the line) or 409 debt_list_changed."""
        lines = [d.model_dump(mode="json") if isinstance(d, DebtIn) else d for d in debts]
        return self._call(DebtListOut, "PUT", f"/visits/{visit_id}/debts", json={"debts": lines})

    def credit_inquiry(self, request: CreditInquiryIn) -> CreditInquiryOut:
        """The lobby's inquiry during the questions. HubRefused 403 credit_consent_missing /
        credit_identity_missing, 409 credit_inquiry_conflict; HubUnavailable 502 (the port failed,
        nothing stored) or 503 (no port at this center). Any of them: the kiosk asks the questions."""
        return self._call(CreditInquiryOut, "POST", "/credit-inquiries", json=request.model_dump(mode="json"))

    def debt_plan(self, visit_id: uuid.UUID | str, term_months: int | None = None) -> DebtPlanOut:
        params = {"term_months": term_months} if term_months is not None else None
        return self._call(DebtPlanOut, "GET", f"/visits/{visit_id}/debt-plan", params=params)

    # --- consent withdrawal (PIPA §37) -------------------------------------------------------------
    def withdraw_consent(
        self, visit_id: uuid.UUID | str, items: list[str] | None = None
    ) -> ConsentWithdrawnOut:
        """Withdraw every item (``items`` None) or the named ones; HubRefused 409
        consent_already_withdrawn when nothing is left to withdraw (the message says since when)."""
        body: dict[str, Any] = {"scope": "all"} if items is None else {"scope": "items", "items": items}
        return self._call(ConsentWithdrawnOut, "POST", f"/visits/{visit_id}/consent/withdraw", json=body)
