"""The document templates: consent form, intake and matching summary, counseling record, after-care plan,
채무조정 신청서 (debt adjustment application).

Each takes plain dicts and lists (no classes from other areas), so the matching engine or the visit
workflow can change without touching this module. Names arrive masked; an RRN never reaches a PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from config.consent import consent_set, consent_text_sha256
from printers.documents.fonts import FONT, FONT_BOLD

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=11, textColor=colors.HexColor("#444444"))
TITLE = ParagraphStyle("title", parent=BODY, fontName=FONT_BOLD, fontSize=17, leading=24, spaceAfter=4)
HEADING = ParagraphStyle("heading", parent=BODY, fontName=FONT_BOLD, fontSize=12, leading=18, spaceBefore=8)
VERDICT_KO = {"eligible": "가능", "maybe": "확인 필요", "not_eligible": "해당 없음"}


def para(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def header(title_ko: str, title_en: str, fields: Mapping[str, Any]) -> list[Flowable]:
    center = fields.get("center_name", "서민금융통합지원센터")
    return [
        para(f"{title_ko}  {title_en}", TITLE),
        para(
            f"{center} · 대상자 Client: {fields['person_label']} · 일자 Date: {fields['visit_date']}", SMALL
        ),
        Spacer(1, 4 * mm),
    ]


def grid(rows: list[list[Any]], widths: list[float]) -> Table:
    cells = [[para(cell) for cell in row] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # else Helvetica is referenced, unembedded
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def consent(fields: Mapping[str, Any], doc_id: str) -> list[Flowable]:
    """Every consent item on its own, with its full text and its own state (granted / refused)."""
    texts = consent_set()
    decisions: Mapping[str, bool] = fields["decisions"]
    story = header("개인(신용)정보 동의서", "Consent form", fields)
    # The citizen reads this page on the counter screen: a short code names the wording, not a 64-digit
    # hash. The full SHA-256 binds the consent row (Consent.text_sha256) and the archived PDF's own hash.
    wording = consent_text_sha256()[:8].upper()
    story.append(para(f"동의서 버전 {texts.version} · 문구 코드 {wording[:4]}-{wording[4:]}", SMALL))
    for item in texts.items:
        state = decisions.get(item.id)
        mark = {
            True: "■ 동의함 (agreed)",
            False: "■ 동의하지 않음 (refused)",
            None: "□ 응답 없음 (not answered)",
        }
        need = "필수 required" if item.required else "선택 optional"
        block: list[Flowable] = [
            para(f"{item.order}. {item.title_ko} [{need}]", HEADING),
            para(item.title_en, SMALL),
            para(item.text_ko),
            para(item.text_en, SMALL),
            para(f"근거 Legal basis: {item.legal_basis} · 항목 버전 {item.version}", SMALL),
            para(f"선택 Decision: {mark[state]}", ParagraphStyle("d", parent=BODY, fontName=FONT_BOLD)),
        ]
        # A page break before an item that would not fit keeps it whole (cheaper than KeepTogether,
        # which lays every paragraph out twice).
        story.append(CondPageBreak(80 * mm))
        story.extend(block)
    story.append(Spacer(1, 4 * mm))
    story.append(
        para("각 항목은 따로 동의하거나 거부할 수 있어요. 선택 항목은 거부해도 상담을 받을 수 있어요.")
    )
    sms = fields.get("consent_sms")
    if sms:
        story.extend(sms_method_block(sms))
    return story


def sms_method_block(sms: Mapping[str, Any]) -> list[Flowable]:
    """How a consent by SMS code was given, and the facts it rests on (issue 18). A code proves that
    whoever answered held the phone; the record (text, number, times, delivery report) is the proof."""
    rows: list[list[Any]] = [
        ["항목 Item", "기록 Record"],
        ["동의 방법 Method", f"{sms.get('method', '휴대전화 문자 인증')} (SMS code)"],
        ["받은 번호 Phone", sms.get("to_masked", "")],
        ["인증번호 보낸 시각 Code sent", sms.get("sent_at", "")],
        ["확인한 시각 Confirmed", sms.get("confirmed_at", "")],
        ["메시지 ID Message", sms.get("message_id", "")],
        ["통신사 접수 번호 Carrier id", sms.get("gateway_id", "-")],
        ["전달 결과 Delivery report", sms.get("delivery", "미확인")],
    ]
    # One small block, kept on one page: the facts read together or not at all.
    return [
        KeepTogether(
            [
                para(f"동의 방법: {sms.get('method', '휴대전화 문자 인증')}", HEADING),
                grid(rows, [56, 118]),
                Spacer(1, 2 * mm),
                para(
                    "위 번호로 보낸 인증번호를 정해진 시간 안에 확인해서 동의했어요. 문자 인증은 그 "
                    "휴대전화를 가진 사람이 동의했다는 기록이에요.",
                    SMALL,
                ),
            ]
        )
    ]


def intake_summary(fields: Mapping[str, Any], doc_id: str) -> list[Flowable]:
    story = header("상담 신청 및 지원 확인 결과", "Intake and matching summary", fields)
    story.append(para("답한 내용 Answers", HEADING))
    answers: Mapping[str, Any] = fields["answers"]
    story.append(grid([["항목 Item", "답 Answer"], *[[k, v] for k, v in answers.items()]], [70, 104]))
    story.append(para("지원 제도별 결과 Results by programme", HEADING))
    rows: list[list[Any]] = [["제도 Programme", "결과 Verdict", "이유 Reasons"]]
    for verdict in fields["verdicts"]:
        label = verdict.get("verdict", "")
        reasons = "\n".join(f"· {reason}" for reason in verdict.get("reasons", []))
        rows.append([verdict.get("program", ""), f"{VERDICT_KO.get(label, label)} ({label})", reasons])
    story.append(grid(rows, [48, 30, 96]))
    story.append(Spacer(1, 3 * mm))
    story.append(para("결과는 안내용이에요. 최종 심사는 각 기관과 금융회사가 해요.", SMALL))
    return story


def counseling_record(fields: Mapping[str, Any], doc_id: str) -> list[Flowable]:
    story = header("상담 기록", "Counseling record", fields)
    story.append(para(f"상담사 Counselor: {fields['counselor']}"))
    story.append(para("상담 내용 Notes", HEADING))
    story.append(para(fields["notes"]))
    story.append(para("결정 사항 Outcomes", HEADING))
    for outcome in fields["outcomes"]:
        story.append(para(f"· {outcome}"))
    return story


def aftercare_plan(fields: Mapping[str, Any], doc_id: str) -> list[Flowable]:
    story = header("사후관리 계획", "After-care plan", fields)
    story.append(para(f"담당 Counselor: {fields['counselor']}"))
    story.append(para("목표 Goals", HEADING))
    for goal in fields["goals"]:
        story.append(para(f"· {goal}"))
    story.append(para("점검 일정 Follow-ups", HEADING))
    rows: list[list[Any]] = [["일자 Date", "방법 How", "내용 What"]]
    rows += [[f.get("date", ""), f.get("kind", ""), f.get("note", "")] for f in fields["followups"]]
    story.append(grid(rows, [32, 32, 110]))
    return story


ESTIMATE_ONLY_KO = "예상치예요 — 최종 결정은 신용회복위원회 심사 후에 나요"
ESTIMATE_ONLY_EN = (
    "This is an estimate: the final decision comes after the Credit Counseling & Recovery Service review."
)


def won(amount: object) -> str:
    return f"{amount:,}원" if isinstance(amount, int) else "-"


def percent(rate: object) -> str:
    return f"연 {rate * 100:.2f}%" if isinstance(rate, (int, float)) else "-"


def debt_application(fields: Mapping[str, Any], doc_id: str) -> list[Flowable]:
    """채무조정 신청서: the creditor list, the chosen program's estimate with each figure's reason, and
    the consent the credit inquiry rests on. The estimate sentence stands above and below the plan."""
    debt: Mapping[str, Any] = fields["debt"]
    story = header("채무조정 신청서", "Debt adjustment application", fields)
    story.append(para(ESTIMATE_ONLY_KO + "  " + ESTIMATE_ONLY_EN, HEADING))
    story.append(para("채권자 목록 Creditors", HEADING))
    story.append(para(f"출처 Source: {debt['source_ko']} · 조회 시각 Fetched: {debt['fetched_at']}", SMALL))
    rows: list[list[Any]] = [
        [
            "채권자 Creditor",
            "종류 Kind",
            "원금 Principal",
            "이자율 Rate",
            "연체 Overdue",
            "상각 Written off",
            "시작 Since",
        ]
    ]
    for line in debt["creditors"]:
        rows.append(
            [
                line["creditor"],
                line["kind_ko"],
                won(line["principal_krw"]),
                percent(line["annual_rate"]),
                f"{line['overdue_days']}일",
                "예" if line["written_off"] else "아니요",
                line["since"],
            ]
        )
    story.append(grid(rows, [34, 20, 30, 22, 20, 20, 28]))
    plan: Mapping[str, Any] | None = debt.get("plan")
    story.append(para("상환 계획 예상 Repayment-plan estimate", HEADING))
    if not plan:
        story.append(
            para("이 빚 목록으로는 맞는 채무조정 제도가 없어요. 상담사와 법원 절차를 이야기해 보세요.")
        )
    else:
        term = plan.get("term_months")
        chosen = " (상담 창구에서 고른 기간 chosen at the desk)" if plan.get("term_chosen") else ""
        figures = [
            ["항목 Item", "예상 Estimate"],
            ["제도 Programme", f"{plan.get('name_ko', '')} ({plan.get('program', '')})"],
            ["조정 전 원금 Principal before", won(plan.get("principal_before_krw"))],
            ["조정 후 원금 Principal after", won(plan.get("principal_after_krw"))],
            ["이자율 Rate", percent(plan.get("annual_rate"))],
            ["기간 Term", f"{term}개월{chosen}" if term else "-"],
            ["매달 갚을 돈 Monthly", won(plan.get("monthly_payment_krw"))],
            ["모두 갚을 돈 Total", won(plan.get("total_repaid_krw"))],
            ["매달 갚을 수 있는 돈 Capacity", won(debt.get("available_income_monthly_krw"))],
            ["갚을 수 있는 범위 Fits capacity", "예 yes" if plan.get("eligible") else "아니요 no: 상담 필요"],
        ]
        story.append(grid(figures, [60, 114]))
        story.append(para("각 숫자의 근거 Why each figure", HEADING))
        for reason in plan.get("reasons_ko", []):
            story.append(para(f"· {reason}"))
        story.append(para(f"계획 규칙 버전 Rules version: {debt.get('rules_version', '-')}", SMALL))
    story.append(Spacer(1, 2 * mm))
    story.append(para(ESTIMATE_ONLY_KO, HEADING))
    story.append(para("동의 근거 Consent references", HEADING))
    consent_ref: Mapping[str, Any] | None = debt.get("consent")
    if not consent_ref:
        story.append(para("동의 기록이 없어요 (no consent record)."))
    else:
        inquiry = "동의함 granted" if consent_ref.get("credit_inquiry") else "동의 안 함 not granted"
        story.append(
            grid(
                [
                    ["항목 Item", "내용 Value"],
                    ["동의 번호 Consent id", consent_ref.get("consent_id", "-")],
                    ["동의서 버전 Text version", consent_ref.get("text_version", "-")],
                    ["동의 방법 Method", consent_ref.get("method", "-")],
                    ["서명·인증 기록 Evidence", consent_ref.get("evidence_id", "-")],
                    ["신용정보 조회 Credit inquiry", inquiry],
                ],
                [60, 114],
            )
        )
    return story


def signature_block(png: bytes, record_hash: str) -> list[Flowable]:
    """The signature as drawn, and the hash of the signature record that binds it to this document."""
    image = Image(io.BytesIO(png))
    scale = min(70 * mm / image.imageWidth, 25 * mm / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    image.hAlign = "LEFT"
    return [
        Spacer(1, 6 * mm),
        KeepTogether(
            [
                para("서명 Signature", HEADING),
                image,
                para(f"서명 기록 SHA-256 (signature record): {record_hash}", SMALL),
            ]
        ),
    ]


@dataclass(frozen=True)
class DocumentTemplate:
    name: str
    version: str
    title: str
    required: tuple[str, ...]
    build: Callable[[Mapping[str, Any], str], list[Flowable]]


COMMON = ("person_label", "visit_date")
TEMPLATES: dict[str, DocumentTemplate] = {
    "consent": DocumentTemplate("consent", "1", "개인(신용)정보 동의서", (*COMMON, "decisions"), consent),
    "intake_summary": DocumentTemplate(
        "intake_summary", "1", "상담 신청 및 지원 확인 결과", (*COMMON, "answers", "verdicts"), intake_summary
    ),
    "counseling_record": DocumentTemplate(
        "counseling_record", "1", "상담 기록", (*COMMON, "counselor", "notes", "outcomes"), counseling_record
    ),
    "aftercare_plan": DocumentTemplate(
        "aftercare_plan", "1", "사후관리 계획", (*COMMON, "counselor", "goals", "followups"), aftercare_plan
    ),
    "debt_application": DocumentTemplate(
        "debt_application", "1", "채무조정 신청서", (*COMMON, "debt"), debt_application
    ),
}
