"""What the counselor reads first: the case in one line, and the one thing to do next.

The line gives the purpose of the visit, the total debt, the longest delinquency and the top
recommendation, from the hub's CaseView (already masked: nothing personal is in it). The next action
follows where the case's documents stand: a document on its way first (send it to the counter, wait
for the signature, archive it), then make the application, plan the follow-ups, and finish.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from kiosk.api import CaseView
from kiosk.api.phone import PHONE_DOCUMENT_KIND, PHONE_IDENTITY_KO
from kiosk.matching.fields import FIELDS
from kiosk.matching.ranges import AnswerRange, as_range
from kiosk.matching.wording import value_ko
from kiosk.visit.questionnaire import Question, Questionnaire
from ui.widgets.keypad import format_manwon

VERDICT_WORDS = {"eligible": "✔ 신청 가능", "maybe": "△ 서류 확인 필요", "ineligible": "✖ 지금은 어려움"}
_DEBT_FIELDS = ("unsecured_debt_krw", "secured_debt_krw")

Action = Literal["generate", "push", "wait", "archive", "plan", "finish"]
# A document in this status → what to do with it; earlier rows first (a pushed one waits for the citizen).
_DOCUMENT_STEPS: tuple[tuple[str, Action, str], ...] = (
    ("generated", "push", "창구로 보내 서명 받기"),
    ("pushed", "wait", "창구에서 서명을 기다리는 중이에요"),
    ("signed", "archive", "서명한 문서 보관하기"),
)


@dataclass(frozen=True)
class NextAction:
    kind: Action
    label: str
    template: str = ""  # for "generate"
    document_id: uuid.UUID | None = None  # for "push" and "archive"

    @property
    def can_do(self) -> bool:
        return self.kind != "wait"


def top_recommendation(verdicts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first program the person can apply for, else the first that needs documents checked.

    The kiosk sends the verdicts in the engine's ranked order, so the first of a kind is its best."""
    for wanted in ("eligible", "maybe"):
        for verdict in verdicts:
            if verdict.get("verdict") == wanted:
                return verdict
    return None


def _is_debt_adjustment(verdict: dict[str, Any]) -> bool:
    # Newer engines send the program's category with the verdict; older records only its id, whose
    # prefix names the provider (ccrs: 신용회복위원회, whose programs are all debt adjustment).
    category = verdict.get("category")
    if isinstance(category, str) and category:
        return category == "debt_adjustment"
    return str(verdict.get("id", "")).startswith("ccrs.")


def _purpose(answers: dict[str, Any], questions: Questionnaire | None) -> str:
    value = answers.get("purpose")
    if value is None:
        return ""
    if questions is not None:
        try:
            choices = questions.question("purpose").choices
        except KeyError:
            choices = ()
        for choice in choices:
            if choice.value == value:
                return choice.ko
    return str(value)


def summary_line(case: CaseView, questions: Questionnaire | None = None) -> str:
    """'목적 … · 총 빚 … · 가장 오래 밀린 빚 …일 · 추천 …' — the parts the intake answered."""
    answers = case.answers
    parts: list[str] = []
    purpose = _purpose(answers, questions)
    if purpose:
        parts.append(f"목적: {purpose}")
    total = answers.get("total_debt_krw")
    debts = [answers[f] for f in _DEBT_FIELDS if isinstance(answers.get(f), int)]
    if isinstance(total, int) and not isinstance(total, bool):
        parts.append(f"총 빚 {format_manwon(total)}")
    elif debts:  # older questionnaires asked only the parts
        parts.append(f"총 빚 {format_manwon(sum(debts))}")
    days = answers.get("delinquency_days")
    if isinstance(days, int) and not isinstance(days, bool):
        parts.append("연체 없음" if days == 0 else f"가장 오래 밀린 빚 {days:,}일")
    top = top_recommendation(case.verdicts)
    if top is not None:
        name = top.get("name_ko") or top.get("id", "")
        parts.append(f"추천: {name} ({VERDICT_WORDS.get(str(top.get('verdict')), '')})")
    elif case.verdicts:
        parts.append("추천할 제도가 없어요 — 다른 방법을 함께 찾아 주세요")
    if not parts:
        if is_phone_visit(case):
            return f"전화 상담이에요 (본인 확인: {PHONE_IDENTITY_KO}). 무엇이 필요한지 여쭤봐 주세요."
        return "번호표만 받은 분이에요: 키오스크 접수 내용이 없어요. 무엇이 필요한지 여쭤봐 주세요."
    return " · ".join(parts)


def next_action(case: CaseView) -> NextAction:
    """The one step that moves this case on, judged from its documents and follow-ups."""
    # A document on its way comes first: the citizen at the counter is waiting on it, or it on them.
    for status, kind, label in _DOCUMENT_STEPS:
        for document in case.documents:
            if document.status == status:
                return NextAction(kind, label, document_id=document.id)
    if not any(d.template == "intake_summary" for d in case.documents):
        top = top_recommendation(case.verdicts)
        label = "채무조정 신청서 만들기" if top and _is_debt_adjustment(top) else "상담 신청서 만들기"
        return NextAction("generate", label, template="intake_summary")
    if not case.followups:
        return NextAction("plan", "사후관리 계획 세우기")
    return NextAction("finish", "상담 끝내기")


def answer_rows(answers: dict[str, Any], questions: Questionnaire | None) -> list[list[str]]:
    """The answers as the kiosk asked them: the question, and the answer in everyday words. A compound
    screen (several fields from one set of options) is one row naming the options the person chose."""
    by_field: dict[str, Question] = {}
    for question in questions.questions if questions is not None else ():
        for name in question.filled:
            # a plain question (or a follow-up) owns its field over the compound screen that opened it
            if name not in by_field or by_field[name].compound:
                by_field[name] = question
    rows: list[list[str]] = []
    shown: set[str] = set()
    for field, value in answers.items():
        asked = by_field.get(field)
        if asked is None:
            rows.append([field, "-" if value is None else str(value)])
        elif asked.compound or asked.several:
            if asked.id not in shown:
                shown.add(asked.id)
                words = {str(option.value): option.ko for option in asked.choices}
                picked = [words.get(str(value), str(value)) for value in asked.chosen(answers)]
                rows.append([asked.ko, ", ".join(picked) or "없어요"])
        else:
            rows.append([asked.ko, _answer_words(asked, value)])
    return rows


def _answer_words(question: Question, value: Any) -> str:
    kind = question.type
    if value is None:
        return "잘 모르겠어요"
    if isinstance(as_range(value), AnswerRange):  # "31~89일", "6명 이상"
        return value_ko(FIELDS[question.field], as_range(value))
    words = {str(option.value): option.ko for option in question.choices}
    if kind == "multi_choice" and isinstance(value, list):
        return ", ".join(words.get(str(v), str(v)) for v in value) or "해당 없음"
    if not isinstance(value, bool | list | dict) and str(value) in words:
        return words[str(value)]
    if kind == "amount_manwon" and isinstance(value, int):
        return format_manwon(value)
    if isinstance(value, bool):
        return "예" if value else "아니요"
    unit = question.unit_ko or ("일" if kind == "days" else "")
    return f"{value:,}{unit}" if isinstance(value, int) else str(value)


def is_phone_visit(case: CaseView) -> bool:
    """A visit opened by phone at the desk: no ID card was checked (kiosk.hub.routes_phone)."""
    return any(check.document_kind == PHONE_DOCUMENT_KIND for check in case.identity)
