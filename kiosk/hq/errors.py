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


def unknown_center(code: str) -> SyncError:
    return SyncError(
        403,
        "SYNC_UNKNOWN_CENTER",
        f"본부에 등록되지 않은 센터예요 ({code[:32]}). 본부 관리자에게 센터 등록을 요청해 주세요.",
        f"This center is not registered at HQ ({code[:32]}); ask an HQ admin to add it.",
    )


def revoked_center(code: str) -> SyncError:
    return SyncError(
        403,
        "SYNC_REVOKED",
        f"이 센터({code})의 본부 연결이 해지됐어요. 본부 관리자에게 문의해 주세요.",
        f"This center ({code}) was revoked at HQ; ask an HQ admin.",
    )


def bad_signature(what: str = "body") -> SyncError:
    ko = "서명이 맞지 않아요" if what == "body" else "감사 기록 머리(head)의 서명이 맞지 않아요"
    return SyncError(
        401,
        "SYNC_BAD_SIGNATURE",
        f"{ko}. 센터의 서명 키가 본부에 등록된 공개 키와 같은지 확인해 주세요.",
        f"The {what} signature does not verify with the center's registered public key.",
    )


def malformed(detail: str) -> SyncError:
    return SyncError(
        422,
        "SYNC_MALFORMED",
        f"보낸 내용의 형식이 계약과 달라요: {detail[:300]}",
        f"The batch does not follow the sync contract: {detail[:300]}",
    )


def too_large(limit: int) -> SyncError:
    return SyncError(
        413,
        "SYNC_TOO_LARGE",
        f"한 번에 보낼 수 있는 크기({limit // (1024 * 1024)} MiB)를 넘었어요. 더 작게 나눠 보내 주세요.",
        f"The batch is larger than {limit // (1024 * 1024)} MiB; send smaller batches.",
    )


def conflict(kind: str, seq: int) -> SyncError:
    name_ko = "이벤트" if kind == "event" else "감사 기록"
    return SyncError(
        409,
        "SYNC_CONFLICT",
        f"본부에 이미 있는 {name_ko} {seq}번과 내용이 달라요. 아무것도 저장하지 않았어요.",
        f"{kind} seq {seq} differs from the one HQ already holds; nothing was stored.",
    )


def gap(kind: str, first: int, acked: int) -> SyncError:
    name_ko = "이벤트" if kind == "event" else "감사 기록"
    return SyncError(
        409,
        "SYNC_GAP",
        f"{name_ko}가 {acked + 1}번부터 이어져야 하는데 {first}번부터 왔어요. "
        f"{acked + 1}번부터 다시 보내 주세요.",
        f"{kind} seq {first} does not follow HQ's {acked}; resend from {acked + 1}.",
    )


def chain_broken(seq: int, reason_en: str, reason_ko: str) -> SyncError:
    return SyncError(
        409,
        "SYNC_CHAIN_BROKEN",
        f"감사 기록 {seq}번이 본부에 저장된 사슬과 이어지지 않아요: {reason_ko}. 아무것도 저장하지 않았어요.",
        f"Audit seq {seq} does not continue HQ's stored chain: {reason_en}; nothing was stored.",
    )
