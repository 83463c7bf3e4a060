"""The shape of every refusal on the wire, and the codes both the hub and its clients name.

The hub answers every 4xx/5xx with `{"error": {"code", "message_ko", "message_en", "fields"}}`
(kiosk.hub.errors builds it); kiosk.client reads it back with the same model, so a renamed field
breaks both sides at once instead of turning every refusal into a generic one. `fields` names where a
body was wrong, never what was sent (it may be an RRN).
"""

from __future__ import annotations

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    code: str
    message_ko: str
    message_en: str
    fields: list[str] = []


class ErrorBody(BaseModel):
    error: ErrorDetail


# Codes that are not one route's own: the framework's statuses, validation, replay and load.
UNAUTHENTICATED = "unauthenticated"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
BODY_TOO_LARGE = "body_too_large"
MALFORMED_JSON = "malformed_json"
INVALID_REQUEST = "invalid_request"
IDEMPOTENCY_CONFLICT = "idempotency_conflict"
HUB_BUSY = "hub_busy"  # 503: the batch could not get the database in time; send it again
INTERNAL_ERROR = "internal_error"
# An answer without the error shape (a proxy's page, say): the client names it this.
HTTP_ERROR = "http_error"
# Said by the client, never by the hub: the hub's certificate is not the pinned center CA.
HUB_NOT_TRUSTED = "hub_not_trusted"

# Consent by SMS code (issue 18; kiosk.hub.routes_sms_consent). Their Korean messages say what to do.
SMS_NOT_MOBILE = "SMS_NOT_MOBILE"  # 400: not a Korean mobile number
SMS_CODE_THROTTLED = "SMS_CODE_THROTTLED"  # 429: too many codes for this number or from this device
SMS_UNAVAILABLE = "SMS_UNAVAILABLE"  # 503: no gateway configured, or it refused our credentials
SMS_CODE_WRONG = "SMS_CODE_WRONG"  # 400: the message says how many tries are left
SMS_CODE_EXPIRED = "SMS_CODE_EXPIRED"  # 410: past its 3 minutes
SMS_CODE_USED = "SMS_CODE_USED"  # 410: already confirmed (or already bound to a consent)
SMS_CODE_LOCKED = "SMS_CODE_LOCKED"  # 410: 5 wrong codes
SMS_CONSENT_INVALID = "SMS_CONSENT_INVALID"  # 422: a visit's SMS consent names no usable challenge
SMS_OPTED_OUT = "SMS_OPTED_OUT"  # 409: the number asked for no more messages ("거부"): sign instead
