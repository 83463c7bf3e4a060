"""Touch targets ≥ 15 mm at the configured DPI and an accessible name on every control, on every
screen and sub-page, in both languages and all three text sizes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QWidget

from tests.ui.lobby.helpers import flush, visible_controls
from ui.theme import ScreenMetrics


def screen_states(window: Any) -> Iterator[str]:
    """Show each screen and each of its pages in turn; yields a name for the failure message."""
    window.go("welcome", remember=False)
    yield "welcome"
    window.primary.click()
    yield "identify/choose"
    identify = window.screens["identify"]
    identify.manual.click()
    yield "identify/manual"
    identify._choose()
    window.go("consent")
    yield "consent/items"
    consent = window.screens["consent"]
    for card in consent.cards:
        card.agree.click()
    window.primary.click()
    yield "consent/sign"
    window.go("needs")
    needs = window.screens["needs"]
    kinds: set[str] = set()
    for _ in range(25):
        if window.current != "needs" or needs.question is None:
            break
        if needs.question.kind not in kinds:
            kinds.add(needs.question.kind)
            yield f"needs/{needs.question.kind}"
        needs.answer(_an_answer(needs.question))
    window.go("results")
    window.screens["results"].show_report(
        {
            "programs": [
                {"id": "x", "verdict": "eligible", "name_ko": "햇살론15", "reasons": [{"ko": "a", "en": "a"}]}
            ]
        }
    )
    yield "results"
    window.go("ticket")
    yield "ticket/choose"
    window.go("goodbye")
    yield "goodbye"
    window.screens["goodbye"].timer.stop()
    window.idle_overlay.show_countdown(20)
    yield "idle-overlay"
    window.idle_overlay.hide()
    window.go("staff_pin")
    yield "staff_pin"
    window.go("staff", remember=False)
    yield "staff"


def _an_answer(question: Any) -> Any:
    if question.kind == "multi_choice":
        return []
    if question.choices:
        return question.choices[0][0]
    if question.kind == "amount_manwon":
        return 10_000_000
    return 30 if question.id == "age" else 1


@pytest.mark.parametrize("text_size", ["normal", "extra_large"])
def test_every_touch_target_is_at_least_15_mm(lobby: Any, text_size: str) -> None:
    lobby.set_text_size(text_size)
    cfg = lobby.services.settings.lobby
    minimum_px = ScreenMetrics(cfg.screen_dpi).px(cfg.min_touch_mm)
    checked = 0
    too_small: list[str] = []
    for state in screen_states(lobby):
        flush()
        for control in visible_controls(lobby):
            if not isinstance(control, QAbstractButton):
                continue
            checked += 1
            size = control.size()
            if min(size.width(), size.height()) < minimum_px - 1:
                too_small.append(
                    f"{state}: {control.objectName() or control.text()} {size.width()}x{size.height()}"
                )
    assert checked > 100
    assert too_small == [], f"under {cfg.min_touch_mm} mm ({minimum_px} px): {too_small}"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_control_has_an_accessible_name(lobby: Any, language: str) -> None:
    lobby.set_language(language)
    nameless: list[str] = []
    for state in screen_states(lobby):
        flush()
        for control in visible_controls(lobby):
            if not control.accessibleName().strip():
                nameless.append(f"{state}: {type(control).__name__} {control.objectName()}")
    assert nameless == []


def test_fixed_chrome_is_in_the_same_place_on_every_screen(lobby: Any) -> None:
    places: dict[str, set[tuple[int, int]]] = {
        "Back": set(),
        "Home": set(),
        "Replay": set(),
        "CallStaff": set(),
    }
    hidden_back: list[str] = []
    for state in screen_states(lobby):
        flush()
        for name in places:
            button = lobby.findChild(QWidget, name)
            if name == "Back" and not lobby.current_screen.back_available():
                assert not button.isVisible(), f"{state}: 이전 shown where it cannot act"
                hidden_back.append(state)
                continue
            assert button.isVisible(), f"{state}: {name}"
            places[name].add((button.x(), button.y()))
    assert all(len(spots) == 1 for spots in places.values()), places
    assert hidden_back == ["goodbye", "idle-overlay"]  # the visit is over (the overlay is over goodbye)


def test_language_switch_translates_the_chrome(lobby: Any, qtbot: Any) -> None:
    assert lobby.primary.text() == "상담 접수 시작"
    lobby.screens["welcome"].lang_en.click()  # Qt delivers LanguageChange as posted events
    qtbot.waitUntil(lambda: lobby.primary.text() == "Start")
    assert lobby.staff_button.text() == "Call staff"
    assert lobby.screens["consent"].cards[0].agree.text() == "I agree"
    lobby.idle_overlay.show_countdown(20)
    assert (lobby.idle_overlay.countdown.text(), lobby.idle_overlay.extend.text()) == ("20 s", "More time")
    lobby.idle_overlay.hide()
    lobby.screens["welcome"].lang_ko.click()
    qtbot.waitUntil(lambda: lobby.staff_button.text() == "직원 호출")


def test_translations_are_complete() -> None:
    import xml.etree.ElementTree as ET
    from pathlib import Path

    import ui.i18n

    folder = Path(ui.i18n.__file__).parent
    for language in ("ko", "en"):
        tree = ET.parse(folder / f"lobby_{language}.ts")
        unfinished = [m.findtext("source") for m in tree.iter("message") if m.find("translation").get("type")]
        assert unfinished == [], language
        assert len(list(tree.iter("message"))) > 100


def test_broken_translation_source_is_reported(tmp_path: Any, monkeypatch: Callable[..., Any]) -> None:
    import subprocess

    import ui.i18n as i18n

    bad = tmp_path / "lobby_en.ts"
    bad.write_text("<TS><context><name>x</name><message><source>a", encoding="utf-8")
    monkeypatch.setattr(i18n, "_HERE", tmp_path)  # type: ignore[operator]
    with pytest.raises(subprocess.CalledProcessError):
        i18n.build_qm("en", tmp_path)
