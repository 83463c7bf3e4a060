"""`kiosk bench sms`: messages per second through each backend to its emulator, submit → delivery-report
latency, and what a gateway restart and a process restart mid-run cost (messages lost, or sent twice).

Everything goes through the real outbox on a temporary SQLite database (``synchronous=FULL``, as in a
center), ``concurrency`` = the SMPP window, so the figure is the outbox's, not only the socket's.
Latency is measured in this process: from the moment the outbox hands a message to the backend until its
final delivery report reaches the outbox's handler. "Lost" and "twice" are counted on the emulated
phones: each message carries its own number, and each must be on a phone exactly once.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.crypto import KeyRing
from db.models import SmsMessage, SmsStatus
from kiosk.sms.check import BACKENDS, SENDER, TEST_PHONE, EmulatedBackend, scratch_database
from kiosk.sms.gateway import (
    DeliveryReport,
    InboundHandler,
    OutgoingMessage,
    ReportHandler,
    SmsGateway,
    Submitted,
)
from kiosk.sms.outbox import SmsOutbox

TARGETS = {"smpp_messages_per_s": 200, "p95_submit_to_report_ms": 100, "lost": 0, "duplicated": 0}


class TimedGateway:
    """Wraps a backend: when each message went in, when its final report came back (monotonic)."""

    def __init__(self, inner: SmsGateway) -> None:
        self.inner, self.name = inner, inner.name
        self.submitted: dict[str, float] = {}
        self.reported: dict[str, float] = {}
        self._handlers: list[ReportHandler] = []
        self._lock = threading.Lock()
        inner.on_report(self._report)

    def submit(self, message: OutgoingMessage) -> Submitted:
        started = time.perf_counter()
        result = self.inner.submit(message)
        with self._lock:
            self.submitted.setdefault(result.gateway_id, started)
        return result

    def _report(self, report: DeliveryReport) -> None:
        if report.status.final:
            with self._lock:
                self.reported.setdefault(report.gateway_id, time.perf_counter())
        for handler in self._handlers:
            handler(report)

    def on_report(self, handler: ReportHandler) -> None:
        self._handlers.append(handler)

    def on_inbound(self, handler: InboundHandler) -> None:
        self.inner.on_inbound(handler)

    def close(self) -> None:
        self.inner.close()

    def latencies_ms(self) -> list[float]:
        with self._lock:
            return sorted(
                (self.reported[g] - t) * 1000 for g, t in self.submitted.items() if g in self.reported
            )


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 2)


def _enqueue(outbox: SmsOutbox, sessions: sessionmaker[Session], tag: str, count: int) -> list[str]:
    """``count`` ticket messages, each with its own number (``tag`` + n), stored in one transaction."""
    with sessions() as session:
        ids = [
            outbox.enqueue("ticket_soon", {"ticket": f"{tag}{n:04d}"}, TEST_PHONE, session=session)
            for n in range(count)
        ]
        session.commit()
    return ids


def _taken(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        n = session.scalar(select(func.count(SmsMessage.id)).where(SmsMessage.status != SmsStatus.QUEUED))
        return int(n or 0)


def _restart_gateway(backend: EmulatedBackend) -> str:
    """Stop the emulated gateway and start it again where it was; how (for the report)."""
    emulator = backend.emulator
    if backend.name == "smpp":
        emulator.stop()  # every connection drops; stored receipts wait for the next bind
        emulator.start()
        return "smsc stopped and started (connections dropped)"
    port = int(str(emulator.base_url).rsplit(":", 1)[1].split("/")[0])
    emulator.stop()  # requests in flight are cut; what it accepted it keeps (and delivers)
    emulator.start(port)
    return "provider stopped and started (requests in flight cut)"


def _restart_run(
    name: str, sessions: sessionmaker[Session], keys: KeyRing, count: int, window: int
) -> dict[str, Any]:
    """A third of the way through, the gateway restarts; at two thirds our process does (the outbox and
    the backend go away, new ones take over the same database)."""
    backend = EmulatedBackend(name, window=window)
    outbox = SmsOutbox(
        sessions, backend.start(), keys, sender=SENDER, daytime_hours=(0, 24), concurrency=window
    )
    before, tag = _taken(sessions), f"{name[0].upper()}"
    ids = _enqueue(outbox, sessions, tag, count)
    worker = threading.Thread(target=outbox.drain, args=(60.0,), name="sms-bench-drain")
    worker.start()
    tick = threading.Event()
    while _taken(sessions) - before < count // 3 and worker.is_alive():
        tick.wait(0.002)
    how = _restart_gateway(backend)
    while _taken(sessions) - before < 2 * count // 3 and worker.is_alive():
        tick.wait(0.002)
    outbox.stopping.set()
    worker.join(timeout=60)
    outbox.close()
    again = SmsOutbox(
        sessions, backend.connect(), keys, sender=SENDER, daytime_hours=(0, 24), concurrency=window
    )
    again.drain(60.0)
    views = again.wait_final(ids, 30.0)
    again.close()
    texts = [t for t in backend.phone_texts() if tag in t]
    backend.stop()
    on_phones = Counter(f"{tag}{n:04d}번" for n in range(count) for t in texts if f"{tag}{n:04d}번" in t)
    return {
        "messages": count,
        "gateway_restart": how,
        "process_restart": "outbox and backend closed mid-run; new ones over the same database",
        "lost": sum(1 for n in range(count) if on_phones[f"{tag}{n:04d}번"] == 0),
        "duplicated": sum(c - 1 for c in on_phones.values() if c > 1),
        "delivered_reports": sum(1 for v in views if v.delivery_status == "DELIVRD"),
    }


def _throughput_run(
    name: str, sessions: sessionmaker[Session], keys: KeyRing, count: int, window: int, reports: str = "poll"
) -> dict[str, Any]:
    backend = EmulatedBackend(name, window=window, reports=reports)
    timed = TimedGateway(backend.start())
    outbox = SmsOutbox(sessions, timed, keys, sender=SENDER, daytime_hours=(0, 24), concurrency=window)
    try:
        ids = _enqueue(outbox, sessions, "T", count)
        cpu0, started = time.process_time(), time.perf_counter()
        report = outbox.drain(120.0)
        sent_s = time.perf_counter() - started
        views = outbox.wait_final(ids, 30.0)
        final_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu0
    finally:
        outbox.close()
        backend.stop()
    latencies = timed.latencies_ms()
    return {
        "backend": name,
        "reports": "deliver_sm" if name == "smpp" else reports,
        "messages": count,
        "window": window,
        "sent": report.sent,
        "messages_per_s": round(report.sent / sent_s, 1) if sent_s else None,
        "delivered_per_s": round(sum(1 for v in views if v.delivery_status == "DELIVRD") / final_s, 1),
        "submit_to_report_ms": {
            "p50": _percentile(latencies, 50),
            "p95": _percentile(latencies, 95),
            "reports": len(latencies),
        },
        "cpu_s": round(cpu_s, 2),
    }


def run_bench(
    messages: int = 1000, restart_messages: int = 300, window: int = 10, backends: tuple[str, ...] = BACKENDS
) -> dict[str, Any]:
    keys = KeyRing.generate()
    results = []
    with scratch_database() as sessions:
        for name in backends:
            result = _throughput_run(name, sessions, keys, messages, window)
            result["restart"] = _restart_run(name, sessions, keys, restart_messages, window)
            results.append(result)
            if name == "http":  # the provider's webhook instead of polling: reports without the poll's wait
                results.append(_throughput_run(name, sessions, keys, messages, window, reports="webhook"))
    return {
        "bench": "sms",
        "targets": TARGETS,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "results": results,
    }
