"""`kiosk hq report --format pdf`: the monthly report with charts (issue 20 item 6).

Page 1: the figures per center as a table and visits per center as bars; page 2: the wait
distribution (called tickets by wait band, per center) and outcomes over time (visits by recorded
outcome, per week). Charts are drawn by matplotlib (Agg, no display) in NanumGothic — the font the
project already embeds in its documents (printers.documents.fonts) — and placed as PNG; the text is
reportlab's with the same font embedded as a subset, so Korean renders and can be searched anywhere.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from kiosk.hq.dashboard_queries import WAIT_BAND_LABELS, OutcomeCount, centers, outcomes_by_period, wait_bands
from kiosk.hq.stats import DEFAULT_TARGET_MINUTES, StatsRow, statistics
from printers.documents.fonts import FONT, FONT_BOLD, register_fonts

CHART_DPI = 150
CHART_SIZE = (7.0, 3.2)  # inches: the text width of A4 with 18 mm margins
# The hub's outcome words (kiosk.hub.document_fields.OUTCOME_KO): HQ may not import the hub, and an
# outcome it does not know is printed as sent.
_OUTCOME_KO = {
    "debt_adjustment_applied": "채무조정 신청",
    "loan_approved": "대출 승인",
    "business_loan_approved": "사업자금 대출 승인",
    "court_referral": "법원 절차 안내",
    "employment_referral": "고용 지원 연계",
    "welfare_referral": "복지 연계",
    "information_only": "안내만 받음",
    "other": "기타",
}


def _pyplot() -> Any:
    """matplotlib with the embedded Korean font, imported only when a PDF is asked for."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    from printers.escpos.hangul import NANUM_REGULAR

    font_manager.fontManager.addfont(str(NANUM_REGULAR))
    name = font_manager.FontProperties(fname=str(NANUM_REGULAR)).get_name()
    plt.rcParams.update({"font.family": name, "axes.unicode_minus": False, "svg.fonttype": "none"})
    return plt


def _png(figure: Any) -> io.BytesIO:
    from matplotlib.ticker import MaxNLocator

    for axes in figure.axes:
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 of a visit
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=CHART_DPI)
    buffer.seek(0)
    return buffer


def visits_chart(rows: Sequence[StatsRow]) -> io.BytesIO:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=CHART_SIZE)
    names = [r.center_name or r.center for r in rows]
    values = [r.visits for r in rows]
    bars = axes.bar(names, values, color="#2f6fb3")
    axes.bar_label(bars, padding=2)
    axes.margins(y=0.15)  # room above the tallest bar: its figure must not run into the title
    axes.set_title("센터별 방문")
    axes.set_ylabel("방문 (건)")
    axes.spines[["top", "right"]].set_visible(False)
    if len(names) > 8:
        axes.tick_params(axis="x", labelrotation=60)
    try:
        return _png(figure)
    finally:
        plt.close(figure)


def wait_chart(bands: dict[Any, list[int]], names: dict[Any, str]) -> io.BytesIO:
    """Stacked bars: each band's called tickets, split by center (the top 8 centers by volume)."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=CHART_SIZE)
    bottom = [0] * len(WAIT_BAND_LABELS)
    ranked = sorted(bands.items(), key=lambda item: -sum(item[1]))
    shown, rest = ranked[:8], ranked[8:]
    if rest:
        shown.append(("_rest", [sum(c[k] for _, c in rest) for k in range(len(WAIT_BAND_LABELS))]))
    for center_id, counts in shown:
        label = "그 밖의 센터" if center_id == "_rest" else names.get(center_id, "?")
        axes.bar(WAIT_BAND_LABELS, counts, bottom=bottom, label=label)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_title("대기 시간 분포 (호출된 번호표)")
    axes.set_ylabel("번호표 (장)")
    axes.spines[["top", "right"]].set_visible(False)
    if shown:
        axes.legend(fontsize=8, frameon=False)
    try:
        return _png(figure)
    finally:
        plt.close(figure)


def outcome_label(outcome: str) -> str:
    return _OUTCOME_KO.get(outcome, outcome)


def outcomes_chart(counts: Sequence[OutcomeCount]) -> io.BytesIO:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=CHART_SIZE)
    periods = sorted({c.period for c in counts})
    outcomes = sorted({c.outcome for c in counts})
    table = {(c.period, c.outcome): c.visits for c in counts}
    labels = [p.strftime("%m-%d") for p in periods]
    for outcome in outcomes:
        axes.plot(
            labels, [table.get((p, outcome), 0) for p in periods], marker="o", label=outcome_label(outcome)
        )
    axes.set_ylim(bottom=0)
    axes.set_title("결과별 방문 (주별, 주 시작일)")
    axes.set_ylabel("방문 (건)")
    axes.spines[["top", "right"]].set_visible(False)
    if outcomes:
        axes.legend(fontsize=8, frameon=False)
    else:
        axes.text(0.5, 0.5, "기록된 결과가 없어요", ha="center", va="center", transform=axes.transAxes)
    try:
        return _png(figure)
    finally:
        plt.close(figure)


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=17, leading=22, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13),
    }


def _figures_table(rows: Sequence[StatsRow], target: float) -> Table:
    def minutes(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    head = ["센터", "방문", "발권", "완료", "부재", "평균 대기", "중앙값", "90%", f"{target:g}분 초과"]
    body = [
        [
            f"{r.center_name} ({r.center})",
            r.visits,
            r.tickets_issued,
            r.served,
            r.no_shows,
            minutes(r.wait_mean_min),
            minutes(r.wait_median_min),
            minutes(r.wait_p90_min),
            "" if r.waits_over_target is None else f"{r.waits_over_target * 100:.1f}%",
        ]
        for r in rows
    ]
    totals = [
        "합계",
        *(sum(getattr(r, k) for r in rows) for k in ("visits", "tickets_issued", "served", "no_shows")),
    ]
    table = Table([head, *body, [*totals, "", "", "", ""]], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
                ("FONT", (0, -1), (-1, -1), FONT_BOLD, 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8c8c8")),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def build_pdf(
    session: Session,
    start: date,
    end: date,
    path: Path,
    target_minutes: float = DEFAULT_TARGET_MINUTES,
    title: str = "",
) -> int:
    """Write the report for local days start..end to path; returns the number of centers in it."""
    rows = statistics(session, start, end, target_minutes=target_minutes)
    names = {c.id: c.name for c in centers(session)}
    bands = wait_bands(session, start, end)
    outcomes = outcomes_by_period(session, start, end, period="week")
    styles = _styles()
    width = A4[0] - 36 * mm
    chart_height = width * CHART_SIZE[1] / CHART_SIZE[0]
    heading = title or f"센터 통계 월간 보고서 {start:%Y-%m}"
    story: list[Any] = [
        Paragraph(heading, styles["title"]),
        Paragraph(
            f"기간 {start.isoformat()} ~ {end.isoformat()} (센터 시간, 서울) · 센터 {len(rows)}곳 · "
            f"대기 = 첫 호출 시각 - 발권 시각, 목표 {target_minutes:g}분",
            styles["body"],
        ),
        Spacer(1, 4 * mm),
        Paragraph("센터별 수치", styles["h2"]),
        _figures_table(rows, target_minutes),
        Spacer(1, 4 * mm),
        Paragraph("센터별 방문", styles["h2"]),
        Image(visits_chart(rows), width=width, height=chart_height),
        PageBreak(),
        Paragraph("대기 시간 분포", styles["h2"]),
        Image(wait_chart(bands, names), width=width, height=chart_height),
        Paragraph(
            "막대 하나가 대기 구간 하나예요. 색은 센터를 나타내요 (많은 순으로 8곳, 나머지는 합쳐서).",
            styles["body"],
        ),
        Paragraph("결과별 방문 추이", styles["h2"]),
        Image(outcomes_chart(outcomes), width=width, height=chart_height),
        Paragraph(
            "방문은 상담사가 마지막으로 기록한 결과로 세요. 결과가 없는 방문은 빠져요.", styles["body"]
        ),
    ]
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=heading,
        author="paperless-kiosk HQ",
    )
    document.build(story)
    return len(rows)
