"""Honest ticket words on paper: the printed slip says what the screen says — "바로 차례예요" / "You're
next" when nobody is ahead, never "앞에 0명 · 약 0분" — read back from the rendered receipt's bytes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from printers.escpos.paper import Paper
from printers.escpos.parser import EscPosParser
from printers.escpos.receipt import render_receipt
from printers.escpos.samples import SAMPLE_FIELDS
from printers.escpos.templates import TemplateFieldError
from tests.ui.lobby.helpers import flush

MODEL = "bixolon-srp-350iii"


def _slip_lines(fields: dict[str, Any]) -> list[str]:
    """The text lines the printer puts on paper for these ticket fields."""
    paper = Paper(640)
    for command in EscPosParser().feed(render_receipt("ticket", fields, MODEL).payload):
        paper.apply(command)
    return [line.strip() for line in paper.text_lines]


def _shown(lobby: Any, ahead: int, minutes: int) -> Any:
    lobby.go("ticket")
    screen = lobby.screens["ticket"]
    ticket = {"display": "B-001", "line": "B", "line_name_ko": "채무조정", "line_name_en": "Debt"}
    screen._issued({**ticket, "people_ahead": ahead, "wait_minutes": minutes})
    flush()
    return screen


def test_nobody_ahead_prints_youre_next_on_the_slip_as_on_the_screen(lobby: Any) -> None:
    screen = _shown(lobby, 0, 0)
    lines = _slip_lines(screen.ticket_fields())
    assert screen.wait.text() == "바로 차례예요"
    assert "바로 차례예요" in lines and "You're next" in lines
    # no bare zero count anywhere ("앞에 0명", "약 0분", "0 ahead"); the issue time ("오전 7시 0분") aside
    counts = [re.sub(r"\d+시 \d+분", "", line) for line in lines]
    assert not any(re.search(r"(?<!\d)0\s*(명|분)|(?<!\d)0 ahead", line) for line in counts), lines
    assert "B-001" in lines


@pytest.mark.parametrize(("ahead", "minutes"), [(3, 12), (2, 0)])
def test_the_slip_carries_the_screens_words(lobby: Any, ahead: int, minutes: int) -> None:
    screen = _shown(lobby, ahead, minutes)
    lines = _slip_lines(screen.ticket_fields())
    assert screen.wait.text() in lines  # one wording: what the screen shows is what the paper says
    assert f"앞에 {ahead}명" in screen.wait.text()
    assert any(line.startswith(f"People ahead of you: {ahead}") for line in lines)
    lobby.set_language("en")
    flush()
    assert screen.wait.text() in lines  # the English screen matches the slip's English line


def test_an_unreadable_count_reads_as_nobody_ahead(lobby: Any) -> None:
    screen = _shown(lobby, "?", None)  # type: ignore[arg-type]
    assert screen.wait.text() == "바로 차례예요"
    assert "바로 차례예요" in _slip_lines(screen.ticket_fields())


def test_the_sample_slip_and_a_test_print_still_render() -> None:
    assert "앞에 4명 · 약 25분 기다려요" in _slip_lines(dict(SAMPLE_FIELDS["ticket"]))
    from ui.lobby.emulated import _test_ticket_fields

    assert "바로 차례예요" in _slip_lines(_test_ticket_fields())  # the staff test print: nobody ahead
    forgot = {k: v for k, v in SAMPLE_FIELDS["ticket"].items() if k not in ("wait_ko", "wait_en")}
    with pytest.raises(TemplateFieldError):  # a real ticket can't go out without its wait line
        _slip_lines(forgot)
