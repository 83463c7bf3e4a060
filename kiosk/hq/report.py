"""`kiosk hq report`: the statistics as CSV (UTF-8 with BOM, so Excel reads Korean) or XLSX.

CSV has one header row: the Korean labels (센터 코드, 방문, …) for the people who open it in Excel, or,
with ``header="names"`` (`--csv-header names`), the machine names (`center`, `visits`, …) for scripts.
XLSX has the Korean labels in its first row and the same machine names in its second.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.hq.stats import StatsRow

# (machine name, Korean label); grouping columns appear only when grouped by them.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("center", "센터 코드"),
    ("center_name", "센터"),
    ("counselor", "상담사 ID"),
    ("line", "창구"),
    ("period", "기간 시작일"),
    ("visits", "방문"),
    ("tickets_issued", "발권"),
    ("served", "상담 완료"),
    ("no_shows", "부재"),
    ("transfers", "창구 이동"),
    ("wait_mean_min", "평균 대기(분)"),
    ("wait_median_min", "대기 중앙값(분)"),
    ("wait_p90_min", "대기 90%(분)"),
    ("service_mean_min", "평균 상담 시간(분)"),
    ("waits_over_target_pct", "목표 초과 대기 비율(%)"),
    ("visits_eligible", "자격 있는 제도가 있는 방문"),
    ("programs_eligible", "자격 있는 제도(건)"),
    ("programs_maybe", "확인이 필요한 제도(건)"),
    ("outcomes", "상담 결과"),
    ("followups_due", "사후관리 예정"),
    ("followups_done", "사후관리 완료"),
    ("followups_overdue", "사후관리 지연"),
)
_GROUPING = {"counselor": "counselor", "line": "line", "day": "period", "week": "period", "month": "period"}
SHEET_TITLE = "센터 통계"


def columns_for(by: Sequence[str]) -> list[tuple[str, str]]:
    shown = {_GROUPING[dim] for dim in by}
    return [
        (name, label)
        for name, label in COLUMNS
        if name not in {"counselor", "line", "period"} or name in shown
    ]


def _value(row: StatsRow, name: str) -> Any:
    if name == "waits_over_target_pct":
        share = row.waits_over_target
        return None if share is None else round(share * 100, 1)
    value = getattr(row, name)
    if isinstance(value, dict):  # outcomes: "referred 3; counselled 2", the commonest first
        return "; ".join(f"{key} {n}" for key, n in sorted(value.items(), key=lambda kv: (-kv[1], kv[0])))
    if isinstance(value, float):
        return round(value, 1)
    return value


def table(rows: Sequence[StatsRow], by: Sequence[str]) -> tuple[list[tuple[str, str]], list[list[Any]]]:
    columns = columns_for(by)
    return columns, [[_value(row, name) for name, _ in columns] for row in rows]


CSV_HEADERS = ("labels", "names")


def to_csv(rows: Sequence[StatsRow], by: Sequence[str], header: str = "labels") -> bytes:
    if header not in CSV_HEADERS:
        raise ValueError(f"unknown CSV header {header!r} ({', '.join(CSV_HEADERS)})")
    columns, values = table(rows, by)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label if header == "labels" else name for name, label in columns])
    for line in values:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in line])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Sequence[StatsRow], by: Sequence[str], path: Path, title: str = "") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    columns, values = table(rows, by)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = SHEET_TITLE
    sheet.append([label for _, label in columns])
    sheet.append([name for name, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(color="808080", size=9)
    for line in values:
        sheet.append(line)
    sheet.freeze_panes = "A3"
    for index, (_, label) in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(10, len(label) * 2)
    if title:
        book.properties.title = title
    book.save(path)
