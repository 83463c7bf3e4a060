"""Delivery reports into the outbox's rows: queued off the backend's thread, written in batches.

A backend calls ``put`` from its own thread (an SMPP reader also answers submits, so it must never wait
for a database commit); one writer thread stores what arrived together in one transaction. A report can
beat the commit that gives its row the gateway id (a DLR with no delay, or a submit whose answer was
lost): it is stored as an early report (``sms_early_report``) and applied by ``claim`` when a row gets
that id — in this process or, after a crash, in the next. A repeated or late report never undoes a
final status. Early reports nobody claims are dropped after a week.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import SmsEarlyReport, SmsMessage, SmsStatus
from kiosk.sms.gateway import DeliveryReport, DeliveryStatus
from kiosk.sms.outbox_view import FINAL

log = logging.getLogger("kiosk.sms")

EARLY_KEPT_FOR = timedelta(days=7)
_BY_REPORT = {DeliveryStatus.DELIVRD: SmsStatus.DELIVERED, DeliveryStatus.EXPIRED: SmsStatus.EXPIRED}


def apply_to(row: SmsMessage, report: DeliveryReport) -> None:
    """One report onto its message; a final status is never undone."""
    if row.status in FINAL:
        return
    row.delivery_status, row.delivery_error = report.status.value, (report.error or "")[:20] or None
    row.delivered_at = report.at
    if report.status.final:
        row.status = _BY_REPORT.get(report.status, SmsStatus.FAILED)
        row.text_enc = None  # delivered or given up: the text (a code, a masked name) is not kept


def rows_by_gateway_id(session: Session, gateway_ids: Iterable[str]) -> dict[str, list[SmsMessage]]:
    found: dict[str, list[SmsMessage]] = {}
    wanted = sorted(set(gateway_ids))
    if wanted:
        for row in session.scalars(select(SmsMessage).where(SmsMessage.gateway_id.in_(wanted))):
            found.setdefault(row.gateway_id or "", []).append(row)
    return found


class ReportLedger:
    def __init__(self, sessions: sessionmaker[Session], lock: threading.Lock) -> None:
        self.sessions, self.lock = sessions, lock  # the outbox's lock: row commit vs. its report
        self.arrived = threading.Condition()
        self._queue: queue.Queue[DeliveryReport | None] = queue.Queue()
        self._writer = threading.Thread(target=self._run, name="sms-reports", daemon=True)
        self._writer.start()

    def put(self, report: DeliveryReport) -> None:
        if self._writer.is_alive():
            self._queue.put(report)
        else:  # the outbox closed before its backend: a late receipt is still written, on this thread
            self._store([report])

    @staticmethod
    def claim(session: Session, sent: dict[str, SmsMessage]) -> None:
        """Rows just given these gateway ids, in the caller's transaction (caller holds the lock):
        apply the reports that came first, and forget them."""
        if not sent:
            return
        early = list(
            session.scalars(
                select(SmsEarlyReport)
                .where(SmsEarlyReport.gateway_id.in_(sorted(sent)))
                .order_by(SmsEarlyReport.created_at)
            )
        )
        for row in early:
            report = DeliveryReport(row.gateway_id, DeliveryStatus(row.status), row.at, row.error or "")
            apply_to(sent[row.gateway_id], report)
        if early:
            session.execute(delete(SmsEarlyReport).where(SmsEarlyReport.id.in_([r.id for r in early])))

    @staticmethod
    def forget_old(session: Session, now: datetime) -> None:
        session.execute(delete(SmsEarlyReport).where(SmsEarlyReport.created_at < now - EARLY_KEPT_FOR))

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._store([r for r in batch if r is not None])
            if None in batch:
                return

    def _store(self, batch: list[DeliveryReport]) -> None:
        if batch:
            try:
                with self.lock, self.sessions() as session:
                    rows = rows_by_gateway_id(session, (r.gateway_id for r in batch))
                    for report in batch:
                        for row in rows.get(report.gateway_id, []):
                            apply_to(row, report)
                        if report.gateway_id not in rows:
                            session.add(
                                SmsEarlyReport(
                                    gateway_id=report.gateway_id[:80],
                                    status=report.status.value,
                                    error=(report.error or "")[:20] or None,
                                    at=report.at,
                                )
                            )
                    session.commit()
            except Exception:  # the writer lives on; the message stays "sent" without its report
                log.exception("SMS delivery reports could not be stored")
        with self.arrived:
            self.arrived.notify_all()

    def close(self) -> None:
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join(timeout=10)
