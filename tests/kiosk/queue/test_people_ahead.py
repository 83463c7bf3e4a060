"""The one count of "앞에 N명" (kiosk.queue.waits.people_ahead): a ticket's place in calling order; a
ticket not in the line (a new one) has everyone ahead of it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from kiosk.queue.waits import people_ahead


@dataclass(frozen=True)
class Waiting:
    id: uuid.UUID


@given(st.integers(min_value=0, max_value=30), st.data())
def test_people_ahead_is_the_place_in_calling_order(size: int, data: st.DataObject) -> None:
    order = [Waiting(uuid.uuid4()) for _ in range(size)]
    if order:
        place = data.draw(st.integers(min_value=0, max_value=size - 1))
        assert people_ahead(order, order[place].id) == place  # type: ignore[arg-type]
    assert people_ahead(order, uuid.uuid4()) == size  # type: ignore[arg-type]
