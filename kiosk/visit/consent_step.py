"""The consent step's rules: every item known, every required item granted, the text identified.

Apart from the flow so the state machine stays about steps; the one consent record itself is built by
``kiosk.api.visits.consent_items`` (the kiosk's row and the hub's are both that).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from kiosk.api.signatures import SignatureIn
from kiosk.api.visits import ConsentIn, ConsentItemState, consent_items
from kiosk.visit.steps import VisitError


def checked_items(
    items: Mapping[str, bool], known: Mapping[str, bool], text_version: str, text_sha256: str
) -> dict[str, ConsentItemState]:
    """Each item as granted or refused with whether it was required, or the VisitError to show."""
    unknown = [item for item in items if known and item not in known]
    if unknown:
        raise VisitError(
            "VISIT_CONSENT_UNKNOWN", "알 수 없는 동의 항목이에요", f"unknown consent items {unknown}"
        )
    missing = [item for item, required in known.items() if required and not items.get(item)]
    if missing:
        raise VisitError(
            "VISIT_CONSENT_REQUIRED",
            "필수 항목에 동의해야 상담 접수를 이어갈 수 있어요. 동의하지 않으면 번호표만 받을 수 있어요",
            f"required consent items not granted: {missing}",
        )
    if not text_version or len(text_sha256) != 64:
        raise VisitError(
            "VISIT_CONSENT_TEXT",
            "동의서 정보가 없어요. 직원에게 알려 주세요",
            "text version and sha256 needed",
        )
    return consent_items(items, known)


def sms_consent_part(
    granted: Mapping[str, ConsentItemState],
    text_version: str,
    text_sha256: str,
    challenge_id: uuid.UUID,
    signature: SignatureIn | None,
) -> ConsentIn | None:
    """The consent by SMS code as it goes over the wire (no signature: the code is its proof)."""
    if signature is not None:
        raise VisitError(
            "VISIT_CONSENT_TWO_PROOFS",
            "서명과 문자 인증 중 하나로만 동의해 주세요",
            "signature and SMS code given",
        )
    if not granted:
        return None
    return ConsentIn(
        items=dict(granted), text_version=text_version, text_sha256=text_sha256, method="sms",
        sms_challenge_id=challenge_id,
    )  # fmt: skip
