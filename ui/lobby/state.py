"""What the lobby holds about the current visitor: screen-only things, and a typed view of the one visit.

The visitor's data itself (answers, consents, the ID read, the signature, the matching report, the
ticket) lives in one ``kiosk.visit.LiveVisit``, the same object the visit flow fills on the worker
thread; ``VisitDraft`` keeps no copy of it. Its read-through properties keep the names the screens use:
each read is a snapshot copied under the live visit's lock (the GUI thread never waits on the database,
only on a dictionary copy), and a screen's write (``draft.answers[key] = value``) goes straight through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeVar

from kiosk.api.visits import AnswerValue
from kiosk.visit.live import LiveVisit
from kiosk.visit.sink import IssuedTicket

if TYPE_CHECKING:
    from devices.id.model import IdDocument
    from devices.signature.record import SignatureRecord
    from kiosk.matching.engine import MatchReport
    from kiosk.visit.flow import VisitFlow

V = TypeVar("V")
PrintState = Literal["", "printing", "done", "failed"]


class LiveView(MutableMapping[str, V]):
    """A snapshot of one of the live visit's mappings that writes through to it."""

    def __init__(
        self, snapshot: Mapping[str, V], write: Callable[[str, V], None], remove: Callable[[str], None]
    ) -> None:
        self._snapshot = dict(snapshot)
        self._write, self._remove = write, remove

    def __getitem__(self, key: str) -> V:
        return self._snapshot[key]

    def __setitem__(self, key: str, value: V) -> None:
        self._write(key, value)
        self._snapshot[key] = value

    def __delitem__(self, key: str) -> None:
        del self._snapshot[key]
        self._remove(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._snapshot)

    def __len__(self) -> int:
        return len(self._snapshot)

    def __repr__(self) -> str:  # the values may be personal: keys only
        return f"LiveView(keys={sorted(self._snapshot)})"


@dataclass
class VisitDraft:
    """The visitor at the kiosk as the screens see it. Only masked values are ever shown on screen."""

    live: LiveVisit = field(default_factory=LiveVisit)  # the one copy, shared with the flow
    flow: VisitFlow | None = None  # when the workflow service is wired and the visit is open
    identity_display: dict[str, str] = field(default_factory=dict)  # masked values for the screen
    printed: PrintState = ""

    # -- read-through to the live visit (the names the screens use) ------------------------------------
    @property
    def path(self) -> str:
        return self.live.path

    @path.setter
    def path(self, value: str) -> None:
        self.live.path = value

    @property
    def answers(self) -> MutableMapping[str, AnswerValue]:
        live = self.live
        return LiveView(live.answers(), live.set_answer, live.remove_answer)

    @property
    def consents(self) -> MutableMapping[str, bool]:
        live = self.live
        return LiveView(live.consents(), live.set_consent, live.remove_consent)

    @property
    def manual(self) -> MutableMapping[str, str]:
        live = self.live
        return LiveView(live.manual(), live.set_manual_field, live.remove_manual_field)

    @manual.setter
    def manual(self, values: MutableMapping[str, str]) -> None:
        self.live.set_manual(values)

    @property
    def document(self) -> IdDocument | None:
        return self.live.document

    @document.setter
    def document(self, document: IdDocument | None) -> None:
        self.live.document = document

    @property
    def signature(self) -> SignatureRecord | None:
        return self.live.signature

    @signature.setter
    def signature(self, record: SignatureRecord | None) -> None:
        self.live.signature = record

    @property
    def report(self) -> MatchReport | None:
        return self.live.report

    @report.setter
    def report(self, report: MatchReport | None) -> None:
        self.live.report = report

    @property
    def ticket(self) -> IssuedTicket | None:
        return self.live.ticket

    @ticket.setter
    def ticket(self, ticket: IssuedTicket | None) -> None:
        self.live.ticket = ticket

    @property
    def line(self) -> str:
        return self.live.line

    @line.setter
    def line(self, line: str) -> None:
        self.live.line = line

    def forget(self) -> None:
        """Drop every reference to the visitor's data (the wipe). The old live visit is emptied too (a
        flow still closing on the worker holds it) and the next visitor gets a fresh one, so a late write
        for this visitor can never land in the next visitor's visit."""
        self.live.forget()
        self.live = LiveVisit()
        self.flow = None
        self.identity_display = {}
        self.printed = ""
