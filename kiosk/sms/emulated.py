"""A center's SMS on an emulator: the SMSC (or the HTTP provider) on 127.0.0.1 and a started `SmsService`
connected to it — what the demo and the tests run, with the emulated phones' inboxes to look at.

Emulated on purpose and saying so: the emulators deliver to no real phone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from config import clock as center_clock
from kiosk.sms.check import SENDER, EmulatedBackend
from kiosk.sms.outbox import Clock
from kiosk.sms.service import SmsService


class EmulatedSms:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        keys: Any,
        backend: str = "smpp",
        *,
        dlr_delay_s: float = 0.0,
        clock: Clock = center_clock,
        daytime_hours: tuple[int, int] = (8, 21),
        poll_s: float = 0.1,
    ) -> None:
        self.backend = EmulatedBackend(backend, dlr_delay_s=dlr_delay_s)
        gateway = self.backend.start()
        self.service = SmsService(
            sessions, gateway, keys, sender=SENDER, clock=clock, daytime_hours=daytime_hours, poll_s=poll_s
        ).start()

    @property
    def emulator(self) -> Any:
        """The SMSC or provider emulator itself (to make it fail, throttle, go silent…)."""
        return self.backend.emulator

    def inbox(self, number: str) -> list[str]:
        """The texts the emulated phone ``number`` (digits) has received, oldest first."""
        return self.backend.phone_texts(number)

    def reply_from(self, number: str, text: str) -> None:
        self.backend.reply_from(number, text)

    def close(self) -> None:
        self.service.close()
        self.backend.gateway = None  # the service closed it
        self.backend.stop()
