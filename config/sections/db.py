"""Database settings."""

from pydantic import BaseModel, ConfigDict, Field


class DbSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field("", description="any SQLAlchemy URL; empty: SQLite in the data directory")
    echo: bool = False
