"""The SYNC_* refusals of the contract: an HTTP status, a code a hub can act on, Korean and English words."""

from __future__ import annotations

from typing import Any


class SyncError(Exception):
    """A batch or cursor request refused; nothing of it was stored."""

    def __init__(self, status: int, code: str, message_ko: str, message_en: str) -> None:
        super().__init__(f"{code}: {message_en}")
        self.status = status
        self.code = code
        self.message_ko = message_ko
        self.message_en = message_en
        # Filled in when HQ knows the center, so the hub can resume from HQ's answer even after a refusal.
        self.events_acked = 0
        self.audit_acked = 0

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message_ko": self.message_ko,
            "message_en": self.message_en,
            "events_acked": self.events_acked,
            "audit_acked": self.audit_acked,
        }


# Each refusal's HTTP status, by its code: the builders below give only their words.
STATUS = {
    "SYNC_UNKNOWN_CENTER": 403,
    "SYNC_REVOKED": 403,
    "SYNC_BAD_SIGNATURE": 401,
    "SYNC_MALFORMED": 422,
    "SYNC_TOO_LARGE": 413,
    "SYNC_CONFLICT": 409,
    "SYNC_GAP": 409,
    "SYNC_CHAIN_BROKEN": 409,
}


def refusal(code: str, message_ko: str, message_en: str) -> SyncError:
    return SyncError(STATUS[code], code, message_ko, message_en)


def _kind_ko(kind: str) -> str:
    return "이벤트" if kind == "event" else "감사 기록"


def unknown_center(code: str) -> SyncError:
    ko = f"본부에 등록되지 않은 센터예요 ({code[:32]}). 본부 관리자에게 센터 등록을 요청해 주세요."
    en = f"This center is not registered at HQ ({code[:32]}); ask an HQ admin to add it."
    return refusal("SYNC_UNKNOWN_CENTER", ko, en)


def revoked_center(code: str) -> SyncError:
    ko = f"이 센터({code})의 본부 연결이 해지됐어요. 본부 관리자에게 문의해 주세요."
    return refusal("SYNC_REVOKED", ko, f"This center ({code}) was revoked at HQ; ask an HQ admin.")


def bad_signature(what: str = "body") -> SyncError:
    what_ko = "서명이 맞지 않아요" if what == "body" else "감사 기록 머리(head)의 서명이 맞지 않아요"
    ko = f"{what_ko}. 센터의 서명 키가 본부에 등록된 공개 키와 같은지 확인해 주세요."
    en = f"The {what} signature does not verify with the center's registered public key."
    return refusal("SYNC_BAD_SIGNATURE", ko, en)


def malformed(detail: str) -> SyncError:
    ko = f"보낸 내용의 형식이 계약과 달라요: {detail[:300]}"
    return refusal("SYNC_MALFORMED", ko, f"The batch does not follow the sync contract: {detail[:300]}")


def too_large(limit: int) -> SyncError:
    mib = limit // (1024 * 1024)
    ko = f"한 번에 보낼 수 있는 크기({mib} MiB)를 넘었어요. 더 작게 나눠 보내 주세요."
    return refusal("SYNC_TOO_LARGE", ko, f"The batch is larger than {mib} MiB; send smaller batches.")


def conflict(kind: str, seq: int) -> SyncError:
    ko = f"본부에 이미 있는 {_kind_ko(kind)} {seq}번과 내용이 달라요. 아무것도 저장하지 않았어요."
    en = f"{kind} seq {seq} differs from the one HQ already holds; nothing was stored."
    return refusal("SYNC_CONFLICT", ko, en)


def gap(kind: str, first: int, acked: int) -> SyncError:
    ko = (
        f"{_kind_ko(kind)}가 {acked + 1}번부터 이어져야 하는데 {first}번부터 왔어요. "
        f"{acked + 1}번부터 다시 보내 주세요."
    )
    en = f"{kind} seq {first} does not follow HQ's {acked}; resend from {acked + 1}."
    return refusal("SYNC_GAP", ko, en)


def chain_broken(seq: int, reason_en: str, reason_ko: str) -> SyncError:
    ko = f"감사 기록 {seq}번이 본부에 저장된 사슬과 이어지지 않아요: {reason_ko}. 아무것도 저장하지 않았어요."
    en = f"Audit seq {seq} does not continue HQ's stored chain: {reason_en}; nothing was stored."
    return refusal("SYNC_CHAIN_BROKEN", ko, en)
