"""The consent page a citizen opens from an SMS link (issue 19): each item in full, agreed item by item,
confirmed with the SMS code."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/m", include_in_schema=False)
