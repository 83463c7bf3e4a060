"""Privacy settings: keys, masking, retention (PIPA §24의2, 신용정보법 5-year retention)."""

from pydantic import BaseModel, ConfigDict, Field


class PrivacySection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key_file: str = Field("", description="empty: keys.json in the data directory (created 0600)")
    retention_years: int = Field(5, ge=1, le=50)
    keep_gender_digit: bool = True
