"""Synthetic fields for every document template (demo, `kiosk print sample`, bench, tests)."""

from __future__ import annotations

from typing import Any

from config.consent import consent_set

_COMMON = {
    "center_name": "서울중앙 서민금융통합지원센터",
    "person_label": "김*수",
    "visit_date": "2026-11-26",
}

SAMPLE_DOCUMENT_FIELDS: dict[str, dict[str, Any]] = {
    "consent": {
        **_COMMON,
        "decisions": {item.id: item.required or item.id == "sensitive_info" for item in consent_set().items},
    },
    "intake_summary": {
        **_COMMON,
        "answers": {
            "방문 목적 Purpose": "채무 문제 debt trouble",
            "연 소득 Annual income": "2,800만 원",
            "직업 Job": "일용직 day labourer",
            "총 채무 Total debt": "4,200만 원 (채권자 5곳)",
            "최장 연체 Longest delinquency": "45일",
            "신용점수 구간 Credit band": "하위 20% 이내",
        },
        "verdicts": [
            {
                "program": "사전채무조정",
                "verdict": "eligible",
                "reasons": ["연체 31~89일 (45일)", "총 채무 한도 이내"],
            },
            {
                "program": "햇살론15",
                "verdict": "maybe",
                "reasons": ["소득 3,500만 원 이하", "연체 해소 확인 필요"],
            },
            {"program": "개인워크아웃", "verdict": "not_eligible", "reasons": ["연체 90일 미만"]},
        ],
    },
    "counseling_record": {
        **_COMMON,
        "counselor": "상담사 03",
        "notes": (
            "채권자 5곳, 카드론 연체 45일. 사전채무조정 신청 안내, 소득 증빙 서류 안내. 고용센터 연계 희망."
        ),
        "outcomes": ["사전채무조정 신청서 작성", "고용센터 취업성공패키지 연계", "1개월 뒤 사후관리 예약"],
    },
    "aftercare_plan": {
        **_COMMON,
        "counselor": "상담사 03",
        "goals": ["채무조정 확정 후 6개월 성실 상환", "신용점수 구간 개선", "고정 소득 일자리"],
        "followups": [
            {"date": "2026-12-26", "kind": "전화 phone", "note": "채무조정 진행 확인"},
            {"date": "2027-02-26", "kind": "방문 visit", "note": "상환 점검, 신용관리 교육"},
            {"date": "2027-05-26", "kind": "문자 SMS", "note": "소액금융 자격 안내"},
        ],
    },
}
