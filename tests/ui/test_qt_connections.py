"""Signals connect to bound methods, never to lambdas.

A lambda that captures a widget keeps it alive after Qt deletes it and is never disconnected with its
receiver (PySide6 cannot tie a lambda to an object's lifetime), so a late signal runs against a dead
screen - the kind of crash that shows on the 500th visitor, not in a test. docs/ARCHITECTURE.md states
the rule; this keeps it true.
"""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
LAMBDA_CONNECT = re.compile(r"\.connect\(\s*lambda\b")


def test_no_signal_is_connected_to_a_lambda() -> None:
    offenders = [
        f"{path.relative_to(UI.parent)}:{number}"
        for path in sorted(UI.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if LAMBDA_CONNECT.search(line)
    ]
    assert offenders == [], "connect a bound method instead of a lambda:\n" + "\n".join(offenders)
