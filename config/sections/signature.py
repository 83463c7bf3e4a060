"""Settings of the signature area (extended by that area)."""

from pydantic import BaseModel, ConfigDict


class SignatureSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
