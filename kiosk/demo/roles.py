"""What each client of a demo center does, talking to the hub only through kiosk.client.

The roles never share memory: the lobby submits and prints, the desk learns of the visit from the
queue, the counter learns of documents from the event stream. So the same classes run in one
process (`kiosk demo --headless`) or one process each (the multi-process test).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from config import clock as center_clock
from config.consent import consent_items, consent_text_sha256, consent_version
from devices.id.emulators.identities import SyntheticIdentity
from kiosk.api import DocumentOut, VisitSubmission
from kiosk.api.visits import consent_items as consent_record
from kiosk.client import EventStream, HubClient, HubRefused, HubUnavailable, LobbyOutbox
from kiosk.client.signatures import signature_payload
from kiosk.demo.devices import DemoPad, DemoPrinter, DemoScanner
from kiosk.matching import match
from kiosk.queue.lines import service_lines
from kiosk.queue.waits import wait_words

log = logging.getLogger("kiosk.demo")
DOCUMENTS = ("consent", "intake_summary")
CODE_IN_TEXT = re.compile(r"인증번호는 (\d{6})")  # config/sms/templates.toml consent_code
PhoneInbox = Callable[[str], list[str]]  # kiosk.sms.emulated.EmulatedSms.inbox: the phone's texts


def demo_phone(seed: int) -> str:
    """A synthetic mobile number for a demo visitor (delivered only to the emulated phone)."""
    return f"0107{seed % 10_000_000:07d}"


class SmsConsent:
    """The demo visitor who cannot sign: the kiosk asks the hub for a code, the visitor reads it on their
    (emulated) phone and types it; the confirmed challenge backs the visit's consent."""

    def __init__(self, client: HubClient, inbox: PhoneInbox, *, wait_s: float = 15.0) -> None:
        self.client, self.inbox, self.wait_s = client, inbox, wait_s

    def consent(
        self, phone: str, text_version: str, text_sha256: str, items: dict[str, bool]
    ) -> dict[str, Any]:
        """Request, read, confirm (blocking); the challenge id and what the hub said of the delivery."""
        seen = len(self.inbox(phone))
        sent = self.client.request_consent_code(phone, "kiosk", text_version, text_sha256, items)
        code = self._read_code(phone, seen)
        confirmed = self.client.confirm_consent_code(sent.challenge_id, code)
        return {
            "challenge_id": str(confirmed.challenge_id),
            "to_masked": confirmed.to_masked,
            "delivery_status": confirmed.delivery_status,
        }

    def _read_code(self, phone: str, seen: int) -> str:
        """The code as the visitor reads it: the newest message on the phone (it arrives in a moment)."""
        deadline = time.monotonic() + self.wait_s
        while time.monotonic() < deadline:
            texts = self.inbox(phone)[seen:]
            found = [m.group(1) for text in texts for m in [CODE_IN_TEXT.search(text)] if m]
            if found:
                return found[-1]
            time.sleep(0.05)
        raise RuntimeError("the consent code did not reach the emulated phone in time")


class StepClock:
    """Wall time per named step, in milliseconds, for the summary."""

    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    def run(self, name: str, action: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        try:
            return action()
        finally:
            self.steps[name] = round((time.perf_counter() - start) * 1000, 1)


def line_for(answers: dict[str, Any]) -> str:
    return "B" if answers.get("purpose") == "debt" else "A"


class LobbyRole:
    def __init__(
        self,
        client: HubClient,
        outbox: LobbyOutbox,
        scanner: DemoScanner,
        pad: DemoPad,
        printer: DemoPrinter,
        center_name: str,
        *,
        phone_inbox: PhoneInbox | None = None,
    ) -> None:
        self.client, self.outbox, self.scanner, self.pad, self.printer = client, outbox, scanner, pad, printer
        self.center_name = center_name
        # With the center's emulated phones, a visitor who cannot sign consents by SMS code.
        self.sms = SmsConsent(client, phone_inbox) if phone_inbox is not None else None

    def _step(self, step: str, title_ko: str) -> None:
        try:  # the desk's live mirror; a lobby without hub keeps going
            self.client.report_step(step, title_ko)
        except Exception:
            log.debug("mirror update not sent")

    def walk_in(
        self,
        identity: SyntheticIdentity,
        answers: dict[str, Any],
        seed: int,
        out: Path,
        *,
        cannot_sign: bool = False,
    ) -> dict[str, Any]:
        """``cannot_sign``: the visitor consents by SMS code to their phone (when the hub can send it;
        otherwise they sign on the pad after all, as at a real kiosk)."""
        clock = StepClock()
        visit_id = uuid.uuid4()
        started = center_clock.now()
        self._step("identify", "신분증 확인")
        document = clock.run("identify", lambda: self.scanner.read(identity, seed))
        if not document.rrn or document.name != identity.name:
            raise RuntimeError(f"ID read did not match the card (name ok: {document.name == identity.name})")
        self._step("consent", "동의")
        consent_sha = consent_text_sha256()
        required = {item.id: item.required for item in consent_items()}
        # The demo visitor grants what is required and refuses the rest (the one consent builder).
        items = consent_record(required, required)
        by_sms = self._consent_by_sms(clock, seed, consent_sha, items) if cannot_sign else None
        record = None
        if by_sms is None:
            record = clock.run(
                "consent_sign",
                lambda: self.pad.sign(consent_sha, f"consent:{consent_version()}", "kim-minjun"),
            )
        consent: dict[str, Any] = {
            "items": items,
            "text_version": consent_version(),
            "text_sha256": consent_sha,
        }
        if by_sms is not None:
            consent |= {"method": "sms", "sms_challenge_id": by_sms["challenge_id"]}
        else:
            assert record is not None
            consent |= {"method": "signature", "signature": signature_payload(record)}
        self._step("needs", "상담 질문")
        report = clock.run("match", lambda: match(answers)).to_dict()
        verdicts = [
            {**p, "name_ko": p["name"]["ko"], "name_en": p["name"]["en"], "reasons": p.get("reasons", [])}
            for p in report["programs"]
        ]
        submission = VisitSubmission.model_validate(
            {
                "visit_id": str(visit_id),
                "path": "consult",
                "started_at": started.isoformat(),
                "identity": {
                    "method": "image",
                    "document_kind": document.kind.value,
                    "result": "not_checked",
                    "verifier": "",
                    "name": document.name,
                    "rrn": document.rrn,
                    "birth_date": document.birth_date.isoformat() if document.birth_date else None,
                },
                "consent": consent,
                "intake": {"questionnaire_version": "demo", "answers": answers},
                "match": {
                    "catalogue_version": report["catalogue_version"],
                    "engine_version": report["engine_version"],
                    "verdicts": verdicts,
                },
            }
        )
        del document  # the RRN lives no longer than needed (it is encrypted at the hub)
        synced = clock.run("submit", lambda: self.outbox.submit_visit(submission))
        self._step("ticket", "번호표")
        line = line_for(answers)
        ticket = clock.run("ticket", lambda: self.outbox.take_ticket(visit_id, line))
        spec = service_lines()[line]
        ahead = (ticket.wait_minutes or 0) // max(1, round(spec.default_service_minutes))
        # The QR opens the ticket's 내 순서 page on a phone; offline there is no link, only the number.
        web_url = "" if ticket.offline else self.client.ticket_link(ticket.ticket_id).url
        fields = {
            "center_name": self.center_name,
            "service_line_ko": spec.name_ko,
            "service_line_en": spec.name_en,
            "ticket_number": ticket.display,
            "people_ahead": ahead,
            "wait_minutes": ticket.wait_minutes or 0,
            "wait_ko": wait_words(ahead, ticket.wait_minutes or 0),
            "wait_en": wait_words(ahead, ticket.wait_minutes or 0, english=True),
            "lookup_url": web_url or f"TICKET {ticket.display} {ticket.ticket_id[:8]}",
            "issued_at": center_clock.local_now().strftime("%Y-%m-%d %H:%M"),
            "notice": "번호가 화면에 나오면 창구로 와 주세요",
        }
        receipt = clock.run(
            "print", lambda: self.printer.print_ticket(fields, out / "receipts" / f"ticket-{ticket.display}")
        )
        self._step("done", "안내 끝")
        return {
            "visit_id": str(visit_id),
            "synced_at_once": synced,
            "ticket": {
                "id": ticket.ticket_id,
                "display": ticket.display,
                "line": line,
                "offline": ticket.offline,
                "web_url": web_url,
            },
            "verdicts": [{"id": v["id"], "verdict": v["verdict"]} for v in verdicts],
            "consent_signature_sha256": record.record_sha256 if record is not None else None,
            "consent_sms": by_sms,
            "receipt": receipt,
            "timings_ms": clock.steps,
        }

    def _consent_by_sms(
        self, clock: StepClock, seed: int, sha: str, items: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The code sent, read on the phone and confirmed; None when the hub cannot send it now."""
        if self.sms is None:
            return None
        sms = self.sms
        granted = {item: bool(state.granted) for item, state in items.items()}
        try:
            return dict(
                clock.run(
                    "consent_sms", lambda: sms.consent(demo_phone(seed), consent_version(), sha, granted)
                )
            )
        except (HubUnavailable, HubRefused) as exc:  # no SMS now (hub down, no gateway): the pad it is
            log.info("consent by SMS not possible, signing instead: %s", exc)
            return None


class CounterRole:
    """Shows each pushed document whole, then captures a signature bound to its SHA-256 and sends it."""

    def __init__(self, client: HubClient, pad: DemoPad, *, max_backoff_s: float = 2.0) -> None:
        self.client, self.pad = client, pad
        self.inbox: queue.Queue[str] = queue.Queue()
        self.signed: list[dict[str, Any]] = []
        self.errors: list[str] = []
        self.stream = EventStream(
            client.ws_url, client.token or "", max_backoff_s=max_backoff_s, ssl_context=client.ssl_context
        )
        self.stream.subscribe(self._on_event)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _on_event(self, event: dict[str, Any]) -> None:
        if event.get("type") == "document.pushed":
            self.inbox.put(str(event["data"]["document_id"]))

    def start(self) -> None:
        self.stream.start()
        self.stream.connected.wait(10)
        for doc in self.client.pending_documents():  # pushed while we were not listening
            self.inbox.put(str(doc.id))
        self._thread = threading.Thread(target=self._run, name="counter", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.stream.stop()
        if self._thread is not None:
            self._thread.join(30)

    def _run(self) -> None:
        done: set[str] = set()
        last_poll = time.monotonic()
        while not self._stop.is_set():
            try:
                document_id = self.inbox.get(timeout=0.2)
            except queue.Empty:
                # Events can be missed while the stream reconnects: look at the hub's list now and then.
                if time.monotonic() - last_poll > 1.0:
                    last_poll = time.monotonic()
                    try:
                        for doc in self.client.pending_documents():
                            if str(doc.id) not in done:
                                self.inbox.put(str(doc.id))
                    except HubUnavailable:
                        pass
                continue
            if document_id in done:
                continue
            try:
                self.signed.append(self.handle(uuid.UUID(document_id)))
                done.add(document_id)
            except Exception as exc:
                log.exception("counter could not sign %s", document_id)
                self.errors.append(f"{document_id}: {type(exc).__name__}: {exc}")

    def handle(self, document_id: uuid.UUID) -> dict[str, Any]:
        clock = StepClock()
        meta = self.client.document(document_id)
        pdf = clock.run("fetch", lambda: self.client.document_pdf(document_id))
        if hashlib.sha256(pdf).hexdigest() != meta.sha256:
            raise RuntimeError("the PDF does not match the hash the hub announced")
        pages = pdf_pages(pdf)  # every page is shown before the signature area appears
        record = clock.run("sign", lambda: self.pad.sign(meta.sha256, None, "lee-seoyeon"))
        out = clock.run(
            "send",
            lambda: self.client.sign_document(document_id, signature_payload(record), f"sign-{document_id}"),
        )
        return {
            "document_id": str(document_id),
            "template": meta.template,
            "pages": pages,
            "bound_sha256": meta.sha256,
            "status": out.status,
            "timings_ms": clock.steps,
        }


def pdf_pages(pdf: bytes) -> int:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


class DeskRole:
    def __init__(self, client: HubClient, desk: str = "3") -> None:
        self.client, self.desk = client, desk

    def serve_next(
        self, line: str, out: Path, *, sign_timeout_s: float = 60.0, trust_roots_pem: tuple[bytes, ...] = ()
    ) -> dict[str, Any]:
        clock = StepClock()
        ticket = clock.run("call", lambda: self.client.call_next(line, self.desk))
        if ticket is None or ticket.visit_id is None:
            raise RuntimeError(f"nobody waiting on line {line}")
        visit_id = ticket.visit_id
        case = clock.run("case_view", lambda: self.client.case(visit_id))
        top = [v for v in case.verdicts if v.get("verdict") == "eligible"]
        outcome = "information_only"
        if any(str(v["id"]).startswith("ccrs.") for v in top):
            outcome = "debt_adjustment_applied"
        elif any(str(v["id"]).startswith("court.") for v in top):
            outcome = "court_referral"
        self.client.add_note(visit_id, f"시연 상담: 적합 제도 {len(top)}개 안내")
        self.client.set_outcome(visit_id, outcome, [str(v["id"]) for v in top[:3]])
        debt: dict[str, Any] | None = None
        templates: tuple[str, ...] = DOCUMENTS
        if outcome == "debt_adjustment_applied":
            # The walk-in with debt trouble: the creditors from the (emulated) credit-information port,
            # the plan at the term the desk settles on, and the 채무조정 신청서 signed at the counter.
            debt = self._debt_plan(clock, visit_id)
            if debt.get("plan"):
                templates = (*DOCUMENTS, "debt_application")
        documents = [
            self._signed_document(
                clock, visit_id, template, ticket.display, out, sign_timeout_s, trust_roots_pem
            )
            for template in templates
        ]
        aftercare: list[dict[str, Any]] | str
        try:
            plan = clock.run("aftercare", lambda: self.client.plan_aftercare(visit_id, outcome))
            aftercare = [{"due_date": f.due_date.isoformat(), "kind": f.kind} for f in plan]
        except HubRefused as exc:
            aftercare = f"not planned: {exc.code}"
        except HubUnavailable as exc:
            aftercare = f"not planned: {exc}"
        clock.run("finish", lambda: self.client.finish_ticket(ticket.id))
        return {
            "ticket": ticket.display,
            "visit_id": str(visit_id),
            "outcome": outcome,
            "documents": documents,
            "aftercare": aftercare,
            "earlier_visits": len(case.earlier_visits),
            "debt": debt,
            "timings_ms": clock.steps,
        }

    def _debt_plan(self, clock: StepClock, visit_id: uuid.UUID) -> dict[str, Any]:
        try:
            debts = clock.run("debts_fetch", lambda: self.client.fetch_debts(visit_id))
            first = clock.run("debt_plan", lambda: self.client.debt_plan(visit_id))
            chosen = next((p for p in first.plans if p.eligible), None) or next(
                (p for p in first.plans if p.monthly_payment_krw is not None), None
            )
            if chosen is None or chosen.term_months is None:
                return {"source": debts.source, "creditors": len(debts.debts), "plan": None}
            # The counselor settles the term (here: the plan's own); the application shows that term.
            term = chosen.term_months
            again = clock.run("debt_plan_term", lambda: self.client.debt_plan(visit_id, term_months=term))
        except (HubRefused, HubUnavailable) as exc:
            return {"error": str(getattr(exc, "code", "") or exc), "plan": None}
        plan = next(p for p in again.plans if p.program == chosen.program)
        return {
            "source": debts.source,
            "emulated": debts.emulated,
            "creditors": len(debts.debts),
            "plan": {
                "program": plan.program,
                "monthly_payment_krw": plan.monthly_payment_krw,
                "term_months": plan.term_months,
                "eligible": plan.eligible,
            },
        }

    def _signed_document(
        self,
        clock: StepClock,
        visit_id: uuid.UUID,
        template: str,
        display: str,
        out: Path,
        sign_timeout_s: float,
        trust_roots_pem: tuple[bytes, ...],
    ) -> dict[str, Any]:
        """Generate, push to the counter, wait for its signature, archive; the PDF kept under out/pdf."""
        doc: DocumentOut = clock.run(
            f"generate_{template}", partial(self.client.generate_document, visit_id, template)
        )
        clock.run(f"push_{template}", partial(self.client.push_document, doc.id))
        signed: DocumentOut = clock.run(
            f"await_signature_{template}", partial(self._await_signed, doc.id, sign_timeout_s)
        )
        archived: DocumentOut = clock.run(
            f"archive_{template}", partial(self.client.archive_document, doc.id)
        )
        pdf = self.client.document_pdf(doc.id)
        path = out / "pdf" / f"{display}-{template}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        entry: dict[str, Any] = {
            "document_id": str(doc.id),
            "template": template,
            "unsigned_sha256": doc.sha256,
            "signed_sha256": archived.sha256,
            "status": archived.status,
            "file": str(path.relative_to(out)),
            "signed_at": signed.signed_at.isoformat() if signed.signed_at else None,
        }
        if trust_roots_pem:
            from printers.documents.pades import validate_pades

            entry["pades_valid"] = validate_pades(pdf, trust_roots_pem)
        return entry

    def _await_signed(self, document_id: uuid.UUID, timeout_s: float) -> Any:
        deadline = time.monotonic() + timeout_s
        while True:
            doc = self.client.document(document_id)
            if doc.status == "signed":
                return doc
            if time.monotonic() > deadline:
                raise RuntimeError(f"document {document_id} was not signed at the counter in time")
            time.sleep(0.1)
