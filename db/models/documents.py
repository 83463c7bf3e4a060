"""Signed documents and the signatures bound to them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Timestamps, UUIDPk
from db.models.enums import DocumentStatus, EnumString

if TYPE_CHECKING:
    from db.models.visit import Visit


class Signature(UUIDPk, Timestamps, Base):
    __tablename__ = "signature"

    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    # [{"x", "y", "p", "t", "pen"}] in capture-device units, t in ms from the first sample
    points: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    device: Mapped[str] = mapped_column(String(40))  # pad model or "screen"
    resolution: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    png: Mapped[bytes | None] = mapped_column(LargeBinary)
    document_sha256: Mapped[str] = mapped_column(String(64))
    consent_id: Mapped[str | None] = mapped_column(String(64))
    record_sha256: Mapped[str] = mapped_column(String(64), default="")


class Document(UUIDPk, Timestamps, Base):
    __tablename__ = "document"

    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    template: Mapped[str] = mapped_column(String(40))
    template_version: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[DocumentStatus] = mapped_column(
        EnumString(DocumentStatus, 20), default=DocumentStatus.GENERATED
    )
    pushed_to_device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    signature_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("signature.id"))
    signed_at: Mapped[datetime | None]
    # The fields the PDF was rendered from, so the hub can render the signed copy (kiosk.hub documents).
    render_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # The visit the document belongs to, loaded on first touch (no cascade: the foreign key rules).
    visit: Mapped[Visit | None] = relationship()
