"""Settings of the debt area (issue 21): which credit-information port (신용정보 조회) the hub asks.

"emulated" answers plausible, deterministic creditor lists for the emulated identities and says so on
every list; "off" means no port: the desk types the list, or the kiosk's totals stand in. A contracted
service would be a third value with its endpoint here (its credentials never in this file).
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DebtSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credit_port: Literal["emulated", "off"] = Field(
        "emulated", description="the credit-information port: emulated (demo, tests) or off"
    )
    credit_port_timeout_seconds: float = Field(
        10.0, gt=0, le=120, description="how long one inquiry to the port may take"
    )
