"""Fault suite, receipt printer: out of paper, cover open, silent and garbage, before a job and in the
middle of one. A ticket is never lost (it waits, or its failure is reported), never printed twice, and
every job ends in exactly one reported outcome.

Already covered in tests/printers (kept, not repeated here): paper out before a job then printed once
(test_spool::test_waits_through_paper_out_and_resumes), silent until the give-up time → PRN-TIMEOUT,
nothing printed (test_job_that_cannot_print_in_time_is_reported), a job interrupted by a crash never
resent (test_restart_resumes_pending_and_never_reprints_an_interrupted_job), health states for each
fault (test_emulator_and_health), garbage status bytes (test_status_and_parser)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from printers.escpos.emulator import EmulatedPrinter
from printers.escpos.spool import PrintSpool
from tests.printers.test_spool import MODEL, TICKET, Outcomes, make_spool

FAULTS = ("paper_out", "open_cover", "go_silent", "answer_garbage")


@pytest.fixture
def emulator() -> Iterator[EmulatedPrinter]:
    with EmulatedPrinter(MODEL, baud=115200) as emu:
        yield emu


def _watch(spool: PrintSpool) -> tuple[Outcomes, Outcomes]:
    done, failed = Outcomes(), Outcomes()
    spool.on_done.connect(done)
    spool.on_failed.connect(failed)
    return done, failed


def _fault_during_send(spool: PrintSpool, emulator: EmulatedPrinter, fault: str) -> None:
    """The fault strikes after the spool found the printer ready, as the job's bytes go out."""
    send = spool.printer.send

    def send_into_fault(payload: bytes) -> None:
        getattr(emulator, fault)()
        send(payload)

    spool.printer.send = send_into_fault  # type: ignore[method-assign]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("moment", ["before_job", "mid_job"])
def test_a_fault_that_clears_prints_the_ticket_exactly_once(
    sqlite_engine: Engine, emulator: EmulatedPrinter, fault: str, moment: str
) -> None:
    spool = make_spool(sqlite_engine, emulator)
    done, failed = _watch(spool)
    if moment == "before_job":
        getattr(emulator, fault)()
    else:
        _fault_during_send(spool, emulator, fault)
    with spool:
        job_id = spool.submit("ticket", TICKET)
        assert not done.wait(1, timeout=0.5)  # while the fault lasts nothing is reported done
        assert spool.status(job_id) in ("pending", "sending")
        if fault in ("paper_out", "open_cover"):
            assert emulator.jobs == []  # nothing torn off yet: held by the spool or by the printer
        emulator.recover()
        assert done.wait(1)
    assert [o.job_id for o in done.items] == [job_id] and failed.items == []
    assert spool.status(job_id) == "done"
    assert len(emulator.jobs) == 1 and "B-023" in emulator.jobs[0].text
    spool.printer.close()
    # A restart afterwards finds nothing to (re)print.
    again = make_spool(sqlite_engine, emulator)
    with again:
        assert not Outcomes().wait(1, timeout=0.3)
    assert len(emulator.jobs) == 1
    again.printer.close()


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_that_lasts_mid_job_is_reported_once_and_never_resent(
    sqlite_engine: Engine, emulator: EmulatedPrinter, fault: str
) -> None:
    spool = make_spool(sqlite_engine, emulator, give_up=0.8)
    done, failed = _watch(spool)
    _fault_during_send(spool, emulator, fault)
    with spool:
        job_id = spool.submit("ticket", TICKET)
        assert failed.wait(1)
    outcome = failed.items[0]
    assert [o.job_id for o in failed.items] == [job_id] and done.items == []
    assert outcome.code == "PRN-TIMEOUT" and outcome.message_ko  # the visitor is told, in Korean
    assert outcome.detail.startswith("sent")  # staff learn the bytes did go out: do not reprint blindly
    assert spool.status(job_id) == "failed"
    # Silent or garbage printers still print what they got; paper-out and cover-open hold it.
    assert len(emulator.jobs) == (1 if fault in ("go_silent", "answer_garbage") else 0)
    emulator.recover()  # held data comes out now, once; the spool does not send it again
    assert len(emulator.jobs) == 1
    spool.printer.close()
    again = make_spool(sqlite_engine, emulator)
    with again:
        assert not Outcomes().wait(1, timeout=0.3)
    assert len(emulator.jobs) == 1 and spool.status(job_id) == "failed"
    again.printer.close()


def test_garbage_before_a_job_that_never_clears_is_reported_not_printed(
    sqlite_engine: Engine, emulator: EmulatedPrinter
) -> None:
    emulator.answer_garbage()
    spool = make_spool(sqlite_engine, emulator, give_up=0.6)
    done, failed = _watch(spool)
    with spool:
        job_id = spool.submit("ticket", TICKET)
        assert failed.wait(1)
    assert failed.items[0].job_id == job_id and failed.items[0].code == "PRN-TIMEOUT"
    assert done.items == [] and emulator.jobs == [] and emulator.received_bytes.count(b"B-023") == 0
    assert spool.status(job_id) == "failed"
    spool.printer.close()
