"""`POST /chat`: the public FAQ assistant's question and answer (web and app channels, no login)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=5000, description="the question, Korean or English; cut at 300 chars")


class Alternative(BaseModel):
    id: str
    question: str


class ChatResponse(BaseModel):
    abstained: bool
    reason: str = Field(description="answered | low_confidence | empty")
    answer_ko: str
    answer_en: str
    confidence: float
    entry_id: str | None = None
    question: str | None = Field(None, description="the FAQ's canonical question that was answered")
    source: str | None = None
    effective: str | None = None
    programs: list[str] = []
    line: str = Field("integrated", description="service line for a hand-off: finance | debt | integrated")
    handoff_offered: bool = False
    alternatives: list[Alternative] = []
