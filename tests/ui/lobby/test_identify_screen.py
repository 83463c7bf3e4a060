"""The identify screen as a visitor meets it: the masked ID read back large enough to check at arm's
length, and typed entry that goes through devices.id.manual and says which field to fix."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from config import clock
from db.pii import full_age
from devices.id.manual import FIELD_PROBLEMS, field_problem, manual_document
from devices.id.model import DocumentKind, IdDocument, IdError
from tests.ui.lobby.helpers import all_texts, flush

RRN, RRN_MASKED = "850315-2234567", "850315-2******"
HANGUL = re.compile(r"[가-힣]")


def _card() -> IdDocument:
    return IdDocument(
        kind=DocumentKind.RESIDENT_CARD,
        name="한가람",
        rrn=RRN,
        rrn_masked=RRN_MASKED,
        birth_date=date(1985, 3, 15),
        source="image",
    )


def _read_card(lobby: Any) -> Any:
    lobby.primary.click()  # 상담 접수 시작 → identify
    identify = lobby.screens["identify"]
    identify.mode = "waiting"
    identify._document(_card())  # exactly what the reader adapter delivers
    flush()
    return identify


def _ink_height_px(label: QLabel) -> int:
    """Rows of the rendered label that hold text-coloured (dark) pixels: how tall the glyphs stand."""
    image = label.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    rows = np.where((pixels[:, : image.width()] < 110).any(axis=1))[0]
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


def _settled(qtbot: QtBot, identify: Any) -> None:
    """Until the layout has given each shown value the room its (new) font asks for, as on screen."""
    values = (identify.name_value, identify.birth_value, identify.rrn_value)
    qtbot.waitUntil(lambda: all(v.height() >= v.sizeHint().height() for v in values), timeout=5000)


def _centre_x(widget: QWidget, window: QWidget) -> int:
    return int(widget.mapTo(window, widget.rect().center()).x())


@pytest.mark.parametrize("text_size", ["normal", "extra_large"])
def test_the_masked_id_is_large_centred_and_fits(
    make_lobby: Callable[..., Any], qtbot: QtBot, text_size: str
) -> None:
    lobby = make_lobby()
    identify = _read_card(lobby)
    lobby.set_text_size(text_size)
    _settled(qtbot, identify)
    assert lobby.current == "identify" and identify.mode == "confirm"
    assert identify.rrn_value.text() == RRN_MASKED and identify.name_value.text() == "한*람"
    body_mm = getattr(lobby.services.settings.lobby.text_mm, text_size)
    for value in (identify.name_value, identify.birth_value, identify.rrn_value):
        assert value.isVisible()
        # Digits and Hangul stand at least 1.5 × the body text *size* tall (ink, not the font's box):
        # the old corner form drew them at body size, about 4 mm of ink at the normal size.
        assert lobby.metrics.mm(_ink_height_px(value)) >= 1.5 * body_mm, value.objectName()
        assert abs(_centre_x(value, lobby) - lobby.width() // 2) <= lobby.sizes.gap
        assert value.fontMetrics().horizontalAdvance(value.text()) <= value.width()  # nothing cut off
    page = identify.confirmation
    card_middle = identify.confirmation.card.mapTo(page, identify.confirmation.card.rect().center()).y()
    assert page.height() / 3 < card_middle < page.height() * 2 / 3  # in the middle, not in a corner
    assert RRN not in " ".join(all_texts(lobby))  # only the masked form is on the screen


def test_a_new_text_size_resizes_the_shown_identity(make_lobby: Callable[..., Any], qtbot: QtBot) -> None:
    lobby = make_lobby()
    identify = _read_card(lobby)
    _settled(qtbot, identify)
    before = _ink_height_px(identify.rrn_value)
    lobby.set_text_size("large")
    _settled(qtbot, identify)
    assert _ink_height_px(identify.rrn_value) > before


def test_wipe_forgets_the_shown_identity(make_lobby: Callable[..., Any]) -> None:
    lobby = make_lobby()
    identify = _read_card(lobby)
    assert "한*람" in identify.name_value.accessibleName()  # a screen reader hears caption and value
    lobby.wipe_visit(reason="start_over")
    flush()
    for value in (identify.name_value, identify.birth_value, identify.rrn_value):
        assert value.text() == "" and value.accessibleName() == ""
    assert lobby.draft.document is None and identify.mode == "choose"


def test_typed_entry_becomes_an_unverified_manual_document(make_lobby: Callable[..., Any]) -> None:
    lobby = make_lobby()
    lobby.primary.click()
    identify = lobby.screens["identify"]
    identify.manual.click()
    assert not lobby.primary.isEnabled()  # nothing typed yet
    identify.name_edit.setText("Kim")
    identify.birth_edit.setText("1971-02-03")
    flush()
    assert lobby.primary.isEnabled()  # the phone is optional
    lobby.primary.click()
    flush()
    assert lobby.current == "consent"
    document = lobby.draft.document
    assert document is not None and document.kind is DocumentKind.MANUAL and not document.verified
    assert (document.name, document.birth_date, document.phone) == ("Kim", date(1971, 2, 3), None)
    assert lobby.draft.identity_display["name"] == "K*m"
    # The typed birth date answers the age question, counted on the Korean calendar day.
    assert lobby.draft.answers["age"] == full_age(date(1971, 2, 3), clock.today())


@pytest.mark.parametrize(
    ("name", "birth", "phone", "field"),
    [
        ("홍", "1958-03-02", "", "name"),
        ("홍길동", "2999-01-01", "", "birth_date"),
        ("홍길동", "1958-02-30", "", "birth_date"),
        ("홍길동", "1958-03-02", "021-2345-6789", "phone"),
    ],
)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_refused_field_is_named_in_the_visitors_language_and_nothing_moves_on(
    make_lobby: Callable[..., Any], name: str, birth: str, phone: str, field: str, language: str
) -> None:
    lobby = make_lobby()
    lobby.set_language(language)
    flush()
    lobby.primary.click()
    identify = lobby.screens["identify"]
    identify.manual.click()
    identify.name_edit.setText(name)
    identify.birth_edit.setText(birth)
    identify.phone_edit.setText(phone)
    flush()
    lobby.primary.click()
    flush()
    problem = identify.manual_form.problem
    assert lobby.current == "identify" and identify.mode == "manual" and lobby.draft.document is None
    assert problem.isVisible() and problem.text() == field_problem(field, language)
    assert bool(HANGUL.search(problem.text())) == (language == "ko")
    focused = {"name": identify.name_edit, "birth_date": identify.birth_edit, "phone": identify.phone_edit}
    assert focused[field].hasFocus()
    identify.name_edit.setText("김하늘")  # typing again takes the complaint away
    assert not problem.isVisible()


def test_every_field_problem_reads_in_both_languages() -> None:
    for field in FIELD_PROBLEMS:
        ko, en = field_problem(field, "ko"), field_problem(field, "en")
        assert HANGUL.search(ko) and not HANGUL.search(en) and en.isascii()


NAMES = st.one_of(st.text(max_size=60), st.from_regex(r"[가-힣]{1,6}", fullmatch=True))
BIRTHS = st.one_of(st.text(max_size=20), st.dates(date(1890, 1, 1), date(2030, 1, 1)).map(str))
PHONES = st.one_of(
    st.text(max_size=20), st.just(""), st.from_regex(r"0[0-9]{2}-?[0-9]{3,4}-?[0-9]{4}", fullmatch=True)
)


@given(name=NAMES, birth=BIRTHS, phone=PHONES)
def test_manual_document_refuses_bad_input_by_field_and_never_verifies(
    name: str, birth: str, phone: str
) -> None:
    today = date(2026, 12, 2)
    try:
        document = manual_document(name, birth, phone, today=today)
    except IdError as exc:
        assert exc.code == "manual_invalid" and exc.detail in FIELD_PROBLEMS
        return
    assert document.kind is DocumentKind.MANUAL and document.verified is False
    assert document.extra["verification"] == "unverified"
    assert document.birth_date is not None and date(1900, 1, 1) <= document.birth_date <= today
    assert document.phone is None or (document.phone.isdigit() and document.phone.startswith("01"))
    if document.phone:
        assert document.phone not in repr(document) and document.extra["phone_masked"].count("*") == 4
