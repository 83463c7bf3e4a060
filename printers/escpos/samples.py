"""Synthetic fields for every receipt template (demo, `kiosk print sample`, bench, tests).

Identities here are invented; nothing resembles a real person.
"""

from __future__ import annotations

from typing import Any

SAMPLE_FIELDS: dict[str, dict[str, Any]] = {
    "ticket": {
        "center_name": "서울중앙 서민금융통합지원센터",
        "service_line_ko": "채무조정",
        "service_line_en": "Debt",
        "ticket_number": "B-023",
        "people_ahead": 4,
        "wait_minutes": 25,
        # worded by kiosk.queue.waits.wait_words (printers import nothing of kiosk)
        "wait_ko": "앞에 4명 · 약 25분 기다려요",
        "wait_en": "People ahead of you: 4 · about 25 min wait",
        "lookup_url": "https://q.kinfa.example/t/7K2P9X",
        "issued_at": "2026-11-26 14:05",
        "notice": "번호가 화면에 나오면 창구로 와 주세요",
    },
    "summary": {
        "center_name": "서울중앙 서민금융통합지원센터",
        "masked_name": "김*수",
        "visit_date": "2026-11-26",
        "counselor": "상담사 03",
        "programs": ["햇살론15 (가능)", "신속채무조정 (서류 필요)", "고용센터 취업 연계"],
        "next_steps": ["소득금액증명원 준비", "12월 3일까지 신청서 제출"],
        "aftercare_dates": ["2026-12-26 (1개월)", "2027-02-26 (3개월)"],
    },
    "aftercare": {
        "masked_name": "김*수",
        "appointment_at": "2026-12-26 10:30",
        "place": "서울중앙센터 3번 창구",
        "counselor": "상담사 03",
        "bring": ["신분증", "소득금액증명원"],
        "lookup_url": "https://q.kinfa.example/a/R4M8",
        "contact": "02-000-1397",
    },
}
