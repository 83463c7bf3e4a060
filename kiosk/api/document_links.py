"""내 서류 (issue 19): the desk sends the person a 7-day link to copies of their signed PDFs, and the
code that unlocks it in a separate SMS.

The request has no body (the visit is in the path; the number is the visit's own). The answer names the
number masked only, and when the link stops working.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class DocumentLinkOut(BaseModel):
    visit_id: uuid.UUID
    to_masked: str  # "010-****-5678"
    expires_at: datetime  # 7 days on the center clock; sending again revokes the link before
    documents: int  # signed documents the link opens now
    link_message_id: str
    code_message_id: str


# Refusals of POST /visits/{visit_id}/document-link (besides SMS_UNAVAILABLE, SMS_NOT_MOBILE, SMS_OPTED_OUT)
NO_PHONE_NUMBER = "no_phone_number"  # 409: the visit has no number to send to
NO_SIGNED_DOCUMENT = "no_signed_document"  # 409: nothing signed yet: the link would open nothing
LINK_UNSENDABLE = "document_link_unsendable"  # 409: the center's web address does not fit the message
