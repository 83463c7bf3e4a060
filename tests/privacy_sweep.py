"""After the whole run: no file any test wrote holds an RRN or a phone number in clear.

Every test's files live under pytest's base temporary directory (databases, WAL files, outboxes, key
files, logs, archives, receipts, exports). When the session ends, the controller (or the only process,
without xdist) reads every one of them as bytes and looks for RRN- and phone-shaped text with the same
RRN rule the rest of the code uses (``db.pii.parse_rrn``: a real birth date and gender digit) and
the mobile-number shape; digit runs glued to hex letters (UUIDs, digests) are identifiers. A hit fails the run
and names the file, so "encrypted at rest, everywhere" is checked on what the suite really produced,
not on a list of places someone remembered.

``KIOSK_PRIVACY_SWEEP=0`` turns it off for a quick local run of a few tests.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from db.pii import InvalidRRN, mask_pii_text, parse_rrn

_MAX_BYTES = 64 * 1024 * 1024
# Candidates: 13 digits (RRN, hyphen optional) or a mobile number, not glued to other digits.
# Not after "N." either: SQLite lays a timestamp's microseconds (…:54.011659) right before the next
# column's digits (2026-12-01), which would read as 011-6592-0261.
_RRN = re.compile(rb"(?<![0-9])(?<![0-9]\.)([0-9]{6})-?([1-8][0-9]{6})(?![0-9])")
_PHONE = re.compile(rb"(?<![0-9])(?<![0-9]\.)01[016789][ .-]?[0-9]{3,4}[ .-]?[0-9]{4}(?![0-9])")
_HEX = b"0123456789abcdefABCDEF"


def _inside_hex_run(data: bytes, start: int, end: int) -> bool:
    """SQLite stores UUIDs as 32 hex digits right beside the next column (often a timestamp), so a
    digit run that touches a hex letter is part of an identifier, not a number someone typed."""
    before = data[start - 1 : start]
    after = data[end : end + 1]
    return (before != b"" and before in _HEX) or (after != b"" and after in _HEX and after.isalpha())


def clear_pii_in(data: bytes) -> list[str]:
    """The RRNs (a real birth date and a gender digit) and mobile numbers in ``data``, in clear."""
    found = []
    for match in _RRN.finditer(data):
        if _inside_hex_run(data, match.start(), match.end()):
            continue
        try:
            parse_rrn(match.group(1).decode() + match.group(2).decode(), today=date(2100, 1, 1))
        except InvalidRRN:
            continue
        found.append(match.group(0).decode("ascii"))
    for match in _PHONE.finditer(data):
        if not _inside_hex_run(data, match.start(), match.end()):
            found.append(match.group(0).decode("ascii"))
    return found


def _sweep(root: Path) -> list[str]:
    offenders = []
    for path in sorted(root.rglob("*")):
        try:
            if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        hits = clear_pii_in(data)
        if hits:
            offenders.append(f"{path.relative_to(root)}: {len(hits)} in clear, e.g. {mask_pii_text(hits[0])}")
    return offenders


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("KIOSK_PRIVACY_SWEEP", "1") == "0" or hasattr(session.config, "workerinput"):
        return  # xdist workers write under the controller's base directory; the controller sweeps once
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    root = factory.getbasetemp()
    offenders = _sweep(root)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("-", "privacy sweep of every file the tests wrote")
        reporter.write_line(f"{root}: {len(offenders)} file(s) with an RRN or phone number in clear")
        for line in offenders[:50]:
            reporter.write_line(f"  {line}")
    if offenders:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
