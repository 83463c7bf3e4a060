"""ChatPanel on an offscreen Qt: loads off the GUI thread, answers with the source, hands off with a
masked transcript, reads aloud, forgets on reset."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from kiosk.assistant import ABSTAIN_KO, Assistant
from ui.chat import ChatPanel


@pytest.fixture
def panel(qtbot: QtBot, assistant: Assistant) -> Iterator[ChatPanel]:
    gui_thread = threading.get_ident()
    loaded_on: list[int] = []

    def loader() -> Assistant:
        loaded_on.append(threading.get_ident())
        return assistant

    widget = ChatPanel(loader=loader)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.assistantReady, timeout=30_000):
        pass
    assert loaded_on and loaded_on[0] != gui_thread  # the assistant never loads on the GUI thread
    yield widget
    widget.shutdown()
    assert not widget._thread.isRunning()


def test_question_gets_answer_and_source(qtbot: QtBot, panel: ChatPanel) -> None:
    with qtbot.waitSignal(panel.answerShown, timeout=10_000) as blocker:
        panel.ask("채무조정 신청하려면 뭘 가져가야 해요?")
    answer = blocker.args[0]
    assert answer.entry_id == "debt.documents"
    texts = panel.conversation_texts()
    assert "채무조정 신청하려면 뭘 가져가야 해요?" in texts
    assert answer.answer_ko in texts
    assert any(t.startswith("출처: 신용회복위원회") for t in texts)
    assert answer.answer_en not in texts  # Korean mode: no English copy after the answer
    assert not any("source" in t.lower() for t in texts)
    year, month, day = (int(part) for part in answer.effective.split("-"))
    assert any(t.endswith(f"기준일 {year}년 {month}월 {day}일") for t in texts)  # dates in words (UI.md)


def test_abstention_and_handoff_with_masked_transcript(qtbot: QtBot, panel: ChatPanel) -> None:
    with qtbot.waitSignal(panel.answerShown, timeout=10_000):
        panel.ask("제 번호 010-2345-6789 인데 오늘 날씨 어때요?")
    assert ABSTAIN_KO in panel.conversation_texts()
    assert not any("2345" in t for t in panel.conversation_texts())  # masked on screen too
    assert panel.handoff_button.property("role") == "primary"
    with qtbot.waitSignal(panel.handoffRequested, timeout=2_000) as blocker:
        panel.handoff_button.click()
    line, transcript = blocker.args
    assert line == "integrated"
    assert "010-****-6789" in transcript and "2345" not in transcript


def test_handoff_after_a_debt_answer_asks_for_the_debt_line(qtbot: QtBot, panel: ChatPanel) -> None:
    with qtbot.waitSignal(panel.answerShown, timeout=10_000):
        panel.ask("채무조정 신청하면 독촉 전화가 멈춰요?")
    with qtbot.waitSignal(panel.handoffRequested, timeout=2_000) as blocker:
        panel.request_handoff()
    assert blocker.args[0] == "debt"


def test_suggested_question_buttons_answer(qtbot: QtBot, panel: ChatPanel, assistant: Assistant) -> None:
    first = assistant.suggestions()[0]
    button = panel.findChild(type(panel.ask_button), f"chatSuggestion_{first.id}")
    assert button is not None and button.text() == first.entry.question
    with qtbot.waitSignal(panel.answerShown, timeout=10_000) as blocker:
        button.click()
    assert blocker.args[0].entry_id == first.id


def test_voice_read_out(qtbot: QtBot, panel: ChatPanel) -> None:
    with qtbot.waitSignal(panel.speakRequested, timeout=10_000) as spoken:
        panel.ask("햇살론 금리 얼마예요?")
    assert "연 15.9% 고정" in spoken.args[0]
    with qtbot.waitSignal(panel.speakRequested, timeout=2_000) as again:
        panel.read_button.click()
    assert again.args[0] == spoken.args[0]


def test_script_text_is_shown_as_plain_text(qtbot: QtBot, panel: ChatPanel) -> None:
    with qtbot.waitSignal(panel.answerShown, timeout=10_000):
        panel.ask("<b>굵게</b><script>alert(1)</script>")
    assert "<b>굵게</b><script>alert(1)</script>" in panel.conversation_texts()


def test_reset_forgets_everything(qtbot: QtBot, panel: ChatPanel) -> None:
    with qtbot.waitSignal(panel.answerShown, timeout=10_000):
        panel.ask("번호표는 어떻게 뽑아요?")
    panel.reset()
    qtbot.waitUntil(lambda: panel.conversation_texts() == [], timeout=2_000)
    assert panel.transcript.text() == ""


def test_a_failing_load_shows_a_calm_message(qtbot: QtBot) -> None:
    def broken() -> Assistant:
        raise OSError("model files missing")

    widget = ChatPanel(loader=broken)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loadFailed, timeout=10_000) as blocker:
        pass
    assert blocker.args[0] == "OSError"
    assert "직원 호출" in widget.status.text()
    assert not widget.input.isEnabled()
    widget.shutdown()


def test_no_automatic_read_out_when_voice_is_off(qtbot: QtBot, panel: ChatPanel) -> None:
    panel.voice_enabled = False
    spoken: list[str] = []
    panel.speakRequested.connect(spoken.append)
    with qtbot.waitSignal(panel.answerShown, timeout=10_000):
        panel.ask("번호표는 어떻게 뽑아요?")
    assert spoken == []
    panel.read_button.click()  # an explicit "다시 듣기" still reads
    assert len(spoken) == 1 and "번호표" in spoken[0]


def test_near_miss_offers_did_you_mean_buttons(qtbot: QtBot, panel: ChatPanel, assistant: Assistant) -> None:
    from kiosk.assistant.evaluation import load_cases

    near_miss = next(
        c.question
        for c in load_cases()
        if c.expected is not None
        and assistant.ask(c.question).abstained
        and assistant.ask(c.question).alternatives
    )
    with qtbot.waitSignal(panel.answerShown, timeout=10_000) as blocker:
        panel.ask(near_miss)
    first = blocker.args[0].alternatives[0]
    button = panel.findChild(type(panel.ask_button), f"chatDidYouMean_{first['id']}")
    assert button is not None and first["question"] in button.accessibleName()
    with qtbot.waitSignal(panel.answerShown, timeout=10_000) as chosen:
        button.click()
    assert chosen.args[0].entry_id == first["id"] and not chosen.args[0].abstained


HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def test_english_mode_is_english_only(qtbot: QtBot, panel: ChatPanel, assistant: Assistant) -> None:
    panel.set_language("en")
    suggestions = [b.accessibleName() for b in panel.suggestions.findChildren(type(panel.ask_button))]
    assert len(suggestions) == len(assistant.suggestions()) >= 4
    shown = [panel.status.text(), panel.input.placeholderText(), *suggestions]
    shown += [b.text() for b in (panel.ask_button, panel.read_button, panel.handoff_button)]
    assert not [t for t in shown if HANGUL.search(t)]
    with qtbot.waitSignal(panel.answerShown, timeout=10_000) as blocker:
        panel.ask("What do I bring for debt adjustment?")
    answer = blocker.args[0]
    assert answer.entry_id == "debt.documents"
    texts = panel.conversation_texts()
    assert answer.answer_en in texts and answer.answer_ko not in texts
    assert any(t.startswith("Source: https://") for t in texts)
    assert not [t for t in texts if HANGUL.search(t)]


def test_a_suggestion_tapped_in_english_shows_the_english_question(
    qtbot: QtBot, panel: ChatPanel, assistant: Assistant
) -> None:
    panel.set_language("en")
    first = assistant.suggestions()[0]
    button = panel.findChild(type(panel.ask_button), f"chatSuggestion_{first.id}")
    assert button is not None and button.accessibleName() == first.question_en
    with qtbot.waitSignal(panel.speakRequested, timeout=10_000) as spoken:
        button.click()
    assert spoken.args[0] == first.answer_en  # read aloud in the screen's language
    assert panel.conversation_texts()[:2] == [first.question_en, first.answer_en]
    panel.set_language("ko")
    assert button.accessibleName() == first.entry.question
