"""Settings of the printer area (extended by that area)."""

from pydantic import BaseModel, ConfigDict


class PrinterSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
