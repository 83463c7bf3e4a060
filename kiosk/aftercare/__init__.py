"""After-care: follow-up plans from outcomes (config/aftercare.toml) and due lists per counselor."""

from kiosk.aftercare.plan import (
    DONE,
    MISSED,
    PLANNED,
    AftercareError,
    FollowUpRule,
    OutcomeRule,
    add_months,
    aftercare_rules,
    due_followups,
    load_aftercare_rules,
    plan_followups,
    record_followup,
)

__all__ = [
    "DONE",
    "MISSED",
    "PLANNED",
    "AftercareError",
    "FollowUpRule",
    "OutcomeRule",
    "add_months",
    "aftercare_rules",
    "due_followups",
    "load_aftercare_rules",
    "plan_followups",
    "record_followup",
]
