"""Synthetic visits for hub tests (no real person: the RRNs are made-up but checksum-valid)."""

from __future__ import annotations

import hashlib
import math
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from db.pii import parse_rrn


def synthetic_rrn(seed: int) -> str:
    """A valid-looking synthetic RRN born 1960–1999 (the check digit is computed, not real)."""
    yy = 60 + seed % 40
    mm = 1 + seed % 12
    dd = 1 + seed % 28
    gender = 1 + seed % 2
    body = f"{yy:02d}{mm:02d}{dd:02d}{gender}{(seed * 7919) % 100000:05d}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = (11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11) % 10
    rrn = f"{body[:6]}-{body[6:]}{check}"
    parse_rrn(rrn)  # fails loudly if the rule above ever diverges from db.pii
    return rrn


def submission(seed: int = 1, *, visit_id: uuid.UUID | None = None, rrn: str | None = None) -> dict[str, Any]:
    doc_sha = hashlib.sha256(b"consent text v1").hexdigest()
    return {
        "visit_id": str(visit_id or uuid.uuid4()),
        "path": "consult",
        "language": "ko",
        "identity": {
            "method": "image",
            "document_kind": "resident_card",
            "result": "verified",
            "verifier": "emulated",
            "name": "홍길동",
            "rrn": rrn or synthetic_rrn(seed),
            "phone": "010-1234-5678",
        },
        "consent": {
            "items": {
                "collect_use": {"granted": True, "required": True},
                "marketing": {"granted": False, "required": False},
            },
            "text_version": "2025.1",
            "text_sha256": doc_sha,
            "method": "signature",
            "signature": {
                "points": [
                    {"x": 1, "y": 2, "t": 0},
                    {"x": 30, "y": 40, "t": 20},
                    {"x": 50, "y": 10, "t": 40},
                ],
                "device": "screen",
                "document_sha256": doc_sha,
                "record_sha256": hashlib.sha256(b"record").hexdigest(),
            },
        },
        "intake": {"questionnaire_version": "1", "answers": {"purpose": "debt", "annual_income": 24_000_000}},
        "match": {
            "catalogue_version": "test",
            "engine_version": "test",
            "verdicts": [
                {
                    "id": "ccrs.pre_workout",
                    "verdict": "eligible",
                    "reasons": [{"ko": "연체 45일", "en": "45 days overdue"}],
                }
            ],
        },
    }


# --- shapes a tester found to break the hub (issue 13): each must be a 4xx ---------------------------
# The two moments that overflowed when converted to UTC, and the zone-less time that reached the database.
FOUND_BAD_TIMES = ("0001-01-01T00:00+14:00", "9999-12-31T23:59:59-14:00", "2025-03-04T10:15:00")
# C0 controls, DEL, and a lone surrogate (no UTF-8 for it): PostgreSQL refuses NUL, nobody types the rest.
CONTROL_CHARACTERS = (*(chr(c) for c in (*range(0x00, 0x20), 0x7F)), "\ud800", "\udfff")


def bad_event_times() -> st.SearchStrategy[str]:
    """Event times the hub must refuse: no zone, or a year outside 2000–2100 with any offset up to ±14 h."""
    offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    # Hypothesis takes naive bounds (a zone is added below, or on purpose not at all).
    first, last = datetime(2000, 1, 1), datetime(2100, 12, 31)  # noqa: DTZ001
    naive = st.datetimes(min_value=first, max_value=last)
    far = st.datetimes(max_value=first - timedelta(days=1)) | st.datetimes(min_value=last + timedelta(days=2))
    return st.one_of(
        st.sampled_from(FOUND_BAD_TIMES),
        naive.map(datetime.isoformat),
        st.builds(lambda d, z: d.replace(tzinfo=z).isoformat(), far, offsets),
    )


def control_text(
    max_size: int = 31, *, multiline: bool = False, surrogates: bool = True
) -> st.SearchStrategy[str]:
    """Text with at least one refused control character (at most `max_size` characters).

    `multiline`: for fields that may span lines, so tab, CR and LF do not count as the bad one.
    `surrogates=False` where no client can send one (a URL carries UTF-8 only).
    """
    refused = [
        c
        for c in CONTROL_CHARACTERS
        if not (multiline and c in "\t\n\r") and (surrogates or not "\ud800" <= c <= "\udfff")
    ]
    side = st.text(max_size=(max_size - 1) // 2)
    # NUL half the time: it is the one PostgreSQL refuses outright.
    bad = st.just("\x00") | st.sampled_from(refused)
    return st.builds(lambda a, c, b: a + c + b, side, bad, side)


def unholdable_numbers() -> st.SearchStrategy[float | int]:
    """NaN and the infinities (as a careless client writes them), and integers no JSON reader holds."""
    huge = st.integers(min_value=2**53) | st.integers(max_value=-(2**53))
    return st.sampled_from([math.nan, math.inf, -math.inf]) | huge


def found_shapes() -> st.SearchStrategy[object]:
    """Any one of the shapes above, to put where a generated request had an ordinary value."""
    return st.one_of(bad_event_times(), control_text(), unholdable_numbers())


def _leaves(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _leaves(item, (*path, key))] or [path]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _leaves(item, (*path, i))] or [path]
    return [path]


def _replaced(value: Any, path: tuple[str | int, ...], new: object) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replaced(value[head], rest, new)}
    copy = list(value)
    copy[int(head)] = _replaced(copy[int(head)], rest, new)
    return copy


@st.composite
def with_a_found_shape(draw: st.DrawFn, body: Any) -> Any:
    """`body` (JSON) with one value replaced by a found shape, or `started_at` set to one."""
    if isinstance(body, dict) and "visit_id" in body and draw(st.booleans()):
        return {**body, "started_at": draw(bad_event_times())}
    path = draw(st.sampled_from(_leaves(body)))
    return _replaced(body, path, draw(found_shapes()))


def bad_query_values() -> st.SearchStrategy[str]:
    """For a query parameter: days no period arithmetic holds, or text with a control character."""
    return st.sampled_from(["0001-01-01", "0001-01-05", "9999-12-31"]) | control_text(surrogates=False)
