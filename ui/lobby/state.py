"""What the kiosk holds about the current visitor, in one place so the wipe can forget all of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.visit.flow import VisitFlow


@dataclass
class VisitDraft:
    """The visitor's data while they are at the kiosk. Only masked values are ever shown on screen."""

    path: str = "consult"  # consult | ticket_only
    flow: VisitFlow | None = None  # when the workflow service is wired
    document: Any = None  # devices.id IdDocument (holds the RRN in memory only until the step completes)
    identity_display: dict[str, str] = field(default_factory=dict)  # masked values for the screen
    manual: dict[str, str] = field(default_factory=dict)
    consents: dict[str, bool] = field(default_factory=dict)
    signature: Any = None  # devices.signature SignatureRecord
    answers: dict[str, Any] = field(default_factory=dict)
    report: Any = None  # matching report
    ticket: Any = None  # ticket info
    line: str = ""
    printed: str = ""  # "", "printing", "done", "failed"

    def forget(self) -> None:
        """Drop every reference to the visitor's data (the wipe)."""
        fresh = VisitDraft()
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))
