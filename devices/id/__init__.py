"""Identity devices: ID card images + OCR, ePassports over PC/SC (BAC), mobile ID, manual entry.

Every backend reports through the same :class:`devices.id.model.IdReader` events; nothing here imports
Qt or the application core.
"""

from devices.id.model import (
    CardPresent,
    CardRemoved,
    DocumentKind,
    Guidance,
    IdDocument,
    IdError,
    IdEvent,
    IdReader,
    ReadError,
    Reading,
    ReadResult,
)

__all__ = [
    "CardPresent",
    "CardRemoved",
    "DocumentKind",
    "Guidance",
    "IdDocument",
    "IdError",
    "IdEvent",
    "IdReader",
    "ReadError",
    "ReadResult",
    "Reading",
]
