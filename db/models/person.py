"""A person who visited. RRN, phone and address exist only as ciphertext (PIPA §24의2)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamps, UUIDPk


class Person(UUIDPk, Timestamps, Base):
    __tablename__ = "person"

    name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    # Ciphertexts carry their key id in their header (see db.crypto), so keys can be rotated row by row.
    rrn_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # HMAC-SHA256 of the normalized RRN: finds a returning visitor without decrypting anything.
    rrn_blind_index: Mapped[str | None] = mapped_column(String(64), index=True)
    rrn_masked: Mapped[str | None] = mapped_column(String(14))
    verified: Mapped[bool] = mapped_column(default=False)
