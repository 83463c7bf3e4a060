"""A second, unseen kiosk of a demo center: "One more walk-in" in the GUI demo's control window.

Each call serves one synthetic person end to end through kiosk.demo.roles.LobbyRole (ID card read by
the real OCR pipeline, consent signed on an emulated pad — or, every other person, who cannot sign, by
an SMS code read from the emulated phone — needs matched, ticket issued by the hub and printed on an
emulated printer). Blocking: call it on a worker thread.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from config import Settings, clock
from db.base import Base
from db.pii import full_age
from db.session import make_engine, make_sessionmaker
from devices.id.emulators.identities import generate_identity
from kiosk.client import HubClient, LobbyOutbox
from kiosk.demo.devices import DemoPad, DemoPrinter, DemoScanner
from kiosk.demo.headless import answers_for
from kiosk.demo.roles import LobbyRole, PhoneInbox


@dataclass
class ScriptedKiosk:
    role: LobbyRole
    engine: Engine
    out: Path
    served: int = 0

    @classmethod
    def start(
        cls, settings: Settings, url: str, token: str, out: Path, *, phone_inbox: PhoneInbox | None = None
    ) -> ScriptedKiosk:
        """Enrolled with the lobby's device token; its own outbox database in ``out``. ``phone_inbox``:
        the center's emulated phones (``DemoCenter.sms.inbox``), for the visitors who consent by SMS."""
        engine = make_engine(f"sqlite:///{out / 'lobby-scripted.db'}")
        Base.metadata.create_all(engine)
        client = HubClient(url, token)
        outbox = LobbyOutbox(make_sessionmaker(engine), client)
        role = LobbyRole(
            client,
            outbox,
            DemoScanner(),
            DemoPad(settings),
            DemoPrinter(settings),
            "시연 센터",
            phone_inbox=phone_inbox,
        )
        return cls(role, engine, out)

    def walk_in_next(self) -> dict[str, Any]:
        """The next synthetic person (a new identity and needs profile each time); the walk-in summary."""
        self.served += 1
        seed = 100 + self.served
        identity = generate_identity(random.Random(seed))
        age = max(19, min(80, full_age(identity.birth_date, clock.today())))
        answers = answers_for(self.served - 1, age)
        # The first, third, … person cannot sign: the phone window shows their code arriving.
        cannot_sign = self.served % 2 == 1
        return self.role.walk_in(identity, answers, seed, self.out / "scripted", cannot_sign=cannot_sign)

    def close(self) -> None:
        self.role.pad.close()
        self.role.printer.close()
        self.engine.dispose()
