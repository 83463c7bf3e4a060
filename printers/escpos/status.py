"""``DLE EOT n`` real-time status bytes decoded into a printer health a person can act on.

Each reply is one byte with fixed bits (bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0). A missing reply or
a byte that breaks that pattern is *unknown*, never "paper out": a printer that did not answer has told
us nothing about its paper.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

FIXED_MASK = 0b1001_0011
FIXED_VALUE = 0b0001_0010
DLE_EOT = b"\x10\x04"


class HealthState(StrEnum):
    READY = "ready"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"
    UNKNOWN = "unknown"


MESSAGES: dict[HealthState, tuple[str, str, str]] = {
    HealthState.READY: ("PRN-READY", "프린터가 준비됐어요.", "Printer ready."),
    HealthState.PAPER_NEAR_END: (
        "PRN-PAPER-LOW",
        "용지가 곧 떨어져요. 직원에게 용지 교체를 부탁해 주세요.",
        "Paper is running low; staff should replace the roll.",
    ),
    HealthState.PAPER_OUT: (
        "PRN-PAPER-OUT",
        "용지가 없어요. 직원이 용지를 넣으면 이어서 인쇄해요.",
        "Out of paper; printing resumes when staff load a roll.",
    ),
    HealthState.COVER_OPEN: (
        "PRN-COVER-OPEN",
        "프린터 덮개가 열려 있어요. 덮개를 닫으면 이어서 인쇄해요.",
        "Printer cover open; printing resumes when it is closed.",
    ),
    HealthState.OFFLINE: (
        "PRN-OFFLINE",
        "프린터가 오프라인이에요. 직원에게 알려 주세요.",
        "Printer offline; please tell staff.",
    ),
    HealthState.ERROR: (
        "PRN-ERROR",
        "프린터에 오류가 있어요. 직원에게 알려 주세요.",
        "Printer error (cutter or mechanism); please tell staff.",
    ),
    HealthState.UNKNOWN: (
        "PRN-NO-ANSWER",
        "프린터가 응답하지 않아요. 연결을 확인하는 중이에요.",
        "The printer does not answer; its state is unknown.",
    ),
}


def valid_status_byte(value: int) -> bool:
    return 0 <= value <= 255 and (value & FIXED_MASK) == FIXED_VALUE


def decode_status(n: int, value: int | None) -> dict[str, bool] | None:
    """Flags of one ``DLE EOT n`` reply, or None when there was no valid reply."""
    if value is None or not valid_status_byte(value):
        return None
    bit = lambda i: bool(value & (1 << i))  # noqa: E731 - tiny local helper reads best inline
    if n == 1:
        return {"offline": bit(3), "waiting_recovery": bit(5)}
    if n == 2:
        return {"cover_open": bit(2), "feed_button": bit(3), "paper_end_stop": bit(5), "error": bit(6)}
    if n == 3:
        return {"recoverable_error": bit(2), "cutter_error": bit(3), "unrecoverable_error": bit(5)}
    if n == 4:
        return {"paper_near_end": bit(2) or bit(3), "paper_out": bit(5) or bit(6)}
    raise ValueError(f"DLE EOT n must be 1..4, got {n}")


@dataclass(frozen=True)
class PrinterHealth:
    """What the printer said; ``None`` for a sensor it did not report."""

    state: HealthState
    online: bool | None = None
    cover_open: bool | None = None
    paper_near_end: bool | None = None
    paper_out: bool | None = None
    error: bool | None = None
    raw: tuple[tuple[int, int | None], ...] = ()

    @property
    def can_print(self) -> bool:
        return self.state in (HealthState.READY, HealthState.PAPER_NEAR_END)

    @property
    def code(self) -> str:
        return MESSAGES[self.state][0]

    @property
    def message_ko(self) -> str:
        return MESSAGES[self.state][1]

    @property
    def message_en(self) -> str:
        return MESSAGES[self.state][2]

    def same_state(self, other: PrinterHealth | None) -> bool:
        return other is not None and (
            self.state,
            self.online,
            self.cover_open,
            self.paper_near_end,
            self.paper_out,
        ) == (
            other.state,
            other.online,
            other.cover_open,
            other.paper_near_end,
            other.paper_out,
        )


UNKNOWN = PrinterHealth(HealthState.UNKNOWN)


def health_from_replies(replies: Mapping[int, int | None]) -> PrinterHealth:
    """Combine the replies to ``DLE EOT 1..4`` (only those asked) into one health."""
    raw = tuple(sorted(replies.items()))
    decoded = {n: decode_status(n, value) for n, value in replies.items()}
    if any(flags is None for flags in decoded.values()) or 1 not in decoded:
        return PrinterHealth(HealthState.UNKNOWN, raw=raw)
    printer = decoded[1] or {}
    offline_cause = decoded.get(2) or {}
    errors = decoded.get(3) or {}
    paper = decoded.get(4)
    cover_open = offline_cause.get("cover_open") if 2 in decoded else None
    paper_out = None
    if paper is not None or 2 in decoded:
        paper_out = bool((paper or {}).get("paper_out")) or bool(offline_cause.get("paper_end_stop"))
    near_end = paper.get("paper_near_end") if paper is not None else None
    error = None
    if 2 in decoded or 3 in decoded:
        error = bool(offline_cause.get("error")) or any(errors.values())
    online = not printer["offline"]
    if cover_open:
        state = HealthState.COVER_OPEN
    elif paper_out:
        state = HealthState.PAPER_OUT
    elif error:
        state = HealthState.ERROR
    elif not online:
        state = HealthState.OFFLINE
    elif near_end:
        state = HealthState.PAPER_NEAR_END
    else:
        state = HealthState.READY
    return PrinterHealth(state, online, cover_open, near_end, paper_out, error, raw)
