"""Withdrawing a visit's consent at the desk (PIPA §37: the person may withdraw at any time).

`POST /visits/{id}/consent/withdraw` with ``scope = "all"`` withdraws every item; with ``scope = "items"``
only the named ones. Withdrawing an item the consent texts mark required (config/consent/items.toml)
withdraws the whole consent: without it the center may not process the visit's data for anything new.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from kiosk.api.common import PlainText, Strict

ItemId = Annotated[PlainText, Field(min_length=1, max_length=64)]
WithdrawScope = Literal["all", "items"]


class ConsentWithdrawIn(Strict):
    scope: WithdrawScope
    items: list[ItemId] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _items_match_scope(self) -> ConsentWithdrawIn:
        # "all" with a list would be ambiguous (did the desk mean only those?): refuse it at the wire.
        if (self.scope == "items") != bool(self.items):
            raise ValueError('items: give the items exactly when scope is "items"')
        return self


class ConsentWithdrawnOut(BaseModel):
    visit_id: uuid.UUID
    withdrawn_items: list[str]  # item ids now withdrawn by this call
    processing_ended: bool  # a required item went: the visit's data serves no new purpose
    withdrawn_at: datetime
    sms_stopped: int  # messages to the visit's number that were still waiting and now will not go
