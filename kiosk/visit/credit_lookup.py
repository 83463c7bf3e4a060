"""The kiosk's credit inquiry during the questions: asked on its own thread, its figures become prefill.

Once the person granted consent item "credit_inquiry" and identified from an ID document, the flow asks
the hub (``CreditSource``: ``kiosk.client.HubClient.credit_inquiry``) on a thread of its own — never the
GUI thread, never the lobby's one worker, so no answer waits for the credit bureau. No one waits for
it either: if its figures are not back when the debt questions come, the questions are asked as before;
a failure of any kind (no hub, no port, a refusal, garbage) only means the same. When the figures come,
they are prefill like the ID card's age (``LiveVisit.apply_credit``): the questions they answer are not
asked (``Questionnaire.knowing``), and what the person already answered stays as they said it.

A late answer never reaches another visitor: it carries the token of the visit that asked, and the
wipe (or a new identification) forgets that token.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any, Protocol

from kiosk.api.credit_inquiry import ID_CARD_METHODS, CreditInquiryIn, CreditInquiryOut
from kiosk.api.visits import VisitRecord
from kiosk.visit.live import LiveVisit

log = logging.getLogger(__name__)

# The answer fields a creditor list says for certain (the rest of the debt questions it cannot know:
# court rehabilitation, a CCRS plan, new borrowing, a policy loan).
CREDIT_FIELDS = frozenset({"total_debt_krw", "unsecured_debt_krw", "secured_debt_krw", "delinquency_days"})


class CreditSource(Protocol):
    def credit_inquiry(self, request: CreditInquiryIn) -> CreditInquiryOut: ...


def prefill_from(out: CreditInquiryOut) -> dict[str, int]:
    """The inquiry's figures as the questionnaire's answers (won, days)."""
    return {
        "total_debt_krw": out.total_debt_krw,
        "unsecured_debt_krw": out.unsecured_debt_krw,
        "secured_debt_krw": out.secured_loan_krw,
        "delinquency_days": out.longest_overdue_days,
    }


def listed(prefill: Mapping[str, Any]) -> frozenset[str]:
    """The fields of ``prefill`` that came from the creditor list."""
    return CREDIT_FIELDS & frozenset(prefill)


def inquiry_request(record: VisitRecord) -> CreditInquiryIn | None:
    """The request this visit may make now, or None: no ID document read, or no consent to it."""
    identity, consent = record.identity, record.consent
    if identity is None or consent is None or not identity.rrn:
        return None
    if identity.method not in ID_CARD_METHODS or identity.result == "failed":
        return None
    item = consent.items.get("credit_inquiry")
    if item is None or not item.granted:
        return None
    return CreditInquiryIn(visit_id=record.visit_id, identity=identity, consent=consent)


def start_lookup(source: CreditSource, request: CreditInquiryIn, live: LiveVisit) -> threading.Thread:
    """Ask on a daemon thread; the answer lands in ``live`` only if this visit is still the one asking."""
    token = live.expect_credit()

    def ask() -> None:
        try:
            out = source.credit_inquiry(request)
        except Exception as exc:  # any failure: the questions are asked as before
            log.info("credit inquiry not used: %s %s", type(exc).__name__, getattr(exc, "code", ""))
            return
        if not live.apply_credit(token, prefill_from(out), str(out.inquiry_id)):
            log.info("credit inquiry answered after the visit moved on: dropped")

    thread = threading.Thread(target=ask, name="kiosk-credit-inquiry", daemon=True)
    thread.start()
    return thread
