"""Queue and tickets: service lines from config, per-center daily numbering, the one wait rule, statuses,
transfers, and calling over several lines."""

from kiosk.queue.board import call_next_across, waiting_across
from kiosk.queue.lines import ServiceLine, load_service_lines, service_lines
from kiosk.queue.tickets import (
    CALLED,
    DONE,
    NO_SHOW,
    SERVING,
    STATUSES,
    TRANSFERRED,
    WAITING,
    QueueError,
    call_next,
    finish,
    issue_ticket,
    mark_no_show,
    requeue,
    start_serving,
    transfer,
    waiting_order,
)
from kiosk.queue.waits import LinePace, WaitEstimate, estimate_wait, line_pace, median_service_minutes

__all__ = [
    "CALLED",
    "DONE",
    "NO_SHOW",
    "SERVING",
    "STATUSES",
    "TRANSFERRED",
    "WAITING",
    "LinePace",
    "QueueError",
    "ServiceLine",
    "WaitEstimate",
    "call_next",
    "call_next_across",
    "estimate_wait",
    "finish",
    "issue_ticket",
    "line_pace",
    "load_service_lines",
    "mark_no_show",
    "median_service_minutes",
    "requeue",
    "service_lines",
    "start_serving",
    "transfer",
    "waiting_across",
    "waiting_order",
]
