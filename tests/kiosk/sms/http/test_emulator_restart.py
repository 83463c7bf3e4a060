"""A provider that restarts keeps what it accepted: a message answered with an id before the restart still
reaches the phone after it, once (the bench's restart run counted one such message lost)."""

from __future__ import annotations

from kiosk.sms.http.backend import HttpGateway
from kiosk.sms.http.emulator import ProviderEmulator
from tests.kiosk.sms.http.conftest import PHONE, outgoing
from tests.polling import wait_until


def test_a_message_accepted_before_a_restart_is_delivered_after_it() -> None:
    emulator = ProviderEmulator(dlr_delay_s=0.3)
    base_url = emulator.start()
    gateway = HttpGateway(base_url, "k", "s", poll_interval_s=0.05, timeout_s=1.0)
    try:
        gateway.submit(outgoing("restart-1", text="곧 차례예요"))
        emulator.stop()  # before the delivery was due
        assert emulator.inbox(PHONE) == []
        emulator.start(int(base_url.rstrip("/").rsplit(":", 1)[1]))
        wait_until(lambda: emulator.inbox(PHONE), 10, message="the accepted message to reach the phone")
        assert emulator.inbox(PHONE) == ["곧 차례예요"]
    finally:
        gateway.close()
        emulator.stop()
