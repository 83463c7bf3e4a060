"""What the backend and the emulator agree on: paths, the custom field, status codes and error codes.

Shaped like Solapi v4: ``POST /messages/v4/send`` with ``{"message": {"to", "from", "text", "type",
"subject", "customFields"}}`` answers ``{"groupId", "messageId", "statusCode": "2000", …}``; ``GET
/messages/v4/list?messageId=…`` (repeatable) answers ``{"messageList": {id: {"statusCode", …}}}``; an error
is ``{"errorCode", "errorMessage"}`` with a 4xx/5xx status. Status codes: 2000 accepted, 3000 handed to
the carrier, 4000 delivered; 3xxx other than 3000 are failures (mapped below onto the SMPP stat words).
"""

from __future__ import annotations

from kiosk.sms.gateway import DeliveryStatus, GatewayErrorKind

SEND_PATH = "/messages/v4/send"
LIST_PATH = "/messages/v4/list"
CUSTOM_ID = "kioskMessageId"  # our message id rides in customFields: a resend is recognised by it
MAX_LIST_IDS = 100

ACCEPTED, TO_CARRIER, DELIVERED = "2000", "3000", "4000"
EXPIRED_CODE, UNREACHABLE_CODE, REFUSED_CODE = "3030", "3040", "3041"
STATUS_MESSAGES = {
    ACCEPTED: "정상 접수(이통사로 접수 예정)",
    TO_CARRIER: "이통사로 접수 완료",
    DELIVERED: "수신 완료",
    EXPIRED_CODE: "전송 시간 초과",
    UNREACHABLE_CODE: "단말기 전원 꺼짐 또는 음영 지역",
    REFUSED_CODE: "수신 거부",
}

# errorCode → what the backend makes of it (4xx only; 429 and 5xx are decided by the status alone)
AUTH_CODES = frozenset(
    {
        "MalformedAuthorization",
        "InvalidApiKey",
        "SignatureDoesNotMatch",
        "RequestTimeTooSkewed",
        "DuplicatedSignature",
    }
)
REJECT_CODES = frozenset(
    {
        "ValidationError",
        "InvalidPhoneNumber",
        "SenderNotRegistered",
        "InvalidType",
        "TooLongText",
        "TooLongSubject",
        "InvalidCharacter",
    }
)


def delivery_status(code: str) -> DeliveryStatus:
    """The provider's status code as an SMPP stat word (an unknown code is UNKNOWN, not final)."""
    if code in (ACCEPTED, TO_CARRIER):
        return DeliveryStatus.ENROUTE
    if code == DELIVERED:
        return DeliveryStatus.DELIVRD
    if code == EXPIRED_CODE:
        return DeliveryStatus.EXPIRED
    if code == REFUSED_CODE:
        return DeliveryStatus.REJECTD
    if len(code) == 4 and code.isdigit() and code.startswith("3"):
        return DeliveryStatus.UNDELIV
    return DeliveryStatus.UNKNOWN


def error_kind(status: int, code: str) -> GatewayErrorKind:
    """An HTTP error answer as a GatewayError kind: 429 throttled, 5xx unavailable, 401/403 or an auth
    code is AUTH, any other 4xx REJECTED."""
    if status == 429:
        return GatewayErrorKind.THROTTLED
    if status >= 500 or status in (408, 425):
        return GatewayErrorKind.UNAVAILABLE
    if code in AUTH_CODES or (status in (401, 403) and code not in REJECT_CODES):
        return GatewayErrorKind.AUTH
    return GatewayErrorKind.REJECTED
