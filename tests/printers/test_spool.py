"""The spool on SQLite and PostgreSQL against the emulator: stored first, printed once, resumed."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from db.models.operations import PrintJob
from db.session import make_sessionmaker
from printers.escpos.emulator import EmulatedPrinter
from printers.escpos.samples import SAMPLE_FIELDS
from printers.escpos.spool import JobOutcome, PrintSpool
from printers.escpos.transport import ReceiptPrinter

MODEL = "bixolon-srp-350iii"
TICKET = SAMPLE_FIELDS["ticket"]


class Outcomes:
    def __init__(self) -> None:
        self.items: list[JobOutcome] = []
        self.arrived = threading.Condition()

    def __call__(self, outcome: JobOutcome) -> None:
        with self.arrived:
            self.items.append(outcome)
            self.arrived.notify_all()

    def wait(self, count: int, timeout: float = 10) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.items) >= count, timeout)


@pytest.fixture
def emulator() -> Iterator[EmulatedPrinter]:
    with EmulatedPrinter(MODEL, baud=115200) as emu:
        yield emu


def make_spool(engine: Engine, emulator: EmulatedPrinter, give_up: float = 10.0) -> PrintSpool:
    printer = ReceiptPrinter.open(emulator.port_name, MODEL, baud=115200, status_timeout_s=0.2)
    return PrintSpool(make_sessionmaker(engine), printer, give_up_after_s=give_up, retry_interval_s=0.05)


def test_job_is_stored_printed_and_marked_done(engine: Engine, emulator: EmulatedPrinter) -> None:
    spool = make_spool(engine, emulator)
    done = Outcomes()
    spool.on_done.connect(done)
    job_id = spool.submit("ticket", TICKET)
    assert spool.status(job_id) == "pending"  # stored before anything was sent
    assert emulator.received_bytes == b""
    with spool:
        assert done.wait(1)
    assert done.items[0].job_id == job_id and spool.status(job_id) == "done"
    assert len(emulator.jobs) == 1 and "B-023" in emulator.jobs[0].text
    spool.printer.close()


def test_waits_through_paper_out_and_resumes(engine: Engine, emulator: EmulatedPrinter) -> None:
    emulator.paper_out()
    spool = make_spool(engine, emulator)
    done = Outcomes()
    spool.on_done.connect(done)
    with spool:
        job_id = spool.submit("ticket", TICKET)
        assert not done.wait(1, timeout=0.5)
        assert spool.status(job_id) == "pending" and emulator.jobs == []
        emulator.recover()
        assert done.wait(1)
    assert spool.status(job_id) == "done" and len(emulator.jobs) == 1
    spool.printer.close()


def test_job_that_cannot_print_in_time_is_reported(engine: Engine, emulator: EmulatedPrinter) -> None:
    emulator.go_silent()
    spool = make_spool(engine, emulator, give_up=0.6)
    failed = Outcomes()
    spool.on_failed.connect(failed)
    with spool:
        job_id = spool.submit("ticket", TICKET)
        assert failed.wait(1)
    outcome = failed.items[0]
    assert outcome.job_id == job_id and outcome.code == "PRN-TIMEOUT" and "QR" in outcome.message_ko
    assert spool.status(job_id) == "failed" and emulator.jobs == []
    spool.printer.close()


def test_restart_resumes_pending_and_never_reprints_an_interrupted_job(
    engine: Engine, emulator: EmulatedPrinter
) -> None:
    first = make_spool(engine, emulator)
    pending_id = first.submit("ticket", TICKET)  # stored, then the kiosk "crashed" before sending
    first.printer.close()
    sessions: sessionmaker = make_sessionmaker(engine)
    interrupted_id = uuid.uuid4()
    with sessions.begin() as session:
        session.add(
            PrintJob(
                id=interrupted_id,
                printer=first.printer_name,
                template="ticket",
                payload=b"\x1b@X\n\x1dV\x00",
                status="sending",
            )
        )
    second = make_spool(engine, emulator)
    done, failed = Outcomes(), Outcomes()
    second.on_done.connect(done)
    second.on_failed.connect(failed)
    with second:
        assert done.wait(1) and failed.wait(1)
    assert done.items[0].job_id == pending_id
    assert failed.items[0].job_id == interrupted_id and failed.items[0].code == "PRN-INTERRUPTED"
    assert len(emulator.jobs) == 1 and b"X\n" not in emulator.received_bytes
    second.printer.close()


def test_two_spools_on_one_database_print_a_job_once(engine: Engine, emulator: EmulatedPrinter) -> None:
    # Two kiosks' workers sharing one job queue (same printer name), each with its own port.
    with EmulatedPrinter(MODEL, baud=115200) as other:
        spools = [make_spool(engine, emulator), make_spool(engine, other)]
        spools[1].printer_name = spools[0].printer_name
        done = Outcomes()
        for spool in spools:
            spool.on_done.connect(done)
        ids = [spools[0].submit("ticket", {**TICKET, "ticket_number": f"B-{n:03d}"}) for n in range(4)]
        for spool in spools:
            spool.start()
        try:
            assert done.wait(4)
        finally:
            for spool in spools:
                spool.stop()
                spool.printer.close()
        printed = [job.text for job in emulator.jobs + other.jobs]
    with make_sessionmaker(engine)() as session:
        statuses = session.scalars(select(PrintJob.status).where(PrintJob.id.in_(ids))).all()
    assert sorted(statuses) == ["done"] * 4
    assert sorted(o.job_id for o in done.items) == sorted(ids)
    assert len(printed) == 4 and all(any(f"B-{n:03d}" in text for text in printed) for n in range(4))


def test_spool_from_settings_reports_health_changes_while_idle(
    engine: Engine, emulator: EmulatedPrinter
) -> None:
    from config.sections.printer import PrinterSection
    from printers.escpos.status import HealthState, PrinterHealth

    section = PrinterSection(port=emulator.port_name, baud=115200, poll_interval_s=0.05, status_timeout_s=1.0)
    spool = PrintSpool.from_settings(make_sessionmaker(engine), section)
    states: list[HealthState] = []
    changed = threading.Condition()

    def seen(health: PrinterHealth) -> None:
        with changed:
            states.append(health.state)
            changed.notify_all()

    spool.health.subscribe(seen)
    with spool:
        with changed:
            assert changed.wait_for(lambda: HealthState.READY in states, 5)
        emulator.open_cover()
        with changed:
            assert changed.wait_for(lambda: HealthState.COVER_OPEN in states, 5)
    assert states == [HealthState.READY, HealthState.COVER_OPEN]
