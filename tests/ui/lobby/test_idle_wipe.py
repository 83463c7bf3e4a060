"""Idle: warning with a countdown and 시간 연장, then the wipe. After the wipe no personal data is
left in any widget or model, the look is back to default and an audit event is stored."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from db.models.operations import AuditEvent
from devices.id.model import DocumentKind, IdDocument
from kiosk.visit.questionnaire import load_questionnaire
from tests.ui.lobby.helpers import all_texts, deep_attrs
from tests.ui.lobby.tour_helpers import type_hangul
from ui.lobby.services import LobbyServices

# A synthetic identity (never a real person): the strings that must not survive a wipe.
NAME = "한가람"
RRN = "850315-2234567"
RRN_MASKED = "850315-2******"
PHONE = "01098765432"


def _fill_a_visit(lobby: Any, qtbot: Any) -> None:
    """A visitor reads a card, agrees, signs, answers, and types a phone number: personal data everywhere."""
    lobby.primary.click()  # 상담 접수 시작
    identify = lobby.screens["identify"]
    identify.mode = "waiting"
    document = IdDocument(
        kind=DocumentKind.RESIDENT_CARD
        if hasattr(DocumentKind, "RESIDENT_CARD")
        else next(iter(DocumentKind)),
        name=NAME,
        rrn=RRN,
        rrn_masked=RRN_MASKED,
        birth_date=date(1985, 3, 15),
        source="image",
    )
    identify._document(document)  # exactly what the reader adapter delivers
    assert identify.rrn_value.text() == RRN_MASKED
    assert identify.name_value.text() == "한*람"  # masked on screen
    identify.manual.click()
    type_hangul(identify.name_edit, NAME)
    identify.phone_edit.setText(PHONE)
    identify.birth_edit.setText("1985-03-15")
    lobby.primary.click()
    consent = lobby.screens["consent"]
    for card in consent.cards:
        card.agree.click()
    lobby.primary.click()
    lobby.go("needs")
    needs = lobby.screens["needs"]
    needs.answer("debt")
    assert lobby.draft.answers


def test_idle_warning_extend_then_wipe_leaves_nothing(
    make_lobby: Any, qtbot: Any, sqlite_engine: Any
) -> None:
    from sqlalchemy.orm import sessionmaker

    from config import load_settings

    sessions = sessionmaker(sqlite_engine)
    services = LobbyServices(settings=load_settings(), sessions=sessions, questionnaire=load_questionnaire())
    (services.temp_dir / "card.png").write_bytes(b"masked card image")
    lobby = make_lobby(services, idle_ms=300, warning_s=3, tick_ms=50)
    lobby.screens["welcome"].contrast.click()
    lobby.screens["welcome"].size_buttons["extra_large"].click()
    lobby.screens["welcome"].voice.click()
    _fill_a_visit(lobby, qtbot)
    assert any(NAME in text for text in all_texts(lobby))

    # The warning comes, counts down, and 시간 연장 keeps the visit.
    qtbot.waitUntil(lambda: lobby.idle_overlay.isVisible(), timeout=3000)
    assert lobby.idle_overlay.countdown.text() in {"3초", "2초"}
    lobby.idle_overlay.extend.click()
    assert not lobby.idle_overlay.isVisible()
    assert lobby.current == "needs" and lobby.draft.answers

    # Then nobody touches it: warning, countdown, wipe.
    with qtbot.waitSignal(lobby.wiped, timeout=5000) as wiped:
        pass
    assert wiped.args == ["idle"]
    assert lobby.current == "welcome"
    texts = "\n".join(all_texts(lobby))
    for secret in (NAME, "한*람", RRN, RRN_MASKED, RRN.replace("-", ""), PHONE, "010-9876", "1985-03-15"):
        assert secret not in texts, f"{secret!r} survived the wipe"
    assert NAME not in deep_attrs(lobby.draft) and RRN not in deep_attrs(lobby.draft)
    assert lobby.draft.answers == {} and lobby.draft.document is None
    # Accessibility back to the kiosk defaults for the next person.
    assert (lobby.theme_name, lobby.text_size, lobby.voice.enabled) == ("default", "normal", False)
    assert lobby.screens["welcome"].size_buttons["normal"].isChecked()
    assert not (services.temp_dir / "card.png").exists()

    # An audit event with ids and counts only.
    def audited() -> list[AuditEvent]:
        with sessions() as session:
            return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "lobby.wipe")))

    qtbot.waitUntil(lambda: bool(audited()), timeout=5000)
    event = audited()[0]
    assert event.detail["reason"] == "idle" and event.detail["temp_files_removed"] == 1
    assert NAME not in str(event.detail)


def test_start_over_wipes_too(lobby: Any, qtbot: Any) -> None:
    _fill_a_visit(lobby, qtbot)
    with qtbot.waitSignal(lobby.wiped) as wiped:
        lobby.home_button.click()
    assert wiped.args == ["start_over"]
    assert not any(NAME in text for text in all_texts(lobby))


def test_no_idle_clock_on_an_untouched_welcome(make_lobby: Any, qtbot: Any) -> None:
    lobby = make_lobby(idle_ms=100, warning_s=2, tick_ms=20)
    lobby.screens["welcome"].ticket_only.setFocus()
    qtbot.wait(300)  # nothing should happen: there is no visitor to forget
    assert not lobby.idle_overlay.isVisible()


def test_chat_conversation_is_forgotten_by_the_wipe(make_lobby: Any, qtbot: Any) -> None:
    lobby = make_lobby(with_chat=True)
    chat = lobby.screens["chat"]
    lobby.screens["welcome"].chat.click()
    assert lobby.current == "chat"
    qtbot.waitUntil(lambda: chat.ready, timeout=60000)
    shown: list[object] = []
    chat.panel.answerShown.connect(shown.append)
    chat.panel.ask("제 번호 010-9876-5432로 연락 주세요. 채무조정 서류가 뭐예요?")
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    texts = "\n".join(all_texts(lobby))
    assert "채무조정" in texts and PHONE[3:7] not in texts  # the panel masks a typed phone number
    with qtbot.waitSignal(lobby.wiped):
        lobby.home_button.click()
    qtbot.waitUntil(lambda: "채무조정 서류가 뭐예요" not in "\n".join(all_texts(lobby)), timeout=5000)
    assert chat.panel.transcript.text() == ""
