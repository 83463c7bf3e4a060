"""The HTTP provider's two signatures: the API request's Authorization header and the delivery webhook's.

**Requests** (Solapi v4's scheme): ``Authorization: HMAC-SHA256 apiKey=<key>, date=<ISO 8601>, salt=<random>,
signature=<hex>`` where ``signature = hex(HMAC-SHA256(api_secret, date + salt))``. The provider refuses a
header that does not parse exactly, an unknown key, a wrong signature (compared in constant time), a date more
than 15 minutes off its clock, and a (key, salt, signature) it has seen before (a replay). A salt is 32 hex
digits from `secrets`; the date is UTC with milliseconds (``2026-12-02T04:00:00.000Z``).

**Webhooks** (provider → us) follow the Standard Webhooks scheme (standardwebhooks.com): three headers,
``webhook-id`` (unique per delivery attempt's event), ``webhook-timestamp`` (Unix seconds) and
``webhook-signature: v1,<base64(HMAC-SHA256(secret, id + "." + timestamp + "." + body))>``; the receiver
refuses a timestamp more than 5 minutes off and compares in constant time. One deviation: the HMAC key is the
API secret's UTF-8 bytes (the spec's ``whsec_`` base64 key is one more secret to keep). Several signatures,
space-separated, are accepted (key rotation), as the spec allows.

Every time comes from the center clock (`config.clock`); errors carry a code, never the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from config import clock

SCHEME = "HMAC-SHA256"
MAX_SKEW = timedelta(minutes=15)
WEBHOOK_TOLERANCE = timedelta(minutes=5)
WEBHOOK_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")

_DATE = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})"
_HEADER = re.compile(
    rf"HMAC-SHA256 apiKey=(?P<key>[A-Za-z0-9_\-]{{1,64}}), date=(?P<date>{_DATE}), "
    r"salt=(?P<salt>[A-Za-z0-9_\-]{8,64}), signature=(?P<sig>[0-9a-f]{64})"
)
_WEBHOOK_ID = re.compile(r"[A-Za-z0-9_\-]{1,64}")
_TIMESTAMP = re.compile(r"\d{1,12}")


class SignatureError(ValueError):
    """A signature refused; ``code`` is the provider-style error code (no secret, no header echoed)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Authorization:
    api_key: str
    date: datetime  # aware
    date_text: str  # exactly as signed
    salt: str
    signature: str  # lower-case hex


def iso_date(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("naive datetime; sign with an aware time from config.clock")
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def signature_for(api_secret: str, date_text: str, salt: str) -> str:
    return hmac.new(
        api_secret.encode("utf-8"), (date_text + salt).encode("utf-8"), hashlib.sha256
    ).hexdigest()


def build_authorization(
    api_key: str, api_secret: str, *, at: datetime | None = None, salt: str | None = None
) -> str:
    """The header value for one request (a fresh salt each call unless one is given, for tests)."""
    date_text = iso_date(at or clock.now())
    salt = salt or secrets.token_hex(16)
    signature = signature_for(api_secret, date_text, salt)
    return f"{SCHEME} apiKey={api_key}, date={date_text}, salt={salt}, signature={signature}"


def parse_authorization(header: str) -> Authorization:
    """The header's parts, or SignatureError("MalformedAuthorization") for anything but the exact form."""
    if not isinstance(header, str) or len(header) > 512:
        raise SignatureError("MalformedAuthorization", "missing or oversized Authorization header")
    match = _HEADER.fullmatch(header)
    if match is None:
        raise SignatureError(
            "MalformedAuthorization", f"expected '{SCHEME} apiKey=…, date=…, salt=…, signature=…'"
        )
    date_text = match["date"]
    try:
        date = datetime.fromisoformat(date_text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SignatureError("MalformedAuthorization", "date is not a valid ISO 8601 time") from exc
    return Authorization(match["key"], date, date_text, match["salt"], match["sig"])


class RequestVerifier:
    """The provider's side: verify a header against its keys, its clock and the signatures already seen.

    Seen signatures are kept for twice the skew window (older ones are refused by the skew check anyway)."""

    def __init__(self, keys: Mapping[str, str], max_skew: timedelta = MAX_SKEW) -> None:
        self._keys = dict(keys)
        self._max_skew = max_skew
        self._seen: dict[tuple[str, str, str], datetime] = {}
        self._lock = threading.Lock()

    def verify(self, header: str, *, now: datetime | None = None) -> str:
        """The API key that signed ``header``; SignatureError with the provider's code otherwise."""
        auth = parse_authorization(header)
        secret = self._keys.get(auth.api_key)
        if secret is None:
            raise SignatureError("InvalidApiKey", "unknown API key")
        expected = signature_for(secret, auth.date_text, auth.salt)
        if not hmac.compare_digest(expected, auth.signature):
            raise SignatureError("SignatureDoesNotMatch", "signature does not match date + salt")
        now = now or clock.now()
        if abs(now - auth.date) > self._max_skew:
            raise SignatureError("RequestTimeTooSkewed", "date is more than 15 minutes off the server clock")
        entry = (auth.api_key, auth.salt, auth.signature)
        with self._lock:
            self._prune(now)
            if entry in self._seen:
                raise SignatureError("DuplicatedSignature", "this salt and signature were used before")
            self._seen[entry] = now
        return auth.api_key

    def _prune(self, now: datetime) -> None:
        horizon = now - 2 * self._max_skew
        if len(self._seen) > 4096 or (self._seen and next(iter(self._seen.values())) < horizon):
            self._seen = {k: t for k, t in self._seen.items() if t >= horizon}


def _webhook_mac(secret: str, webhook_id: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(
        secret.encode("utf-8"), f"{webhook_id}.{timestamp}.".encode("ascii") + body, hashlib.sha256
    )
    return base64.b64encode(mac.digest()).decode("ascii")


def sign_webhook(secret: str, webhook_id: str, body: bytes, *, at: datetime | None = None) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body``."""
    if not _WEBHOOK_ID.fullmatch(webhook_id):
        raise ValueError("webhook id must be 1-64 characters of [A-Za-z0-9_-]")
    timestamp = str(int((at or clock.now()).timestamp()))
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + _webhook_mac(secret, webhook_id, timestamp, body),
    }


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: datetime | None = None,
    tolerance: timedelta = WEBHOOK_TOLERANCE,
) -> str:
    """The webhook's id when its signature holds; SignatureError otherwise (header names case-insensitive)."""
    lower = {k.lower(): v for k, v in headers.items()}
    webhook_id, timestamp, signatures = (lower.get(name, "") for name in WEBHOOK_HEADERS)
    if not _WEBHOOK_ID.fullmatch(webhook_id) or not _TIMESTAMP.fullmatch(timestamp) or not signatures:
        raise SignatureError(
            "MalformedWebhook", "webhook-id, webhook-timestamp and webhook-signature are required"
        )
    try:
        sent = datetime.fromtimestamp(int(timestamp), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise SignatureError("MalformedWebhook", "webhook-timestamp is out of range") from exc
    if abs((now or clock.now()) - sent) > tolerance:
        raise SignatureError("WebhookTimeTooSkewed", "webhook timestamp is more than 5 minutes off")
    expected = _webhook_mac(secret, webhook_id, timestamp, body)
    for candidate in signatures.split(" ")[:8]:
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(
            value.encode("ascii", "replace"), expected.encode("ascii")
        ):
            return webhook_id
    raise SignatureError("WebhookSignatureDoesNotMatch", "no v1 signature matches the body")
