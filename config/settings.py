"""The typed settings tree. Each section lives in config/sections/<name>.py."""

from pydantic import BaseModel, ConfigDict, Field

from config.sections.app import AppSection
from config.sections.assistant import AssistantSection
from config.sections.db import DbSection
from config.sections.debt import DebtSection
from config.sections.hq import HqSection
from config.sections.hub import HubSection
from config.sections.identity import IdentitySection
from config.sections.lobby import LobbySection
from config.sections.printer import PrinterSection
from config.sections.privacy import PrivacySection
from config.sections.signature import SignatureSection
from config.sections.sms import SmsSection
from config.sections.visit import VisitSection
from config.sections.web import WebSection


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    app: AppSection = Field(default_factory=AppSection)
    db: DbSection = Field(default_factory=DbSection)
    privacy: PrivacySection = Field(default_factory=PrivacySection)
    printer: PrinterSection = Field(default_factory=PrinterSection)
    signature: SignatureSection = Field(default_factory=SignatureSection)
    identity: IdentitySection = Field(default_factory=IdentitySection)
    visit: VisitSection = Field(default_factory=VisitSection)
    lobby: LobbySection = Field(default_factory=LobbySection)
    hub: HubSection = Field(default_factory=HubSection)
    assistant: AssistantSection = Field(default_factory=AssistantSection)
    sms: SmsSection = Field(default_factory=SmsSection)
    web: WebSection = Field(default_factory=WebSection)
    hq: HqSection = Field(default_factory=HqSection)
    debt: DebtSection = Field(default_factory=DebtSection)
