"""Settings of the identity area (extended by that area)."""

from pydantic import BaseModel, ConfigDict


class IdentitySection(BaseModel):
    model_config = ConfigDict(extra="forbid")
