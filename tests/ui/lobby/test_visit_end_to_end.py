"""A whole visit through the real widgets with every device emulated: the ID card read from the
virtual scanner (OCR), consent signed on the serial pad emulator (pty), the questionnaire answered on
the keypad, the verdicts from the matching engine, the ticket printed on the ESC/POS printer emulator
(pty). The test reads the ticket back from the printer and the visit back from the database, and saves
a screenshot of every screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.ui.lobby.helpers import all_texts

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lobby-e2e")]


def test_a_whole_visit_with_emulated_devices(
    make_lobby: Any, emulated: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    from db.models.documents import Signature
    from db.models.visit import Consent, IdentityCheck, Intake, MatchResult, Ticket, Visit
    from ui.lobby.tour import _enter_answer, answer_for

    services, ctx = emulated
    printer, pad = services.emulators["printer"], services.emulators["pad"]
    lobby = make_lobby(services)
    shots = tmp_path / "screens"
    shots.mkdir()

    def shot(name: str) -> None:
        qtbot.wait(20)
        assert lobby.grab().save(str(shots / f"{name}.png"))

    shot("01-welcome")
    lobby.primary.click()
    identify = lobby.screens["identify"]
    shot("02-identify")
    identify.scan.click()  # the virtual scanner lays a synthetic card on the glass; OCR reads it
    qtbot.waitUntil(lambda: identify.mode == "confirm", timeout=60000)
    shot("03-identify-confirm")
    document = lobby.draft.document
    assert document.rrn and identify.rrn_value.text() == document.rrn_masked
    assert document.rrn not in "\n".join(all_texts(lobby))  # the full RRN is never on screen
    rrn = document.rrn
    lobby.primary.click()

    consent = lobby.screens["consent"]
    assert lobby.current == "consent"
    for card in consent.cards:
        (card.agree if card.item.required else card.refuse).click()
    shot("04-consent")
    started: list[bool] = []
    consent.pad_adapter.started.connect(lambda: started.append(True))
    lobby.primary.click()
    assert consent.method == "pad"
    qtbot.waitUntil(lambda: bool(started), timeout=10000)
    pad.replay(None, block=False)  # a shipped signature, at the pad's real sample rate and baud
    qtbot.waitUntil(lambda: not pad.replaying and consent._pad_points > 20, timeout=30000)
    shot("05-consent-signed-on-pad")
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.current == "needs", timeout=20000)

    needs = lobby.screens["needs"]
    asked: list[str] = []
    while lobby.current == "needs":
        question = needs.question
        assert question is not None
        assert question.id != "age"  # the card told us the age: never asked
        asked.append(question.id)
        _enter_answer(needs, answer_for(question))
        shot(f"06-needs-{len(asked):02d}-{question.id}")
        lobby.primary.click()
    assert {"purpose", "debt_now"} <= set(asked)  # 45 days overdue: one tick, "한 달 넘게 밀렸어요 (31~89일)"

    results = lobby.screens["results"]
    qtbot.waitUntil(lambda: not results.loading and bool(results.cards), timeout=30000)
    shot("07-results")
    # One copy of the visitor: what the screens answered is what the flow matched on and stored.
    flow = lobby.draft.flow
    assert flow is not None and flow.live is lobby.draft.live
    assert lobby.draft.answers["delinquency_days"] == {"from": 31, "to": 89}
    assert dict(lobby.draft.answers) == flow.answers
    assert lobby.draft.report is not None and lobby.draft.report is flow.live.report
    verdicts = {row.program_id: row.verdict for row in results.rows}
    # 45 days overdue: pre-workout fits, individual workout (≥ 90 days) does not.
    assert verdicts["ccrs.pre_workout"] == "eligible"
    assert verdicts["ccrs.individual_workout"] == "ineligible"
    lobby.primary.click()

    ticket = lobby.screens["ticket"]
    qtbot.waitUntil(lambda: lobby.draft.printed == "done", timeout=60000)
    shot("08-ticket")
    number = ticket.ticket_number()
    assert number.startswith("B-")  # debt trouble → 채무조정 line
    assert ticket.number.text() == number
    assert lobby.draft.ticket is flow.ticket  # the number shown is the flow's, not a copy of it
    assert dict(lobby.draft.answers) == {} and lobby.draft.document is None  # closed: the person is gone

    # The printed ticket, read back from the printer emulator.
    assert printer.wait_for_jobs(1, timeout=10)
    paper = printer.jobs[-1]
    assert number in paper.text and "채무조정" in paper.text
    assert paper.qr_payloads == [ticket.qr_payload()]  # the same QR the screen offers on failure
    assert rrn not in paper.text and document.name not in paper.text  # a ticket never names anyone
    printer.save_job_png(len(printer.jobs) - 1, shots / "08-ticket-paper.png")

    lobby.primary.click()
    shot("09-goodbye")

    # The stored visit.
    with ctx.sessions() as session:
        visit = session.scalars(select(Visit)).one()
        assert visit.status == "completed"
        stored_ticket = session.scalars(select(Ticket).where(Ticket.visit_id == visit.id)).one()
        assert stored_ticket.display == number
        check = session.scalars(select(IdentityCheck).where(IdentityCheck.visit_id == visit.id)).one()
        assert check.method == "image"
        consent_row = session.scalars(select(Consent).where(Consent.visit_id == visit.id)).one()
        signature = session.get(Signature, consent_row.signature_id)
        assert signature is not None and signature.device != "screen"
        intake = session.scalars(select(Intake).where(Intake.visit_id == visit.id)).one()
        assert intake.answers["delinquency_days"] == {"from": 31, "to": 89}
        assert session.scalars(select(MatchResult).where(MatchResult.visit_id == visit.id)).one().verdicts
    ctx.engine.dispose()
    raw = (tmp_path / "lobby.db").read_bytes()
    assert rrn.encode() not in raw and rrn.replace("-", "").encode() not in raw  # encrypted at rest
    assert len(list(shots.glob("*.png"))) >= 12


def test_a_typed_visit_keeps_one_copy_of_the_visitor_and_the_wipe_drops_it(
    make_lobby: Any, emulated: Any, qtbot: QtBot
) -> None:
    """Typed identity and a screen signature (no scanner, no pad): the screens and the flow share one
    copy of the visitor from the first answer to the ticket, and the wipe leaves nothing of it."""
    from db.models.visit import Intake, Visit
    from ui.lobby.tour import _enter_answer, answer_for, sign_on_canvas

    services, ctx = emulated
    lobby = make_lobby(services)
    lobby.primary.click()  # 상담 접수
    identify = lobby.screens["identify"]
    identify.manual.click()
    identify.name_edit.setText("김민수")
    identify.birth_edit.setText("1979-05-02")
    identify.phone_edit.setText("010-2345-6789")
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.draft.flow is not None, timeout=20000)
    flow = lobby.draft.flow
    assert flow is not None and flow.live is lobby.draft.live
    age = lobby.draft.answers["age"]
    assert isinstance(age, int) and age >= 47 and flow.answers["age"] == age  # typed birth date → age

    consent = lobby.screens["consent"]
    for card in consent.cards:
        card.agree.click()
    lobby.primary.click()
    consent._set_method("screen")
    sign_on_canvas(consent.canvas)
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.current == "needs", timeout=20000)
    qtbot.waitUntil(lambda: flow.step == "needs", timeout=20000)  # the consent step is stored
    assert flow.live.consents() == dict(lobby.draft.consents) and all(lobby.draft.consents.values())

    needs = lobby.screens["needs"]
    while lobby.current == "needs":
        assert needs.question is not None
        _enter_answer(needs, answer_for(needs.question))
        lobby.primary.click()
    results = lobby.screens["results"]
    qtbot.waitUntil(lambda: not results.loading and bool(results.cards), timeout=30000)
    assert lobby.draft.report is flow.live.report and dict(lobby.draft.answers) == flow.answers
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.draft.ticket is not None, timeout=30000)
    assert lobby.draft.ticket is flow.ticket and lobby.draft.line == flow.ticket.line
    # the screen shows the number on the GUI thread's next turn, after the worker set the ticket
    qtbot.waitUntil(lambda: lobby.screens["ticket"].ticket_number() == flow.ticket.display, timeout=10000)
    with ctx.sessions() as session:  # what the screens answered is what the visit stored
        visit = session.scalars(select(Visit)).one()
        intake = session.scalars(select(Intake).where(Intake.visit_id == visit.id)).one()
        assert intake.answers["age"] == age and visit.status == "completed"

    old = lobby.draft.live
    lobby.start_over()  # the wipe
    assert lobby.draft.live is not old and lobby.draft.flow is None
    assert old.answers() == {} and old.consents() == {} and old.manual() == {} and old.ticket is None
    assert dict(lobby.draft.answers) == {} and lobby.draft.document is None and lobby.draft.report is None
    assert "김민수" not in repr(vars(lobby.draft)) and "2345" not in repr(vars(lobby.draft))
