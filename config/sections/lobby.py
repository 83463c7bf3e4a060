"""Settings of the lobby area (extended by that area)."""

from pydantic import BaseModel, ConfigDict


class LobbySection(BaseModel):
    model_config = ConfigDict(extra="forbid")
