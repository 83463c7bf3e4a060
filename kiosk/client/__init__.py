"""The one hub client for lobby, desk and counter (Qt-free): REST calls, the event stream, the outbox.

- `HubClient`: typed calls to the hub; raises `HubUnavailable` (network) or `HubRefused` (4xx with the
  hub's code and Korean/English message).
- `EventStream`: the WebSocket event stream on its own thread; reconnects by itself with back-off.
- `LobbyOutbox`: what a lobby does when the hub is unreachable (see its docstring for numbering).
"""

from kiosk.client.errors import HubRefused, HubUnavailable
from kiosk.client.events import EventStream
from kiosk.client.hub_client import HubClient
from kiosk.client.outbox import LobbyOutbox, OfflineTicket

__all__ = ["EventStream", "HubClient", "HubRefused", "HubUnavailable", "LobbyOutbox", "OfflineTicket"]
