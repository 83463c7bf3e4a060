"""내 서류 (issue 19): after signing at the counter, a 7-day link unlocked by a code sent separately, to
download copies of the signed PDFs; every download audited."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/m", include_in_schema=False)
