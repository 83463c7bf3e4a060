"""The print spool: every job is stored before it is sent, sent at most once, confirmed by status.

A job is ``pending`` in the database before any byte goes out. The worker waits while the printer
cannot print (paper out, cover open, offline, no answer) and sends when it recovers. Before sending it
claims the job (``pending`` → ``sending`` in one conditional UPDATE), so two workers or a restart can
never print the same job id twice; a job found ``sending`` after a crash may already be on paper and
is reported, not reprinted. ``done`` only after the printer answered its status with no fault. A job
not done within ``give_up_after_s`` is reported through ``on_failed`` so the UI can offer the ticket
as a QR code or SMS instead.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from config.sections.printer import PrinterSection
from db.models.enums import PrintJobStatus
from db.models.operations import PrintJob
from printers.escpos.health import Event, HealthMonitor
from printers.escpos.status import HealthState, PrinterHealth
from printers.escpos.transport import PrinterLinkError, ReceiptPrinter

log = logging.getLogger(__name__)

# A job's life, in the spool's own short words (the enum lives in db.models.enums).
PENDING, SENDING, DONE, FAILED = (
    PrintJobStatus.PENDING,
    PrintJobStatus.SENDING,
    PrintJobStatus.DONE,
    PrintJobStatus.FAILED,
)

FAIL_MESSAGES = {
    "PRN-TIMEOUT": "번호표를 인쇄하지 못했어요. 화면의 QR 코드나 문자로 받아 주세요.",
    "PRN-INTERRUPTED": "인쇄 중에 프로그램이 멈췄어요. 이미 인쇄됐을 수 있어서 다시 인쇄하지 않았어요.",
    "PRN-LINK": "프린터에 연결할 수 없어요. 화면의 QR 코드나 문자로 받아 주세요.",
}


@dataclass(frozen=True)
class JobOutcome:
    job_id: uuid.UUID
    template: str
    status: str  # done | failed
    code: str = ""
    message_ko: str = ""
    detail: str = ""


class PrintSpool:
    """Runs one worker thread for one printer; ``submit`` returns at once with the stored job id."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        printer: ReceiptPrinter,
        *,
        give_up_after_s: float = 45.0,
        retry_interval_s: float = 0.25,
        health_interval_s: float = 2.0,
    ) -> None:
        self.sessions = sessions
        self.printer = printer
        self.give_up_after = timedelta(seconds=give_up_after_s)
        self.retry_interval_s = retry_interval_s
        self.health = HealthMonitor(printer, interval_s=health_interval_s)
        self.on_done: Event[JobOutcome] = Event()
        self.on_failed: Event[JobOutcome] = Event()
        self.printer_name = f"{printer.model.name}@{printer.port}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.owns_printer = False

    @classmethod
    def from_settings(
        cls, sessions: sessionmaker[Session], section: PrinterSection, *, port: str | None = None
    ) -> PrintSpool:
        """The configured printer model on ``port`` (default: the configured port); closes it on stop."""
        printer = ReceiptPrinter.open(
            port or section.port,
            section.model,
            baud=section.baud,
            status_timeout_s=section.status_timeout_s,
            substitute=section.substitute_char,
        )
        spool = cls(
            sessions,
            printer,
            give_up_after_s=section.give_up_after_s,
            health_interval_s=section.poll_interval_s,
        )
        spool.owns_printer = True
        return spool

    # -- public API --------------------------------------------------------------------------------
    def submit(self, template: str, fields: Mapping[str, Any]) -> uuid.UUID:
        """Render (template errors raise here, to the caller) and store the job; the worker prints it."""
        rendered = self.printer.render(template, fields)
        job = PrintJob(printer=self.printer_name, template=template, payload=rendered.payload, status=PENDING)
        with self.sessions.begin() as session:
            session.add(job)
            session.flush()
            job_id = job.id
        for warning in rendered.warnings:
            log.warning("print job %s: %s", job_id, warning)
        self._wake.set()
        return job_id

    def status(self, job_id: uuid.UUID) -> str:
        with self.sessions() as session:
            job = session.get(PrintJob, job_id)
            return job.status if job is not None else "missing"

    def start(self) -> PrintSpool:
        """Recover from a previous run, then print pending jobs in the order they were stored."""
        self._recover_interrupted()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="print-spool", daemon=True)
        self._thread.start()
        self.health.start()  # health events flow while the spool is idle too
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self.health.stop()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self.owns_printer:
            self.printer.close()

    def __enter__(self) -> PrintSpool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- worker --------------------------------------------------------------------------------------
    def _recover_interrupted(self) -> None:
        with self.sessions.begin() as session:
            stuck = session.scalars(
                select(PrintJob).where(PrintJob.printer == self.printer_name, PrintJob.status == SENDING)
            ).all()
            for job in stuck:
                job.status, job.last_error = FAILED, "PRN-INTERRUPTED"
        for job in stuck:
            self._report(
                job.id, job.template, FAILED, "PRN-INTERRUPTED", "was sending when the spool stopped"
            )

    def _next_pending(self) -> tuple[uuid.UUID, str, bytes, datetime] | None:
        with self.sessions() as session:
            job = session.scalars(
                select(PrintJob)
                .where(PrintJob.printer == self.printer_name, PrintJob.status == PENDING)
                .order_by(PrintJob.created_at)
                .limit(1)
            ).first()
            return (job.id, job.template, job.payload, job.created_at) if job else None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                job = self._next_pending()
            except Exception:
                log.exception("print spool cannot read its jobs")
                job = None
            if job is None:
                self._wake.wait(self.retry_interval_s * 4)
                self._wake.clear()
                continue
            try:
                self._print(*job)
            except Exception:
                log.exception("print job %s failed unexpectedly", job[0])
                self._finish(job[0], job[1], FAILED, "PRN-LINK", "unexpected error")

    def _wait_until_ready(self, deadline: datetime) -> PrinterHealth | None:
        while not self._stop.is_set():
            health = self.health.poll_once()
            if health.can_print:
                return health
            if datetime.now(UTC) >= deadline:
                return health
            self._stop.wait(self.retry_interval_s)
        return None

    def _print(self, job_id: uuid.UUID, template: str, payload: bytes, created_at: datetime) -> None:
        deadline = created_at + self.give_up_after
        health = self._wait_until_ready(deadline)
        if health is None:
            return  # stopping: the job stays pending and resumes on the next start
        if not health.can_print:
            self._finish(job_id, template, FAILED, "PRN-TIMEOUT", f"printer {health.state} (not sent)")
            return
        if not self._claim(job_id):
            return  # another worker has it
        try:
            self.printer.send(payload)
        except PrinterLinkError as exc:
            self._finish(job_id, template, FAILED, "PRN-LINK", str(exc))
            return
        # Sent: the printer keeps the data through paper-out or an open cover; wait for it to finish.
        while True:
            health = self.health.poll_once()
            if health.can_print:
                self._finish(job_id, template, DONE)
                return
            if self._stop.is_set():
                return  # stays "sending": the next start reports it as interrupted, never resends it
            if datetime.now(UTC) >= deadline:
                detail = f"sent, printer reports {health.state}"
                if health.state is HealthState.UNKNOWN:
                    detail = "sent, printer gave no status"
                self._finish(job_id, template, FAILED, "PRN-TIMEOUT", detail)
                return
            self._stop.wait(self.retry_interval_s)

    def _claim(self, job_id: uuid.UUID) -> bool:
        with self.sessions.begin() as session:
            result = session.execute(
                update(PrintJob)
                .where(PrintJob.id == job_id, PrintJob.status == PENDING)
                .values(status=SENDING, attempts=PrintJob.attempts + 1, sent_at=datetime.now(UTC))
            )
            return bool(getattr(result, "rowcount", 0) == 1)

    def _finish(
        self, job_id: uuid.UUID, template: str, status: PrintJobStatus, code: str = "", detail: str = ""
    ) -> None:
        with self.sessions.begin() as session:
            job = session.get(PrintJob, job_id)
            if job is not None:
                job.status = status
                job.last_error = f"{code}: {detail}" if code else None
                if status == DONE:
                    job.done_at = datetime.now(UTC)
        self._report(job_id, template, status, code, detail)

    def _report(
        self, job_id: uuid.UUID, template: str, status: PrintJobStatus, code: str, detail: str
    ) -> None:
        outcome = JobOutcome(job_id, template, status, code, FAIL_MESSAGES.get(code, ""), detail)
        log.info("print job %s %s %s %s", job_id, status, code, detail)
        (self.on_done if status == DONE else self.on_failed).emit(outcome)
