"""The hub's wire contract: every request and response body, and the error shape, typed.

The hub (kiosk.hub, the server), its clients (kiosk.client) and the screens (ui) all import these, and
none of them imports the other's insides: ui and kiosk.client never import kiosk.hub (an import-linter
contract in pyproject.toml). The models make /openapi.json. One module per area:

- common: text, times and numbers a database and JSON can hold; `Strict`; the Idempotency-Key header
- errors: `{"error": {code, message_ko, message_en, fields}}` and the codes both sides name
- auth, devices, visits (and signatures), tickets, cases, documents, aftercare: the bodies per area
- chat: the public FAQ assistant's question and answer
- trust: the center CA's fingerprint and the enrollment string (`<code>@sha256:<hex>`)
"""

from kiosk.api.aftercare import (
    AftercareIn,
    FollowUpOut,
    StatisticsOut,
)
from kiosk.api.auth import (
    CounselorIn,
    CounselorOut,
    LoginIn,
    LoginOut,
    MeOut,
)
from kiosk.api.cases import (
    CaseView,
    ConsentOut,
    EarlierVisit,
    IdentityOut,
    NoteIn,
    NoteOut,
    OutcomeIn,
    PersonMasked,
    PersonRevealed,
)
from kiosk.api.chat import Alternative, ChatRequest, ChatResponse
from kiosk.api.common import (
    EVENT_YEARS,
    IDEMPOTENCY_HEADER,
    JSON_SAFE,
    MULTILINE_PATTERN,
    ONE_LINE_PATTERN,
    BirthDate,
    EventDate,
    EventTime,
    FiniteFloat,
    Hex64,
    IdemKey,
    LineCode,
    MultilineText,
    OkOut,
    PlainText,
    SafeInt,
    ShortText,
    Strict,
    check_plain_json,
)
from kiosk.api.devices import (
    CounterCodeOut,
    DeviceOut,
    EnrollIn,
    EnrollOut,
    HealthIn,
    MirrorIn,
    MirrorOut,
    PairingCodeIn,
    PairingCodeOut,
    PairOut,
)
from kiosk.api.documents import (
    DOCUMENT_TITLES,
    DocumentIn,
    DocumentOut,
    TemplateName,
)
from kiosk.api.errors import (
    ErrorBody,
    ErrorDetail,
)
from kiosk.api.signatures import (
    SignatureIn,
    SignaturePointIn,
)
from kiosk.api.tickets import (
    CallNextIn,
    ClaimIn,
    QueueLine,
    QueueOut,
    ReserveIn,
    TicketIssueIn,
    TicketOut,
    TransferIn,
)
from kiosk.api.trust import TlsFiles, TlsSetupError, enrollment_string, fingerprint, parse_enrollment
from kiosk.api.visits import (
    AnswerValue,
    ConsentIn,
    ConsentItemId,
    ConsentItemState,
    IdentityIn,
    IntakeIn,
    MatchIn,
    QuestionId,
    ReasonIn,
    VerdictIn,
    VisitReceipt,
    VisitSubmission,
)

__all__ = [
    "DOCUMENT_TITLES",
    "EVENT_YEARS",
    "IDEMPOTENCY_HEADER",
    "JSON_SAFE",
    "MULTILINE_PATTERN",
    "ONE_LINE_PATTERN",
    "AftercareIn",
    "Alternative",
    "AnswerValue",
    "BirthDate",
    "CallNextIn",
    "CaseView",
    "ChatRequest",
    "ChatResponse",
    "ClaimIn",
    "ConsentIn",
    "ConsentItemId",
    "ConsentItemState",
    "ConsentOut",
    "CounselorIn",
    "CounselorOut",
    "CounterCodeOut",
    "DeviceOut",
    "DocumentIn",
    "DocumentOut",
    "EarlierVisit",
    "EnrollIn",
    "EnrollOut",
    "ErrorBody",
    "ErrorDetail",
    "EventDate",
    "EventTime",
    "FiniteFloat",
    "FollowUpOut",
    "HealthIn",
    "Hex64",
    "IdemKey",
    "IdentityIn",
    "IdentityOut",
    "IntakeIn",
    "LineCode",
    "LoginIn",
    "LoginOut",
    "MatchIn",
    "MeOut",
    "MirrorIn",
    "MirrorOut",
    "MultilineText",
    "NoteIn",
    "NoteOut",
    "OkOut",
    "OutcomeIn",
    "PairOut",
    "PairingCodeIn",
    "PairingCodeOut",
    "PersonMasked",
    "PersonRevealed",
    "PlainText",
    "QuestionId",
    "QueueLine",
    "QueueOut",
    "ReasonIn",
    "ReserveIn",
    "SafeInt",
    "ShortText",
    "SignatureIn",
    "SignaturePointIn",
    "StatisticsOut",
    "Strict",
    "TemplateName",
    "TicketIssueIn",
    "TicketOut",
    "TlsFiles",
    "TlsSetupError",
    "TransferIn",
    "VerdictIn",
    "VisitReceipt",
    "VisitSubmission",
    "check_plain_json",
    "enrollment_string",
    "fingerprint",
    "parse_enrollment",
]
