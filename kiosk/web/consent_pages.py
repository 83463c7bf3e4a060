"""The consent page a citizen opens from an SMS link (issue 19): each item in full, agreed item by item,
confirmed with the SMS code.

A phone counseling's LMS carries ``/m/c/<token>`` (kiosk.sms.consent_code mints it with the code).
The page shows every item of the center's texts — title, full text, required or optional, legal
basis — with "동의해요 / 동의하지 않아요" for each and nothing chosen in advance; the caller types the
code from the same LMS and posts a plain form (no JavaScript needed). The code is checked by the same
rules as at the desk (tries, lock, expiry, once); the caller's choices become the challenge's items, the
audit chain says the choice was made on the web (ids only), and the desk hears it on the hub's bus.
The desk then records the consent from the challenge as it always does.

No number and no name is shown: the page is about the texts and the caller's choices only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from config import clock
from config.consent import ConsentItem, consent_set
from db.audit import append_event
from db.models import ChallengePurpose, ChallengeStatus, SmsConsentChallenge
from kiosk.api import errors as codes
from kiosk.sms.consent_code import (
    LINK_KIND,
    ConsentCodeRefused,
    confirm_with_choices,
    delivery_status,
    page_choices,
    state_of,
    tries_left,
)
from kiosk.web.links import open_link
from kiosk.web.render import hub_of, render_page
from kiosk.web.words import words

router = APIRouter(prefix="/m", include_in_schema=False)

# The form is six radio pairs and a code: a few hundred bytes. Anything much bigger is not our form.
MAX_FORM_BYTES = 2000
MAX_FORM_FIELDS = 30
ACTOR = "web:consent-holder"  # the caller, known only by holding the link and the code
CONFIRMED_EVENT = "sms_consent.confirmed"
_MARK = re.compile(r"\s*\((선택|필수|optional|required)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ShownItem:
    """One consent item as the page shows it, in the page's language."""

    id: str
    title: str
    text: str
    required: bool
    legal_basis: str


@dataclass
class ConsentView:
    """What the page shows. ``state``: open (the form), confirmed, expired, locked or stale (the texts
    changed since the code was sent)."""

    state: str
    items: list[ShownItem]
    chosen: dict[str, bool] = field(default_factory=dict)
    tries_left: int = 0
    error: str = ""

    @property
    def required_refused(self) -> bool:
        return any(item.required and self.chosen.get(item.id) is False for item in self.items)


def _shown(item: ConsentItem, english: bool) -> ShownItem:
    # The page marks 필수/선택 itself: the title's own "(선택)" would say it twice.
    title = _MARK.sub("", item.title_en if english else item.title_ko)
    return ShownItem(
        item.id, title, item.text_en if english else item.text_ko, item.required, item.legal_basis
    )


def _english(request: Request) -> bool:
    return request.query_params.get("lang") == "en"


def _challenge(session: Any, token: str, *, lock: bool) -> SmsConsentChallenge | None:
    """The phone counseling's challenge behind a valid consent link of the same center, or None."""
    link = open_link(session, token, LINK_KIND)
    if link is None:
        return None
    challenge = session.get(SmsConsentChallenge, link.subject_id, with_for_update=lock)
    if challenge is None or challenge.center_id != link.center_id:
        return None
    if challenge.purpose is not ChallengePurpose.PHONE_COUNSELING:
        return None
    return challenge


def _view(challenge: SmsConsentChallenge, english: bool) -> ConsentView:
    texts = consent_set()
    state: str = state_of(challenge, clock.now())
    if state == "sent":
        state = "open" if challenge.text_sha256 == texts.sha256 else "stale"
    chosen = {k: bool(v) for k, v in challenge.items.items()} if state == "confirmed" else {}
    items = [_shown(item, english) for item in texts.items]
    return ConsentView(state, items, chosen, tries_left(challenge))


def _open_page(request: Request, token: str) -> ConsentView | None:
    """The page's view; each opening is a read of the caller's consent record, so it is audited."""
    with hub_of(request).sessions() as session:
        challenge = _challenge(session, token, lock=False)
        if challenge is None:
            return None
        view = _view(challenge, _english(request))
        append_event(
            session, ACTOR, "sms_consent.web_view", f"sms_consent:{challenge.id}", {"state": view.state}
        )
        session.commit()
        return view


def _audit_detail(challenge: SmsConsentChallenge, **more: Any) -> dict[str, Any]:
    """As the desk's confirm writes it (kiosk.hub.routes_sms_consent), and where the choice was made."""
    return {
        "purpose": challenge.purpose.value,
        "text_version": challenge.text_version,
        "message_id": str(challenge.message_id),
        "method": "web",
        **more,
    }


def _answer(request: Request, token: str, fields: dict[str, str]) -> ConsentView | None:
    """Check the code and take the caller's choices. None: no such page. A view with ``error`` set:
    shown again (the wrong try already counted); a view without: confirmed, or no longer open."""
    hub = hub_of(request)
    english = _english(request)
    w = words(english)
    with hub.sessions() as session:
        challenge = _challenge(session, token, lock=True)
        if challenge is None:
            return None
        view = _view(challenge, english)
        if view.state != "open":
            return view  # confirmed, expired, locked or stale: the page says which, nothing is counted
        chosen = page_choices(fields)
        if chosen is None:
            view.chosen = {k: v == "yes" for k, v in fields.items() if v in ("yes", "no")}
            view.error = w["consent_choose_all"]
            return view
        before = challenge.status
        try:
            confirm_with_choices(hub.keys, challenge, fields.get("code", ""), chosen, clock.now())
        except ConsentCodeRefused as exc:
            if challenge.status != before:  # this wrong code was the fifth
                append_event(
                    session, ACTOR, "sms_consent.locked", f"sms_consent:{challenge.id}",
                    _audit_detail(challenge),
                )  # fmt: skip
            session.commit()  # the wrong try counts, whatever the caller does next
            view = _view(challenge, english)
            if exc.code == codes.SMS_CODE_WRONG:
                view.chosen = chosen
                view.error = w["consent_wrong"].replace("{left}", str(tries_left(challenge)))
            return view
        granted = sorted(item for item, yes in chosen.items() if yes)
        append_event(
            session, ACTOR, "sms_consent.confirm", f"sms_consent:{challenge.id}",
            _audit_detail(
                challenge, sms_consent=str(challenge.id), granted=granted,
                delivery_status=delivery_status(session, challenge),
            ),
        )  # fmt: skip
        session.commit()
        assert challenge.status is ChallengeStatus.CONFIRMED
        # The desk hears it at once (ids only, as every event): the code is confirmed, it may record.
        data = {
            "challenge_id": str(challenge.id),
            "visit_id": str(challenge.visit_id) if challenge.visit_id else None,
            "status": "confirmed",
            "method": "web",
        }
        hub.bus.publish(str(challenge.center_id), CONFIRMED_EVENT, data)
        return _view(challenge, english)


def _page(request: Request, token: str, view: ConsentView, status: int = 200) -> HTMLResponse:
    return render_page(request, "consent.html", status=status, view=view, token=token)


@router.get("/c/{token}", response_class=HTMLResponse)
async def consent_page(request: Request, token: str) -> HTMLResponse:
    view = await run_in_threadpool(_open_page, request, token)
    if view is None:
        return render_page(request, "gone.html", status=404)
    return _page(request, token, view)


@router.post("/c/{token}", response_class=HTMLResponse)
async def consent_answer(request: Request, token: str) -> Response:
    body = await request.body()
    fields: dict[str, str] | None = None
    if len(body) <= MAX_FORM_BYTES:
        try:
            parsed = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=MAX_FORM_FIELDS)
        except ValueError:  # more fields than any form of ours has
            parsed = None
        if parsed is not None:
            fields = {name: values[0][:20] for name, values in parsed.items() if values}
    if fields is None:
        view = await run_in_threadpool(_open_page, request, token)
        if view is None:
            return render_page(request, "gone.html", status=404)
        view.error = words(_english(request))["consent_too_long"]
        return _page(request, token, view, status=413)
    answered = await run_in_threadpool(_answer, request, token, fields)
    if answered is None:
        return render_page(request, "gone.html", status=404)
    if answered.error:
        return _page(request, token, answered, status=400)
    query = request.url.query
    return RedirectResponse(f"/m/c/{token}" + (f"?{query}" if query else ""), status_code=303)
