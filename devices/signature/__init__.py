"""Signatures: the serial pad driver and its emulator, and records bound to the document signed.

Public API (no Qt anywhere in this package):
- ``SignaturePad`` (pad.py): the driver; ``EmulatedPad`` (emulator.py): a pad on a pty.
- ``SignatureRecord``, ``SignaturePoint``, ``Resolution``, ``make_record``, ``verify``,
  ``SignatureRefused``, ``SignatureError`` (record.py).
- ``record_to_json`` / ``record_from_json`` (timeseries_json.py): the ISO/IEC 19794-7-style export.
- ``save_signature`` / ``load_signature`` (store.py): the ``Signature`` database row.
"""

from devices.signature.record import (
    Resolution,
    SignatureError,
    SignaturePoint,
    SignatureRecord,
    SignatureRefused,
    make_record,
    verify,
)

__all__ = [
    "Resolution",
    "SignatureError",
    "SignaturePoint",
    "SignatureRecord",
    "SignatureRefused",
    "make_record",
    "verify",
]
