"""Queue and tickets: service lines from config, per-center daily numbering, waits, statuses, transfers."""

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
from kiosk.queue.waits import WaitEstimate, estimate_wait, median_service_minutes

__all__ = [
    "CALLED",
    "DONE",
    "NO_SHOW",
    "SERVING",
    "STATUSES",
    "TRANSFERRED",
    "WAITING",
    "QueueError",
    "ServiceLine",
    "WaitEstimate",
    "call_next",
    "estimate_wait",
    "finish",
    "issue_ticket",
    "load_service_lines",
    "mark_no_show",
    "median_service_minutes",
    "requeue",
    "service_lines",
    "start_serving",
    "transfer",
    "waiting_order",
]
