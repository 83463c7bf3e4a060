"""What "자동 시연 · Autoplay" does: walk-ins through the real lobby screens, the desk, the counter.

Every step presses the same button a person would (``animateClick``: the press is visible) on the real
windows, then yields to the player (ui.desk.demo_autoplay) until the windows have answered. The lobby
part uses the lobby's own driving helpers (``ui.lobby.driving.screen_of``, the tour's scripted answers);
signatures go through the emulated pads' serial lines, the ticket through the emulated printer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QAbstractButton, QWidget

from devices.signature.emulator import EmulatedPad
from devices.signature.pad import SignaturePad
from printers.escpos.emulator import EmulatedPrinter
from ui.counter.window import CounterWindow
from ui.desk.demo_autoplay import Pause, Say, Scene, Script, Wait
from ui.desk.window import DeskWindow
from ui.lobby.driving import answer_buttons, moved_on, screen_of
from ui.lobby.screens.consent import ConsentScreen
from ui.lobby.screens.identify import IdentifyScreen
from ui.lobby.screens.needs import NeedsScreen
from ui.lobby.screens.results import ResultsScreen
from ui.lobby.screens.ticket import TicketScreen
from ui.lobby.tour import SCRIPTED_ANSWERS, answer_for
from ui.lobby.window import LobbyWindow

TAP_MS = 450  # a tap, then a breath before the next one (at pace 1.0)
VERDICTS, DOCUMENTS = 3, 4  # the desk's case sections (ui.desk.case_tabs)


@dataclass
class DemoParts:
    """The windows and emulated devices the script presses and watches."""

    lobby: LobbyWindow
    desk: DeskWindow
    counter: CounterWindow
    counter_pad: EmulatedPad
    lobby_pad: EmulatedPad | None
    lobby_printer: EmulatedPrinter | None
    visible_taps: bool = True  # False (fast test runs): click at once instead of showing the press
    mark_tap: Callable[[QWidget], None] | None = None  # rings the pressed spot on the screen


def walk_ins(parts: DemoParts, count: int) -> Script:
    """``count`` visitors, each from the welcome screen to a signed document and a closed ticket."""
    for n in range(1, count + 1):
        number = yield from lobby_visit(parts, n)
        yield from desk_and_counter(parts, number)
    yield Say(f"자동 시연을 마쳤어요: 방문자 {count}명 · Autoplay done, walk-ins: {count}")


def _tap(parts: DemoParts, button: QAbstractButton) -> Script:
    if not button.isEnabled():
        raise RuntimeError(f"the button {button.objectName() or button.text()!r} is not enabled")
    if button.window() is parts.lobby and parts.lobby.idle_watcher is not None:
        parts.lobby.idle_watcher.restart()  # a press is activity, as a real touch is (no idle wipe)
    if parts.visible_taps:
        if parts.mark_tap is not None:
            parts.mark_tap(button)
        button.animateClick()  # pressed for a moment on screen, then clicked
    else:
        button.click()
    yield Pause(TAP_MS)


def lobby_visit(parts: DemoParts, n: int) -> Scene:
    lobby = parts.lobby
    if lobby.current != "welcome":
        yield Say("키오스크를 첫 화면으로 돌려요 · The kiosk goes back to its welcome screen")
        lobby.start_over()
        yield Wait(lambda: lobby.current == "welcome", "the welcome screen")
    yield Say(f"{n}번째 방문자가 '상담 접수 시작'을 눌러요 · Visitor {n} starts at the kiosk")
    yield from _tap(parts, lobby.primary)
    yield Wait(lambda: lobby.current == "identify", "the ID screen")
    identify = screen_of(lobby, "identify", IdentifyScreen)
    yield Say("신분증을 스캐너에 올려요 — 카드 사진을 OCR로 읽어요 · The ID card goes on the scanner")
    yield from _tap(parts, identify.scan)
    yield Wait(lambda: identify.mode in ("confirm", "choose", "manual"), "the ID scanner to read", 120)
    if identify.mode == "confirm":
        yield Say("읽은 내용을 확인해요 (가려진 이름) · The visitor checks what was read")
    else:
        yield from _type_identity(parts, identify)
    yield from _tap(parts, lobby.primary)
    yield Wait(lambda: lobby.current == "consent", "the consent screen")
    yield from _consent(parts, screen_of(lobby, "consent", ConsentScreen))
    yield Wait(lambda: lobby.current == "needs", "the questions", 30)
    yield from _needs(parts, screen_of(lobby, "needs", NeedsScreen))
    return (yield from _results_and_ticket(parts))


def _type_identity(parts: DemoParts, identify: IdentifyScreen) -> Script:
    """The card could not be read: the visitor types a (synthetic) name, birth date and phone instead."""
    from ui.lobby.tour import type_hangul

    yield Say("카드를 읽지 못해서 직접 입력해요 · The card was not read: typing it in")
    yield from _tap(parts, identify.manual)
    yield Wait(lambda: identify.mode == "manual", "the manual entry form")
    type_hangul(identify.name_edit, "김하늘")
    identify.birth_edit.setText("1974-05-12")
    identify.phone_edit.setText("010-0000-0000")
    yield Pause(TAP_MS)


def _consent(parts: DemoParts, consent: ConsentScreen) -> Script:
    lobby = parts.lobby
    yield Say("필수 항목에 모두 동의해요 — 선택 항목은 그대로 · Consent: the required items, in one tap")
    yield from _tap(parts, consent.agree_required)
    yield from _tap(parts, lobby.primary)
    yield Wait(lambda: consent.mode == "sign", "the signing step")
    pad = lobby.services.pad
    if consent.method != "pad" and consent.use_pad.isVisible():
        yield from _tap(parts, consent.use_pad)
    if consent.method == "pad" and pad is not None and parts.lobby_pad is not None:
        yield Say("서명 패드에 서명해요 — 패드의 잉크가 화면에 보여요 · Signing on the pad")
        yield from _sign_on(parts.lobby_pad, pad)
    else:  # no pad on this kiosk: a finger on the screen (mouse events, as the tour draws it)
        from ui.lobby.tour import sign_on_canvas

        yield Say("화면에 손가락으로 서명해요 · Signing on the screen")
        sign_on_canvas(consent.canvas)
    yield Wait(lobby.primary.isEnabled, "the signature to show")
    yield from _tap(parts, lobby.primary)


def _sign_on(emulator: EmulatedPad, pad: SignaturePad) -> Script:
    """The strokes of a shipped signature go over the pad's serial line at the real rate."""
    yield Wait(lambda: pad.capturing, "the pad to start capturing", 20)
    emulator.replay(None, block=False)
    yield Wait(lambda: not emulator.replaying and bool(pad.points), "the pad's strokes", 30)
    yield Pause(400)


def _needs(parts: DemoParts, needs: NeedsScreen) -> Script:
    lobby = parts.lobby
    yield Say("상담 질문에 답해요 — 대략을 한 번에 골라요 · Answering the questions, one tap each")
    for _ in range(40):
        yield Wait(lambda: lobby.current != "needs" or needs.question is not None, "a question", 30)
        question = needs.question
        if lobby.current != "needs" or question is None:
            return
        # The range (or choice) holding the scripted answer, else its keypad digits — as the tour taps.
        for button in answer_buttons(needs, answer_for(question)):
            yield from _tap(parts, button)
        if not needs.one_tap:  # a one-answer tap moves on by itself; the others take 다음
            yield Wait(lobby.primary.isEnabled, "the answer to be accepted", 10)
            yield from _tap(parts, lobby.primary)
        yield Wait(moved_on(lobby, needs, question), "the next question", 30)
    raise RuntimeError("the questions did not end")


def _results_and_ticket(parts: DemoParts) -> Scene:
    lobby = parts.lobby
    yield Wait(lambda: lobby.current == "results", "the results screen", 30)
    results = screen_of(lobby, "results", ResultsScreen)
    yield Wait(lambda: not results.loading, "matching", 60)
    yield Say("맞는 제도를 쉬운 말로 보여 줘요 · The kiosk shows what the visitor can apply for")
    yield Pause(2000)
    yield from _tap(parts, lobby.primary)
    yield Wait(lambda: lobby.current == "ticket", "the ticket screen")
    ticket = screen_of(lobby, "ticket", TicketScreen)
    printed_before = len(parts.lobby_printer.jobs) if parts.lobby_printer is not None else 0
    if ticket.mode == "choose":
        line = "B" if SCRIPTED_ANSWERS.get("purpose") == "debt" else "A"
        yield Say("상담 종류를 골라요: 채무조정 · The visitor picks the debt-adjustment line")
        yield from _tap(parts, ticket.line_buttons[line])
    yield Wait(lambda: ticket.mode in ("shown", "unavailable"), "the ticket", 30)
    if ticket.mode != "shown":
        raise RuntimeError("the kiosk could not issue a ticket")
    number = ticket.ticket_number()
    yield Wait(lambda: lobby.draft.printed in ("done", "failed"), "the ticket to print", 30)
    printer = parts.lobby_printer
    if printer is not None:
        yield Wait(lambda: len(printer.jobs) > printed_before, "the paper to come out", 10)
    yield Say(f"번호표 {number}이(가) 프린터에서 나왔어요 — '프린터 용지' 창 · Ticket {number} printed")
    yield Pause(1500)
    yield from _tap(parts, lobby.primary)
    yield Wait(lambda: lobby.current in ("goodbye", "welcome"), "the goodbye screen")
    return number


def desk_and_counter(parts: DemoParts, number: str) -> Script:
    yield from desk_pushes(parts, number)
    yield from counter_signs(parts)


def desk_pushes(parts: DemoParts, number: str) -> Script:
    """The desk calls the next number, opens the case, makes the consent form and sends it to the counter."""
    desk, counter = parts.desk, parts.counter
    if desk.current is not None:  # left open by a person who took over earlier
        yield Say("상담석: 열려 있던 상담을 먼저 끝내요 · The desk closes the case left open")
        yield from _tap(parts, desk.done_button)
        yield Wait(lambda: desk.current is None, "the open ticket to close", 30)
    if counter.document is not None:  # a document nobody signed: the counter starts afresh
        counter.wipe()
    yield Say(f"상담석: '다음 번호 호출'을 눌러요 — {number} 차례 · The desk calls the next number")
    yield from _tap(parts, desk.call_button)
    yield Wait(lambda: desk.case is not None and desk.current is not None, "the case at the desk", 30)
    called = desk.current.display if desk.current is not None else number
    yield Say(f"{called} 호출 — 대기실 화면에 나와요. 접수 요약과 추천이 상담석에 열려요 · The case opens")
    desk.tabs.setCurrentIndex(VERDICTS)  # what the kiosk found, with its reasons
    yield Pause(2500)
    desk.tabs.setCurrentIndex(DOCUMENTS)
    documents = desk.tabs.documents
    rows = documents.rowCount()
    yield Say("상담석: 동의서를 만들어요 · The counselor makes the consent form")
    yield from _tap(parts, desk.tabs.generate_consent)
    yield Wait(lambda: documents.rowCount() > rows, "the document to be made", 60)
    documents.setCurrentCell(documents.rowCount() - 1, 0)
    yield Say("상담석: 창구 화면으로 보내요 · The form goes to the counter screen")
    yield from _tap(parts, desk.tabs.push_button)
    yield Wait(lambda: counter.document is not None and counter.page_count > 0, "the counter", 60)


def counter_signs(parts: DemoParts) -> Script:
    """The citizen reads every page at the counter and signs on its pad; the desk closes the ticket."""
    desk, counter = parts.desk, parts.counter
    yield Say("창구: 시민이 '다음'을 눌러 한 쪽씩 끝까지 읽어요 · The citizen reads every page")
    for _ in range(counter.page_count + 1):  # the last 다음 opens the signature screen
        yield Pause(1200)
        if counter.sign_box.isVisible():
            break
        yield from _tap(parts, counter.next_button)
    yield Wait(counter.sign_box.isVisible, "the signature area", 20)
    pad_adapter = counter.pad_adapter
    if pad_adapter is None:
        raise RuntimeError("the counter has no signature pad")
    yield Say("창구: 서명 패드에 서명하고 '서명하기'를 눌러요 · The citizen signs on the pad")
    yield from _sign_on(parts.counter_pad, pad_adapter.pad)
    yield from _tap(parts, counter.sign_button)
    yield Wait(lambda: counter.document is None, "the signature to reach the hub", 60)
    yield Say("서명된 문서가 상담석으로 돌아왔어요 — '상담 끝' · Signed; the counselor closes the ticket")
    yield Pause(1500)
    yield from _tap(parts, desk.done_button)
    yield Wait(lambda: desk.current is None, "the ticket to close", 30)
