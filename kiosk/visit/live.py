"""The one in-memory copy of the current visitor: what they gave at this kiosk and what they got back.

The lobby's screens and the visit flow share it instead of each keeping their own: the screens write a
choice the moment it is made (on the GUI thread), the flow fills in the ID card's prefill, the matching
report and the ticket as its steps complete (on the worker thread). So it is guarded by one lock, every
read hands out a copy, and no lock is ever held across a database, device or network call: the GUI
thread waits at most for a dictionary copy.

Whole values (the document, the signature, the report, the ticket) are only ever replaced, never changed
in place, so reading one is reading a snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from kiosk.api.visits import AnswerValue
from kiosk.visit.sink import IssuedTicket

if TYPE_CHECKING:
    from devices.id.model import IdDocument
    from devices.signature.record import SignatureRecord
    from kiosk.matching.engine import MatchReport

Answers = dict[str, AnswerValue]
Prune = Callable[[Mapping[str, AnswerValue]], Answers]
Screen = Callable[[str], tuple[str, ...]]  # a field → the fields answered on the same screen


class LiveVisit:
    """Made by whoever starts the visit (the lobby at 상담 접수, or the service); forgotten at the wipe."""

    def __init__(self, path: str = "consult") -> None:
        self._lock = threading.Lock()
        self.path = path  # consult | ticket_only (the welcome choice)
        self._prefill: Answers = {}  # what the ID card (age) and the credit list told us: never asked
        self._given: Answers = {}  # the needs answers, in the order given (``asked``)
        self._asked: list[str] = []
        self._consents: dict[str, bool] = {}
        self._manual: dict[str, str] = {}  # typed identity fields (name, birth, phone), in clear
        self.document: IdDocument | None = None  # the ID read (the RRN in memory until the step is saved)
        self.signature: SignatureRecord | None = None
        self.report: MatchReport | None = None
        self.ticket: IssuedTicket | None = None
        self.line = ""  # the service line chosen (or suggested) for the ticket
        # The credit inquiry (kiosk.visit.credit_lookup): the token of the lookup still awaited, and the
        # hub's id of the inquiry whose figures are in the prefill (the submission names it).
        self._credit_token = 0
        self._credit_awaited = False
        self._credit_inquiry_id: str | None = None

    # -- the needs answers ---------------------------------------------------------------------------
    def answers(self) -> Answers:
        """Everything answered so far, the ID card's prefill included (a copy)."""
        with self._lock:
            return {**self._prefill, **self._given}

    def given(self) -> tuple[Answers, list[str]]:
        """The person's own answers and the order they were given in (copies), for the crash state."""
        with self._lock:
            return dict(self._given), list(self._asked)

    def prefill(self) -> Answers:
        with self._lock:
            return dict(self._prefill)

    def set_answer(self, field: str, value: AnswerValue) -> None:
        """A screen's answer as it is given (the flow validates and stores it on the worker)."""
        with self._lock:
            self._given[field] = value

    def remove_answer(self, field: str) -> None:
        with self._lock:
            self._given.pop(field, None)
            self._prefill.pop(field, None)
            self._asked = [f for f in self._asked if f != field]

    def give(self, values: Mapping[str, AnswerValue], prune: Prune, drop: Iterable[str] = ()) -> None:
        """The flow's accepted answer to one screen (one field, or several for a compound question):
        stored, moved to the end of the order, ``drop`` fields (left for a follow-up) and answers that
        no longer apply removed — one locked step, so a screen never sees the answers half-pruned."""
        dropped = set(drop)
        with self._lock:
            given = {k: v for k, v in self._given.items() if k not in dropped}
            given.update(values)
            self._asked = [f for f in self._asked if f not in values and f not in dropped] + list(values)
            self._given = prune(given)
            self._asked = [f for f in self._asked if f in self._given]

    def take_back(self, screen: Screen | None = None) -> str | None:
        """이전 inside the needs step: drop the last screen's answers (``screen`` names the fields given
        on the same screen as a field); returns the last field (None: none left)."""
        with self._lock:
            if not self._asked:
                return None
            field = self._asked.pop()
            self._given.pop(field, None)
            together = set(screen(field)) if screen is not None else set()
            while self._asked and self._asked[-1] in together:
                self._given.pop(self._asked.pop(), None)
            return field

    def restore(self, prefill: Mapping[str, AnswerValue], given: Mapping[str, AnswerValue],
                asked: list[str]) -> None:  # fmt: skip
        """A resumed visit's answers from its stored state (what a screen wrote meanwhile stays on top)."""
        with self._lock:
            self._prefill = {**prefill, **self._prefill}
            self._given = {**given, **self._given}
            self._asked = [f for f in asked if f not in self._asked] + self._asked

    def set_prefill(self, values: Mapping[str, AnswerValue]) -> None:
        with self._lock:
            self._prefill = dict(values)

    # -- the credit inquiry's figures (kiosk.visit.credit_lookup) -------------------------------------
    def expect_credit(self) -> int:
        """A lookup starts: its token (an earlier lookup's late answer no longer lands)."""
        with self._lock:
            self._credit_token += 1
            self._credit_awaited = True
            return self._credit_token

    def apply_credit(self, token: int, values: Mapping[str, AnswerValue], inquiry_id: str) -> bool:
        """The lookup's figures join the prefill, if this is still the lookup awaited; the person's own
        answers stay on top (``answers``)."""
        with self._lock:
            if not self._credit_awaited or token != self._credit_token:
                return False
            self._credit_awaited = False
            self._prefill.update(values)
            self._credit_inquiry_id = inquiry_id
            return True

    def cancel_credit(self, fields: Iterable[str]) -> None:
        """Forget the lookup and its figures (another identification, or the consent taken back)."""
        with self._lock:
            self._credit_token += 1
            self._credit_awaited = False
            self._credit_inquiry_id = None
            for name in fields:
                self._prefill.pop(name, None)

    def restore_credit(self, inquiry_id: str) -> None:
        """A resumed visit's inquiry (its figures come back with the prefill)."""
        with self._lock:
            self._credit_inquiry_id = self._credit_inquiry_id or inquiry_id

    def credit_inquiry_id(self) -> str | None:
        with self._lock:
            return self._credit_inquiry_id

    # -- consents and typed identity fields ----------------------------------------------------------
    def consents(self) -> dict[str, bool]:
        with self._lock:
            return dict(self._consents)

    def set_consent(self, item: str, granted: bool) -> None:
        with self._lock:
            self._consents[item] = granted

    def remove_consent(self, item: str) -> None:
        with self._lock:
            self._consents.pop(item, None)

    def manual(self) -> dict[str, str]:
        with self._lock:
            return dict(self._manual)

    def set_manual(self, values: Mapping[str, str]) -> None:
        with self._lock:
            self._manual = dict(values)

    def set_manual_field(self, name: str, value: str) -> None:
        with self._lock:
            self._manual[name] = value

    def remove_manual_field(self, name: str) -> None:
        with self._lock:
            self._manual.pop(name, None)

    # -- the wipe --------------------------------------------------------------------------------------
    def forget_person(self) -> None:
        """The flow's wipe once the visit is closed or handed over: the answers, consents, report and
        the ID read go (the RRN first). The ticket, its line and the typed phone stay until the kiosk's
        wipe: the ticket screen still prints the number and may text it to that phone."""
        with self._lock:
            self.document = self.signature = None
            self._prefill, self._given, self._asked, self._consents = {}, {}, [], {}
            self.report = None
            self._credit_token += 1  # a lookup still out answers no one
            self._credit_awaited, self._credit_inquiry_id = False, None

    def forget(self) -> None:
        """Drop everything (the kiosk's wipe)."""
        self.forget_person()
        with self._lock:
            self._manual = {}
        self.ticket = None
        self.line = ""

    def __repr__(self) -> str:  # never print the person's data
        with self._lock:
            counts = f"answers={len(self._prefill) + len(self._given)}, consents={len(self._consents)}"
        return f"LiveVisit(path={self.path!r}, {counts}, ticket={self.ticket is not None})"
