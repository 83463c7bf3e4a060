"""What the results screen says: the programs read from the match report, and the 1–3 to try first.

Kept free of widgets so the choice and the words can be tested on their own. Every sentence comes from
the catalogue (each condition's plain sentence, the programs' documents); nothing is built from
operators, and an ineligible program is described by what it is for, never as a rejection.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.matching.engine import MatchReport

Pair = tuple[str, str]  # (Korean, English)
ORDER = {"eligible": 0, "maybe": 1, "ineligible": 2}
MAX_FIRST = 3
MAX_REASONS = 2
LEAD_REASONS = 3  # the first recommendation has room to say a little more
_VAGUE = ("해당 없음", "참고")  # "은행별 안내 참고": says nothing on a kiosk; the counselor has the details
_DEBT_PURPOSES = ("debt", "credit_recovery")
_LOAN_PURPOSES = ("living", "business_start", "business_operating")


@dataclass
class VerdictView:
    program_id: str
    verdict: str
    name_ko: str
    name_en: str
    category: str = ""
    helps: str = ""
    met: list[Pair] = field(default_factory=list)
    unmet: list[Pair] = field(default_factory=list)
    documents: list[Pair] = field(default_factory=list)
    offer: list[Pair] = field(default_factory=list)  # what it gives: limit, term (concrete ones only)
    note: Pair | None = None  # the catalogue's first note ("수수료 5만원, 신청한 다음 날부터 추심이 멈춰요")

    @property
    def court(self) -> bool:
        """Court routes are a conversation with a counselor first, never a tick."""
        return self.category == "court" and self.verdict != "ineligible"

    @property
    def reasons(self) -> list[Pair]:
        return self.met if self.verdict == "eligible" else self.unmet


def _pair(raw: Any) -> Pair | None:
    if isinstance(raw, Mapping) and raw.get("ko") and raw.get("en"):
        return str(raw["ko"]), str(raw["en"])
    return None


def _read(program: Mapping[str, Any]) -> VerdictView:
    met: list[tuple[tuple[bool, bool], Pair]] = []
    unmet: list[Pair] = []
    said: set[object] = set()
    for reason in program.get("reasons") or []:
        plain = _pair(reason.get("plain")) if isinstance(reason, Mapping) else None
        if plain is None:
            continue
        if reason.get("status") == "met" and reason.get("field") not in said:
            said.add(reason.get("field"))  # one sentence per answer: "소득 3,200만원" once, not per cap
            # A sentence naming the person's own answer says more than one about a cap; "you owe" is
            # true of every debt program, so it comes last.
            generic = reason.get("field") == "total_debt_krw"
            met.append(((generic, not any(ch.isdigit() for ch in plain[0])), plain))
        elif reason.get("status") != "met":
            unmet.append(plain)
    met.sort(key=lambda item: item[0])
    name = program.get("name") or {}
    pid = str(program.get("id", ""))
    verdict = str(program.get("verdict", "maybe"))
    documents = [p for p in (_pair(d) for d in program.get("required_documents") or []) if p]
    offer = [p for p in (_pair(program.get(key)) for key in ("limit", "term")) if p]
    notes = [p for p in (_pair(n) for n in program.get("notes") or []) if p]
    return VerdictView(
        program_id=pid,
        verdict=verdict if verdict in ORDER else "maybe",
        name_ko=str(name.get("ko") or pid),
        name_en=str(name.get("en") or pid),
        category=str(program.get("category", "")),
        helps=str(program.get("helps", "")),
        met=[pair for _key, pair in met],
        unmet=unmet,
        documents=[d for d in documents if d[0] != "신분증"],  # everyone brings the ID card
        offer=[o for o in offer if not any(word in o[0] for word in _VAGUE)],
        note=notes[0] if notes else None,
    )


def report_dict(report: MatchReport | Mapping[str, Any]) -> Mapping[str, Any]:
    return report.to_dict() if isinstance(report, MatchReport) else report


def verdicts_of(report: MatchReport | Mapping[str, Any]) -> list[VerdictView]:
    """Every program, best first (the engine's ranking kept within each verdict)."""
    rows = [_read(p) for p in report_dict(report).get("programs") or [] if isinstance(p, Mapping)]
    return sorted(rows, key=lambda row: ORDER[row.verdict])


def route_of(report: MatchReport | Mapping[str, Any]) -> str | None:
    triage = report_dict(report).get("triage")
    route = triage.get("route") if isinstance(triage, Mapping) else None
    return str(route) if route else None


def first_steps(rows: list[VerdictView], purpose: str | None, route: str | None) -> list[VerdictView]:
    """The 1–3 things to do first, by what the person came for."""
    open_rows = [r for r in rows if r.verdict != "ineligible"]
    if purpose in _DEBT_PURPOSES or (route and purpose not in _LOAN_PURPOSES):
        # debt trouble: the adjustment that fits, then a recovery loan — not new debt
        wanted = ["debt_relief", "recovery_loan"]
    elif purpose == "job":
        wanted = ["referral", "new_credit"]
    else:
        wanted = ["new_credit", "referral"]
    first = [r for r in open_rows if r.program_id == route]
    # beside the route, only what fits now; a "maybe" leads only when nothing fits yet
    fitting = [r for r in open_rows if r.verdict == "eligible"] or open_rows
    for helps in wanted:
        for row in fitting:
            # a court route leads only when triage chose it: otherwise it waits for the counselor
            kind = row.category if helps == "recovery_loan" else row.helps
            if kind == helps and row not in first and (not row.court or row.program_id == route):
                first.append(row)
    first.sort(key=lambda r: (r.program_id != route, ORDER[r.verdict]))
    return first[:MAX_FIRST] or open_rows[:1]


def reason_lines(row: VerdictView, english: bool, *, limit: int = MAX_REASONS) -> list[str]:
    """One or two plain sentences: why it fits, what settles a "maybe", or what the program is for."""
    pick = 1 if english else 0
    if row.verdict == "eligible":
        return [pair[pick] for pair in row.met[:limit]]
    if row.verdict == "maybe":
        lines = [pair[pick] for pair in row.met[:1]]
        if row.documents:
            docs = ", ".join(d[pick] for d in row.documents)
            lines.append(
                f"These documents will settle it: {docs}"
                if english
                else f"이 서류로 확인할 수 있어요: {docs}"
            )
        return lines
    return [pair[pick] for pair in row.unmet[:1]]


@dataclass(frozen=True)
class Section:
    """A headed block of the first recommendation's card."""

    heading: str
    lines: list[str]


def reasons_heading(row: VerdictView, english: bool) -> str:
    if row.verdict == "eligible":
        return "Why it fits" if english else "이래서 맞아요"
    return "What needs checking" if english else "확인할 것이 있어요"


def lead_sections(row: VerdictView, english: bool) -> list[Section]:
    """What the first recommendation adds to its reasons: what it gives, the next step, what to bring.

    All from the catalogue (limit, term, the first note, the documents) but the next step, which says
    what happens at the desk; a "maybe" already names its documents in its reasons.
    """
    pick = 1 if english else 0
    sections: list[Section] = []
    gives = [" · ".join(pair[pick] for pair in row.offer)] if row.offer else []
    if row.note is not None:
        gives.append(row.note[pick])
    gives = [text[:1].upper() + text[1:] for text in gives]  # the catalogue's English starts lower-case
    if gives:
        sections.append(Section("What you get" if english else "받을 수 있는 도움", gives))
    if row.court:
        step = (
            "A counselor looks with you at whether a court route fits, and refers you"
            if english
            else "상담사가 법원 절차가 맞는지 함께 살펴보고 연계해 드려요"
        )
    elif row.verdict == "maybe":
        step = (
            "Take a ticket: a counselor checks the documents with you"
            if english
            else "번호표를 받으시면 상담사가 서류를 함께 확인해 드려요"
        )
    else:
        step = (
            "Take a ticket: a counselor helps you apply at the desk"
            if english
            else "번호표를 받으시면 상담사가 창구에서 신청을 도와드려요"
        )
    steps = [step]
    if row.documents and row.verdict != "maybe":
        docs = ", ".join(d[pick] for d in row.documents)
        steps.append(f"Documents: {docs}" if english else f"필요한 서류: {docs}")
    sections.append(Section("Next step" if english else "다음 단계", steps))
    return sections


def digest(rest: list[VerdictView], english: bool, *, names: int = 4) -> list[Section]:
    """What waits under "다른 제도 보기", by kind: what also fits, what a counselor checks with you.

    Names only (their cards stay folded); what does not fit now is counted by the fold's button.
    """

    def section(rows: list[VerdictView], ko: str, en: str) -> list[Section]:
        if not rows:
            return []
        cut = names if len(rows) > names + 1 else len(rows)  # "그 밖에 1개" would hide a name for nothing
        shown = [r.name_en if english else r.name_ko for r in rows[:cut]]
        if len(rows) > cut:
            more = len(rows) - cut
            shown.append(f"and {more} more" if english else f"그 밖에 {more}개")
        return [Section(en if english else ko, shown)]

    fits = [r for r in rest if r.verdict == "eligible" and not r.court]
    check = [r for r in rest if r.verdict == "maybe" or r.court]
    return section(fits, "이것도 신청할 수 있어요", "You can also apply for") + section(
        check, "상담사와 함께 확인해요", "To look at with a counselor"
    )
