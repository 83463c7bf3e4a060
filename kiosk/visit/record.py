"""The wire parts of the visit record (``kiosk.api.visits.VisitRecord``), made from what a step learned.

Apart from the flow so the state machine stays about steps; each part is checked by its model as it is
made, so a value the hub would refuse fails at its own step, not at the hand-off.
"""

from __future__ import annotations

from collections.abc import Mapping

from db.models.enums import ConsentMethod
from kiosk.api.signatures import SignatureIn
from kiosk.api.visits import ConsentIn, ConsentItemState, IdentityIn, MatchIn, VerdictIn
from kiosk.matching.engine import MatchReport
from kiosk.visit.steps import IdentitySummary


def identity_part(identity: IdentitySummary) -> IdentityIn | None:
    """What the hub keeps of the person; only a named person becomes a case's person."""
    if not identity.name:
        return None
    return IdentityIn.model_validate(
        {
            "method": identity.method,
            "document_kind": identity.document_kind,
            "result": identity.result,
            "verifier": identity.verifier,
            "name": identity.name,
            "rrn": identity.rrn,
            "phone": identity.phone,
            "birth_date": identity.birth_date,
        }
    )


def match_part(report: MatchReport) -> MatchIn:
    """The verdicts with the programs' names as the catalogue said them at matching time."""
    return MatchIn(
        catalogue_version=str(report.catalogue_version),
        engine_version=str(report.engine_version),
        verdicts=[
            VerdictIn.model_validate(
                {
                    "id": v.id,
                    "name_ko": v.program.text["name_ko"],
                    "name_en": v.program.text["name_en"],
                    "verdict": v.verdict,
                    "reasons": [r.to_dict() for r in v.reasons],
                }
            )
            for v in report.programs
        ],
    )


def consent_part(
    granted: Mapping[str, ConsentItemState],
    text_version: str,
    text_sha256: str,
    method: ConsentMethod,
    signature: SignatureIn | None,
) -> ConsentIn | None:
    """The consent as it goes over the wire; a consent with no items (a center without consent texts)
    has nothing for the hub to keep."""
    if not granted:
        return None
    return ConsentIn(
        items=dict(granted), text_version=text_version, text_sha256=text_sha256, method=method,
        signature=signature,
    )  # fmt: skip
