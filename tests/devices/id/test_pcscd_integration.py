"""pyscard → the real pcscd → vsmartcard-vpcd → the virtual ePassport, and back.

One pcscd and one vpcd port per machine: every test here is in xdist group "pcscd"."""

from __future__ import annotations

import json
import queue
import time

import pytest

from devices.id.emulators.vicc import PassportHolder, VirtualPassport, VpcdCard
from devices.id.image.mrz import parse_td3
from devices.id.model import CardPresent, CardRemoved, IdError, IdEvent, ReadError, Reading, ReadResult
from devices.id.pcsc.emrtd import BacKey
from devices.id.pcsc.reader import PcscIdReader, read_passport_on, wait_for_card
from devices.id.pcsc.service import PcscdProcess, pcscd_answers, reader_names

pytestmark = [pytest.mark.pcscd, pytest.mark.xdist_group("pcscd")]

READER = "Virtual PCD 00 00"
HOLDER = PassportHolder(surname="PARK", given_names="SEOYEON", document_number="M31415926", birth="011231",
                        sex="F", expiry="300101")  # fmt: skip
KEY = BacKey.from_td3(parse_td3(HOLDER.mrz))


def test_the_vpcd_readers_appear(pcscd: PcscdProcess) -> None:
    names = reader_names()
    assert READER in names


def test_reads_dg1_through_pcscd(pcscd: PcscdProcess) -> None:
    with VpcdCard(VirtualPassport(HOLDER)):
        assert wait_for_card(READER, timeout=20)
        data = read_passport_on(READER, KEY)
    assert data.mrz.name == "PARK SEOYEON"
    assert data.mrz.document_number == "M31415926"
    assert data.ef_com.lds_version == "0107"


def test_wrong_mrz_through_pcscd(pcscd: PcscdProcess) -> None:
    with VpcdCard(VirtualPassport(HOLDER)):
        assert wait_for_card(READER, timeout=20)
        with pytest.raises(IdError) as info:
            read_passport_on(READER, BacKey("M31415926", "011230", "300101"))
    assert info.value.code == "wrong_mrz"


def test_no_card_in_the_reader(pcscd: PcscdProcess) -> None:
    with pytest.raises(IdError) as info:
        read_passport_on(READER, KEY)
    assert info.value.code == "no_card_in_reader"


def test_no_such_reader(pcscd: PcscdProcess) -> None:
    with pytest.raises(IdError) as info:
        read_passport_on("Reader That Is Not There", KEY)
    assert info.value.code == "no_reader"


class RemovedMidRead(VpcdCard):
    """Pulls itself out of the field after a few APDUs, as a hand lifting the passport."""

    def __init__(self, passport: VirtualPassport, after: int) -> None:
        super().__init__(passport)
        self.after = after
        self.seen = 0

    def handle(self, payload: bytes) -> bytes | None:
        if len(payload) > 1:
            self.seen += 1
            if self.seen > self.after:
                self._stop.set()  # the serve loop ends and the socket closes: card removed
                assert self._sock is not None
                self._sock.close()
                return None
        return super().handle(payload)


def test_card_removed_mid_read(pcscd: PcscdProcess) -> None:
    card = RemovedMidRead(VirtualPassport(HOLDER), after=5)
    card.insert()
    try:
        assert wait_for_card(READER, timeout=20)
        with pytest.raises(IdError) as info:
            read_passport_on(READER, KEY)
        assert info.value.code == "card_removed", info.value.detail
    finally:
        card._sock = None
        card.remove()


def _next(events: queue.Queue[IdEvent], kind: type, timeout: float = 15) -> IdEvent:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            event = events.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if isinstance(event, kind):
            return event
    raise AssertionError(f"no {kind.__name__} within {timeout}s")


def test_monitor_reports_insert_read_and_removal(pcscd: PcscdProcess) -> None:
    events: queue.Queue[IdEvent] = queue.Queue()
    reader = PcscIdReader(lambda: KEY, reader_filter=READER, poll_ms=100)
    reader.subscribe(events.put)
    reader.start()
    try:
        card = VpcdCard(VirtualPassport(HOLDER))
        card.insert()
        try:
            assert isinstance(_next(events, CardPresent), CardPresent)
            _next(events, Reading)
            result = _next(events, ReadResult)
            assert isinstance(result, ReadResult)
            assert result.document.name == "PARK SEOYEON"
            assert result.document.verified is False
        finally:
            card.remove()
        assert isinstance(_next(events, CardRemoved), CardRemoved)
    finally:
        reader.stop()


def test_monitor_reports_pace_only(pcscd: PcscdProcess) -> None:
    events: queue.Queue[IdEvent] = queue.Queue()
    reader = PcscIdReader(lambda: KEY, reader_filter=READER, poll_ms=100)
    reader.subscribe(events.put)
    reader.start()
    try:
        with VpcdCard(VirtualPassport(HOLDER, fault="pace_only")):
            error = _next(events, ReadError)
            assert isinstance(error, ReadError)
            assert (error.code, error.message_ko) == ("pace_only", "이 신분증은 지원하지 않는 방식입니다")
    finally:
        reader.stop()


def test_cli_emulated_passport_prints_dg1(pcscd: PcscdProcess, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["devices", "id", "--emulated-passport", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dg1"]["surname"] == "HONG"
    assert out["dg1"]["document_number"] == "M12345678"
    assert out["reader"] == READER


def test_cli_passport_with_a_typed_bac_key(pcscd: PcscdProcess, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    with VpcdCard(VirtualPassport(HOLDER)):
        assert wait_for_card(READER, timeout=20)
        code = main(["devices", "id", "--passport", "M31415926,011231,300101", "--reader", READER, "--json"])
        assert code == 0
        out = json.loads(capsys.readouterr().out)
        assert (out["name"], out["birth_date"]) == ("PARK SEOYEON", "2001-12-31")
        assert main(["devices", "id", "--passport", "M31415926,011231,300102", "--reader", READER]) == 1
        assert "여권 정보가 맞지 않아요" in capsys.readouterr().err


def _watching() -> tuple[PcscIdReader, queue.Queue[IdEvent]]:
    events: queue.Queue[IdEvent] = queue.Queue()
    reader = PcscIdReader(lambda: KEY, reader_filter=READER, poll_ms=100)
    reader.subscribe(events.put)
    reader.start()
    return reader, events


def _reads_a_fresh_card(reader: PcscIdReader, events: queue.Queue[IdEvent]) -> None:
    """The visitor tries again: the same reader object (no process restart) reads the next card."""
    with VpcdCard(VirtualPassport(HOLDER)):
        result = _next(events, ReadResult, timeout=25)
        assert isinstance(result, ReadResult) and result.document.name == "PARK SEOYEON"
    _next(events, CardRemoved)
    assert reader._thread is not None and reader._thread.is_alive()


def test_monitor_card_pulled_mid_read_reports_then_reads_the_next(pcscd: PcscdProcess) -> None:
    """Fault suite: a hand lifts the passport during BAC/reading. The kiosk says so (card_removed,
    Korean message), the monitor thread survives, and the next placement reads normally."""
    reader, events = _watching()
    try:
        card = RemovedMidRead(VirtualPassport(HOLDER), after=5)
        card.insert()
        try:
            error = _next(events, ReadError)
            assert isinstance(error, ReadError)
            assert error.code == "card_removed" and error.message_ko
            _next(events, CardRemoved)
        finally:
            card._sock = None
            card.remove()
        assert not any(isinstance(e, ReadResult) for e in list(events.queue))  # nothing half-read passed
        _reads_a_fresh_card(reader, events)
    finally:
        reader.stop()


def test_monitor_recovers_when_pcscd_is_killed_and_restarted(pcscd: PcscdProcess) -> None:
    """Fault suite: pcscd dies (SIGKILL) while the lobby watches the reader, then is started again.
    The reader reports pcscd_not_running once, then reads the next card without a process restart."""
    import signal

    if not pcscd.started or pcscd.process is None:
        pytest.skip("a pcscd we did not start is running; we do not kill other people's daemons")
    reader, events = _watching()
    try:
        _reads_a_fresh_card(reader, events)
        pcscd.process.send_signal(signal.SIGKILL)
        pcscd.process.wait(timeout=5)
        pcscd.process = None
        error = _next(events, ReadError)
        assert isinstance(error, ReadError) and error.code == "pcscd_not_running"
        pcscd.ensure_running(wait_for_reader="Virtual PCD", timeout=15)
        _reads_a_fresh_card(reader, events)
        later_errors = [e for e in list(events.queue) if isinstance(e, ReadError)]
        assert later_errors == []  # reported once, not once per poll
    finally:
        reader.stop()
        if not pcscd_answers():
            pcscd.ensure_running()


def test_a_card_placed_while_pcscd_restarts_is_read(pcscd: PcscdProcess) -> None:
    """Fault suite: pcscd dies with one visitor's passport on the reader; the next visitor's passport
    is on the reader when pcscd is back. The reader must read it, not take it for the old one."""
    import signal

    if not pcscd.started or pcscd.process is None:
        pytest.skip("a pcscd we did not start is running; we do not kill other people's daemons")
    other = PassportHolder(surname="CHOI", given_names="MINJUN", document_number="M27182818",
                           birth="850704", sex="M", expiry="310101")  # fmt: skip
    keys = [KEY]
    events: queue.Queue[IdEvent] = queue.Queue()
    reader = PcscIdReader(lambda: keys[-1], reader_filter=READER, poll_ms=100)
    reader.subscribe(events.put)
    reader.start()
    first = VpcdCard(VirtualPassport(HOLDER))
    try:
        first.insert()
        result = _next(events, ReadResult, timeout=25)
        assert isinstance(result, ReadResult) and result.document.name == "PARK SEOYEON"
        pcscd.process.send_signal(signal.SIGKILL)  # the first passport still lies on the reader
        pcscd.process.wait(timeout=5)
        pcscd.process = None
        _next(events, ReadError)
        first.remove()
        keys.append(BacKey.from_td3(parse_td3(other.mrz)))
        pcscd.ensure_running(wait_for_reader="Virtual PCD", timeout=15)
        with VpcdCard(VirtualPassport(other)):
            result = _next(events, ReadResult, timeout=25)
            assert isinstance(result, ReadResult) and result.document.name == "CHOI MINJUN"
    finally:
        first.remove()
        reader.stop()
        if not pcscd_answers():
            pcscd.ensure_running()


def test_pcscd_not_running_is_reported(pcscd: PcscdProcess) -> None:
    """Last in this file: stop the daemon we started, check the error, start it again."""
    if not pcscd.started:
        pytest.skip("a pcscd we did not start is running; we do not stop other people's daemons")
    pcscd.stop()
    try:
        with pytest.raises(IdError) as info:
            read_passport_on(READER, KEY)
        assert info.value.code == "pcscd_not_running"
        with pytest.raises(IdError) as info:
            reader_names()
        assert info.value.code == "pcscd_not_running"
    finally:
        pcscd.ensure_running()
