"""Settings of the assistant area (extended by that area)."""

from pydantic import BaseModel, ConfigDict


class AssistantSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
