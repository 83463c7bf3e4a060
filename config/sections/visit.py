"""Settings of the visit area: where its data files live, idle timeout, resume window, queue waits."""

from pydantic import BaseModel, ConfigDict, Field


class VisitSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    products_dir: str = Field("", description="program catalogue folder; empty: the packaged config/products")
    questionnaire_file: str = Field(
        "", description="needs questionnaire; empty: packaged config/questionnaire.toml"
    )
    service_lines_file: str = Field("", description="queue lines; empty: packaged config/service_lines.toml")
    aftercare_file: str = Field("", description="follow-up rules; empty: packaged config/aftercare.toml")
    idle_timeout_seconds: int = Field(
        90, ge=15, le=1800, description="no touch for this long wipes the visit"
    )
    resume_max_age_minutes: int = Field(
        30, ge=1, le=1440, description="older interrupted visits are abandoned"
    )
    default_service_minutes: float = Field(
        15.0, gt=0, le=240, description="service time before any is measured"
    )
    service_time_sample: int = Field(20, ge=3, le=500, description="recent finished tickets for the median")
    wait_target_minutes: float = Field(
        30.0, gt=0, le=480, description="statistics: waits longer than this count as over the target"
    )
