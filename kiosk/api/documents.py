"""Documents a desk makes from a case, pushes to its counter, and the counter signs.

The templates and their titles are part of the contract: the hub renders them
(printers.documents.templates) and names them in its `document.pushed` event; the counter shows the
title above the pages it asks a visitor to sign. A 채무조정 신청서 also carries its key figures, so the
counter can show them in large type without reading them back out of the PDF's words.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from kiosk.api.common import Strict

TemplateName = Literal["consent", "intake_summary", "counseling_record", "aftercare_plan", "debt_application"]
# (Korean, English) per template: what the hub's push event and the counter's caption call it.
DOCUMENT_TITLES: dict[str, tuple[str, str]] = {
    "consent": ("개인(신용)정보 동의서", "Consent form"),
    "intake_summary": ("상담 신청 및 지원 확인 결과", "Intake and matching summary"),
    "counseling_record": ("상담 기록", "Counseling record"),
    "aftercare_plan": ("사후관리 계획", "After-care plan"),
    "debt_application": ("채무조정 신청서", "Debt adjustment application"),
}


class DocumentIn(Strict):
    template: TemplateName


class DebtApplicationFigures(BaseModel):
    """The plan figures a 채무조정 신청서 was rendered with: numbers of the plan only, nothing of the person
    (the counter shows them on a screen the next person in line may glance at)."""

    program: str
    principal_before_krw: int = Field(ge=0)
    principal_after_krw: int = Field(ge=0)
    term_months: int = Field(ge=1)
    monthly_krw: int = Field(ge=0)

    @property
    def cut_krw(self) -> int:
        return max(0, self.principal_before_krw - self.principal_after_krw)


class DocumentOut(BaseModel):
    id: uuid.UUID
    visit_id: uuid.UUID | None
    template: str
    template_version: str
    sha256: str
    status: str
    pushed_to_device_id: uuid.UUID | None
    signed_at: datetime | None
    size_bytes: int
    # Set for a 채무조정 신청서 with a plan; the counter shows them only once they agree with the PDF's text.
    figures: DebtApplicationFigures | None = None
