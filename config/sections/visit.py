"""Settings of the visit area (extended by that area)."""

from pydantic import BaseModel, ConfigDict


class VisitSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
