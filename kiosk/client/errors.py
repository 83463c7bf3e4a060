"""What can go wrong talking to the hub, with messages a person can act on."""

from __future__ import annotations


class HubUnavailable(Exception):
    """The hub could not be reached (network, timeout, hub down): worth retrying later.

    ``status`` is the hub's 5xx when it answered one, None when no answer came at all.
    """

    message_ko = "허브에 연결할 수 없어요. 잠시 후 다시 시도해요."

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class HubRefused(Exception):
    """The hub answered with an error: the request was understood and refused; retrying won't help."""

    def __init__(self, status: int, code: str, message_ko: str, message_en: str) -> None:
        super().__init__(f"{status} {code}: {message_en}")
        self.status, self.code, self.message_ko, self.message_en = status, code, message_ko, message_en
