"""A visit's creditor list (issue 21): one row per debt, and where the list came from.

Creditor names are institutions (카드사, 은행), not the citizen's personal data, so they are stored plain;
the list is tied to the person only through the visit. ``DebtList`` says which source filled the lines
(the credit-information port, the counselor, or none yet: the kiosk's totals are then read from the
answers, never copied here) and the plan term the desk last asked, which the 채무조정 신청서 shows.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk, utcnow


class DebtList(Base):
    __tablename__ = "debt_list"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True)
    # "credit_port" | "counselor" | "kiosk_totals" (no lines stored: only the desk's chosen term)
    source: Mapped[str] = mapped_column(String(20))
    emulated: Mapped[bool] = mapped_column(default=False)
    fetched_at: Mapped[datetime | None]  # when the port answered; kept when a counselor corrects lines
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    plan_term_months: Mapped[int | None] = mapped_column(Integer)  # the desk's last asked term


class DebtLine(UUIDPk, Timestamps, Base):
    __tablename__ = "debt_line"

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    creditor: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))  # kiosk.debt.inputs.DebtKind
    principal_krw: Mapped[int] = mapped_column(BigInteger)
    annual_rate: Mapped[float] = mapped_column(Float)  # a fraction: 0.159 = 15.9%
    overdue_days: Mapped[int] = mapped_column(Integer)
    written_off: Mapped[bool] = mapped_column(default=False)
    since: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(20))  # who wrote this line: "credit_port" | "counselor"


class CreditInquiryRecord(UUIDPk, Timestamps, Base):
    """A lobby's 신용정보 조회 during the questions, kept until the visit's submission attaches it.

    The visit does not exist yet when the kiosk asks, so this names the kiosk's own visit id without a
    foreign key. The person is named only by the RRN's blind index (to check that the submission is the
    same person's); the lines are one ciphertext, since with that index they say who owes what. Once
    attached, the lines live in ``debt_line`` and the ciphertext is dropped (``lines_enc`` NULL).
    """

    __tablename__ = "credit_inquiry"

    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("center.id"), index=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"))
    visit_id: Mapped[uuid.UUID] = mapped_column(unique=True)  # one inquiry per kiosk visit
    rrn_blind_index: Mapped[str] = mapped_column(String(64))
    consent_sha256: Mapped[str] = mapped_column(String(64))  # the consent part the submission must carry
    port_reference: Mapped[str] = mapped_column(String(64))  # the service's own inquiry id
    emulated: Mapped[bool] = mapped_column(default=False)
    lines_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)  # the answer's figures (no line, no identity)
    attached_at: Mapped[datetime | None]
