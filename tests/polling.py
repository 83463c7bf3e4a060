"""The one way a non-Qt test waits for something another thread or process does: poll with a deadline.

Qt tests use ``qtbot.waitUntil`` instead (it keeps the event loop turning while it waits).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T],
    timeout_s: float,
    *,
    interval_s: float = 0.05,
    message: str | Callable[[], str] = "",
) -> T:
    """Call ``predicate`` every ``interval_s`` until it returns something truthy, and return that.

    It is asked once more at the deadline, so a slow last poll is not lost. When it never holds,
    AssertionError says what was awaited (``message``, or what it returns when it is a callable: the
    state at the deadline) and for how long. An exception from the
    predicate (say, an assertion that a child process is still alive) ends the wait at once.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        left = deadline - time.monotonic()
        if left <= 0:
            break
        time.sleep(min(interval_s, left))  # the interval between polls, not a wait for a result
    said = message() if callable(message) else message
    raise AssertionError(f"{said or 'condition not met'} (within {timeout_s:g} s)")
