"""Issue 16: consent in fewer taps, still lawful. One "필수 항목에 모두 동의해요" agrees to every required
item, each recorded on its own; optional items stay not agreed unless tapped; the record is as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from config import load_settings
from config.consent import consent_set
from kiosk.context import AppContext
from tests.ui.lobby.helpers import flush

ITEMS = consent_set().items
REQUIRED = [item.id for item in ITEMS if item.required]
OPTIONAL = [item.id for item in ITEMS if not item.required]


@pytest.fixture
def workflow_only(tmp_path: Path) -> Iterator[tuple[Any, AppContext]]:
    """The visit workflow on a scratch database, no devices: a screen signature, no pad."""
    from ui.lobby.emulated import _sessions, _workflow
    from ui.lobby.services import LobbyServices

    ctx = AppContext(db_url_option=f"sqlite:///{tmp_path / 'lobby.db'}")
    services = LobbyServices(settings=load_settings(), sessions=_sessions(ctx, create_tables=True))
    services.voice_record_dir = tmp_path / "voice"
    _workflow(services)
    yield services, ctx
    services.close()
    ctx.engine.dispose()


def _consent_screen(lobby: Any) -> Any:
    lobby.go("consent")
    flush()
    return lobby.screens["consent"]


def test_one_tap_agrees_to_every_required_item_and_to_no_optional_one(lobby: Any) -> None:
    consent = _consent_screen(lobby)
    assert not lobby.primary.isEnabled()  # nothing agreed yet: no signing
    assert consent.agree_required.isVisible() and consent.agree_required.text() == "필수 항목에 모두 동의해요"
    consent.agree_required.click()
    assert dict(lobby.draft.consents) == dict.fromkeys(REQUIRED, True)  # each item on its own, no optional
    for card in consent.cards:
        assert card.agree.isChecked() is card.item.required  # what the person sees: required ones ticked
        assert not card.refuse.isChecked()  # optional ones neither agreed nor refused: never pre-checked
        assert card.text.text().strip()  # every item's whole text is still on the screen
    assert consent.agree_required.isChecked() and "동의했어요" in consent.agree_required.text()
    assert lobby.primary.isEnabled() and lobby.primary.text() == "서명하러 가기"


def test_each_card_can_still_be_tapped_after_the_one_tap(lobby: Any) -> None:
    consent = _consent_screen(lobby)
    consent.agree_required.click()
    marketing = next(card for card in consent.cards if card.item.id == "marketing")
    marketing.agree.click()  # an optional item agreed by its own tap
    assert lobby.draft.consents["marketing"] is True
    assert all(lobby.draft.consents.get(item) is None for item in OPTIONAL if item != "marketing")
    first = next(card for card in consent.cards if card.item.required)
    first.refuse.click()  # changing one's mind on a required item: signing is off again
    assert lobby.draft.consents[first.item.id] is False
    assert not consent.agree_required.isChecked() and not lobby.primary.isEnabled()
    consent.agree_required.click()
    assert first.agree.isChecked() and lobby.primary.isEnabled()
    assert lobby.draft.consents["marketing"] is True  # the one tap never touches an optional item


def test_the_one_tap_speaks_english_in_english(lobby: Any) -> None:
    lobby.set_language("en")
    consent = _consent_screen(lobby)
    assert consent.agree_required.text() == "I agree to all required items"
    assert "[Optional]" in consent.intro.text()
    assert not any("가" <= ch <= "힣" for ch in consent.agree_required.text() + consent.intro.text())


@pytest.mark.slow
def test_the_stored_record_keeps_each_item_separately(
    make_lobby: Any, workflow_only: tuple[Any, AppContext], qtbot: QtBot
) -> None:
    from db.models.visit import Consent
    from ui.lobby.tour import sign_on_canvas

    services, ctx = workflow_only
    lobby = make_lobby(services)
    lobby.primary.click()  # 상담 접수 시작
    identify = lobby.screens["identify"]
    identify.manual.click()
    identify.name_edit.setText("김민수")
    identify.birth_edit.setText("1979-05-02")
    identify.phone_edit.setText("010-2345-6789")
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.current == "consent" and lobby.draft.flow is not None, timeout=20000)
    flow = lobby.draft.flow
    consent = lobby.screens["consent"]
    taps = 0
    consent.agree_required.click()
    next(card for card in consent.cards if card.item.id == "marketing").agree.click()
    lobby.primary.click()  # 서명하러 가기
    taps += 2
    assert consent.mode == "sign" and consent.method == "screen"  # no pad here
    sign_on_canvas(consent.canvas)
    lobby.primary.click()  # 서명 완료
    taps += 1
    assert taps == 3  # was 6 cards + 서명하러 가기 + 서명 완료 = 8 without a pad
    qtbot.waitUntil(lambda: flow.step == "needs", timeout=20000)
    with ctx.sessions() as session:
        row = session.scalars(select(Consent)).one()
    expected = {
        item.id: {"granted": item.required or item.id == "marketing", "required": item.required}
        for item in ITEMS
    }
    assert row.items == expected  # every item shown has its own state, as before
    assert (row.text_version, row.text_sha256) == (consent_set().version, consent_set().sha256)
    assert row.signature_id is not None
    wire = flow.record.consent
    assert wire is not None and {k: v.granted for k, v in wire.items.items()} == {
        k: v["granted"] for k, v in expected.items()
    }
