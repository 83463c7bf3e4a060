"""The kiosk's credit inquiry (신용정보 조회) during the questions: `POST /credit-inquiries` (issue 21).

A lobby asks once the person granted consent item "credit_inquiry" and identified with an ID card. The
body carries the same two parts the visit's submission will carry — the identity as read and the signed
(or SMS-confirmed) consent — so the hub checks exactly the evidence it will later store. The answer
holds only what the questionnaire needs (totals by kind, the longest overdue, how many creditors); the
lines themselves stay at the hub under ``inquiry_id``, and the submission names that id
(``VisitSubmission.credit_inquiry_id``) so the hub attaches them to the visit as its creditor list.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, Field

from kiosk.api.common import Strict
from kiosk.api.visits import ConsentIn, IdentityIn

# The identity methods that read an ID document (a typed name and birth date is no basis to inquire).
ID_CARD_METHODS = ("image", "ic_chip", "mobile")
NonNegative = Annotated[int, Field(ge=0)]


class CreditInquiryIn(Strict):
    visit_id: uuid.UUID  # the kiosk's own visit id: the submission that names the inquiry has it too
    identity: IdentityIn
    consent: ConsentIn


class CreditInquiryOut(BaseModel):
    """What the questionnaire needs of the list, never a line of it."""

    inquiry_id: uuid.UUID
    emulated: bool  # the center's port is the emulator (demo and tests): said, never hidden
    creditors: NonNegative
    total_debt_krw: NonNegative
    card_krw: NonNegative
    unsecured_loan_krw: NonNegative
    secured_loan_krw: NonNegative
    other_krw: NonNegative
    longest_overdue_days: NonNegative

    @property
    def unsecured_debt_krw(self) -> int:
        """담보 없이 빌린 돈 as the questionnaire asks it: credit loans and card debt."""
        return self.card_krw + self.unsecured_loan_krw
