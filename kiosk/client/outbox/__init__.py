"""The lobby's local outbox: a visit and its ticket are never lost while the hub is unreachable.

One module per reason:
- ``reservations``: how offline lobbies number tickets (numbers the hub reserved, used once);
- ``rules``: why it never wedges (each entry's verdict and retry clock, quarantine);
- ``store``: what it holds (each request one ciphertext, scrubbed once the hub has it);
- ``sender``: `LobbyOutbox`, the calls of the lobby and the background sync;
- ``staff``: what staff see and may do (`kiosk outbox list / retry`, health for the staff screen).
"""

from kiosk.client.outbox.reservations import OfflineTicket, ticket_from
from kiosk.client.outbox.rules import QUARANTINE_AFTER
from kiosk.client.outbox.sender import LobbyOutbox
from kiosk.client.outbox.staff import EntryView, OutboxHealth, UnknownEntry, list_entries, retry_entry
from kiosk.client.outbox.store import PAYLOAD_CONTEXT

__all__ = [
    "PAYLOAD_CONTEXT",
    "QUARANTINE_AFTER",
    "EntryView",
    "LobbyOutbox",
    "OfflineTicket",
    "OutboxHealth",
    "UnknownEntry",
    "list_entries",
    "retry_entry",
    "ticket_from",
]
