"""Settings of the FAQ assistant (chatbot): where its knowledge lives and when it must abstain."""

from pydantic import BaseModel, ConfigDict, Field


class AssistantSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    faq_dir: str = Field("", description="empty: the packaged config/faq directory")
    synonyms_file: str = Field("", description="empty: the packaged config/synonyms.toml")
    products_dir: str = Field("", description="empty: the packaged config/products catalogue")
    # Calibrated by `kiosk bench chat --calibrate` on the calibration half of the labelled set.
    threshold: float = Field(0.4809, ge=0.0, le=1.0, description="confidence below which the bot abstains")
    max_question_chars: int = Field(300, ge=20, le=5000, description="longer questions are cut here")
    suggested: list[str] = Field(default_factory=list, description="entry ids shown as big buttons")
    rate_limit_per_minute: int = Field(30, ge=1, le=10000, description="POST /chat requests per client")
    max_body_bytes: int = Field(4096, ge=256, le=1_000_000, description="larger POST /chat bodies get 413")
