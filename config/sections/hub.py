"""Settings of the hub area (extended by that area)."""

from pydantic import BaseModel, ConfigDict


class HubSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
