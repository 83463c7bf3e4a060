"""How the outbox judges a failed send: stop the pass, hold for auth, quarantine now, or back off.

Why these verdicts (issue 13): a hub that cannot be reached or is busy (503) charges nothing, so an
hour-long outage never quarantines an entry; a refused token (401/403) holds entries until the kiosk is
enrolled again; a 4xx refusal cannot get better by sending again; anything else backs off exponentially
and is quarantined after ``quarantine_after`` tries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

import httpx

from kiosk.client.errors import HubRefused, HubUnavailable

QUARANTINE_AFTER = 8  # tries: with the default backoff, about four minutes of a hub failing this entry

Verdict = Literal["stop", "auth", "refused", "retry"]


class Unexpected(Exception):
    """Our side could not make the request (payload unreadable, unknown kind): counts as a failure."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def is_auth(exc: HubRefused) -> bool:
    return exc.status in (401, 403)


def classify(exc: Exception) -> tuple[Verdict, str]:
    """(verdict, code). Verdicts: stop (hub unreachable/busy: end the pass, charge nothing), auth
    (token refused: hold), refused (4xx: quarantine now), retry (charged: back off, then quarantine).
    The code names the failure (``http_500``, ``timeout``) and never quotes a body."""
    if isinstance(exc, HubRefused):
        if is_auth(exc):
            return "auth", f"http_{exc.status}"
        if exc.status in (408, 425, 429):  # "try later" answers
            return "retry", f"http_{exc.status}"
        return "refused", f"http_{exc.status}_{exc.code}"[:60]
    if isinstance(exc, HubUnavailable):
        if isinstance(exc.__cause__, httpx.TimeoutException):
            return "stop", "timeout"
        if isinstance(exc.__cause__, httpx.TransportError):
            return "stop", "unreachable"
        if exc.status is None:
            return "stop", "unavailable"
        return ("stop" if exc.status == 503 else "retry"), f"http_{exc.status}"
    if isinstance(exc, Unexpected):
        return "retry", exc.code
    return "retry", f"error_{type(exc).__name__}"[:60]


@dataclass(frozen=True)
class RetryPolicy:
    """Each entry's own retry clock: exponential backoff, capped, and a limit of charged tries."""

    quarantine_after: int = QUARANTINE_AFTER
    backoff_s: float = 2.0
    max_backoff_s: float = 300.0

    def quarantines(self, verdict: Verdict, attempts: int) -> bool:
        return verdict == "refused" or attempts >= self.quarantine_after

    def delay_s(self, attempts: int) -> float:
        """Seconds before the next try after ``attempts`` charged tries (1, 2, …)."""
        return min(self.max_backoff_s, self.backoff_s * 2 ** (attempts - 1))


def token_digest(token: str | None) -> str:
    """What the outbox remembers of a refused token: its digest, never the token."""
    return hashlib.sha256((token or "").encode()).hexdigest()
