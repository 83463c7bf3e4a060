"""`kiosk sms check --emulated`, `kiosk sms send`, `kiosk sms status` as an operator runs them.

The module is registered here by itself (``kiosk/cli.py`` lists it once the lead adds it)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from db.migrate import upgrade
from db.session import make_engine, make_sessionmaker
from kiosk.cli import CommandRegistry
from kiosk.commands import sms_cmd
from kiosk.context import AppContext
from kiosk.sms.outbox import SmsOutbox

PHONE = "010" + "2345" + "6789"


def run(capsys: pytest.CaptureFixture[str], *argv: str, db: str | None = None) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="kiosk")
    registry = CommandRegistry(parser)
    registry.group("bench", "benchmarks")
    sms_cmd.register(registry)
    args = parser.parse_args(list(argv))
    capsys.readouterr()
    code = int(args.handler(args, AppContext(db_url_option=db)) or 0)
    return code, capsys.readouterr().out


def test_the_emulated_check_prints_four_delivered_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "sms", "check", "--emulated")
    lines = [line for line in out.splitlines() if "bytes" in line]
    assert code == 0, out
    assert len(lines) == 4 and all(line.endswith("DELIVRD") for line in lines)
    assert [line.split()[:2] for line in lines] == [
        ["smpp", "SMS"],
        ["smpp", "LMS"],
        ["http", "SMS"],
        ["http", "LMS"],
    ]
    assert all(re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", line) for line in lines)
    assert "4/4 DELIVRD" in out


def test_check_without_emulated_says_what_exists(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "sms", "check")
    assert code == 2 and "--emulated" in out


def test_send_with_the_backend_off_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(
        capsys, "sms", "send", "--to", PHONE, "--template", "ticket_soon", "--value", "ticket=A-1"
    )
    assert code == 2 and "꺼져 있어요" in out


def test_status_shows_the_number_masked_and_refuses_unknown_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from db.crypto import KeyRing

    url = f"sqlite:///{tmp_path / 'kiosk.db'}"
    engine = make_engine(url)
    upgrade(engine)
    outbox = SmsOutbox(make_sessionmaker(engine), None, KeyRing.generate())
    message_id = outbox.enqueue("ticket_soon", {"ticket": "A-1"}, PHONE)
    outbox.close()
    engine.dispose()
    code, out = run(capsys, "sms", "status", message_id, db=url)
    assert code == 0 and "010-****-6789" in out and "queued" in out and PHONE not in out
    assert "곧 차례" not in out  # never the text
    code, out = run(capsys, "sms", "status", "00000000-0000-0000-0000-000000000000", db=url)
    assert code == 2 and "그런 문자가 없어요" in out
    code, out = run(capsys, "sms", "status", "not-an-id", db=url)
    assert code == 2 and "문자 id가 아니에요" in out


def test_the_emulated_http_backend_can_take_its_reports_by_webhook() -> None:
    """The bench's webhook run: the provider posts each result to our receiver; nothing is polled."""
    from kiosk.sms.check import SENDER, TEST_PHONE, EmulatedBackend
    from kiosk.sms.gateway import DeliveryReport, MessageKind, OutgoingMessage
    from tests.polling import wait_until

    backend = EmulatedBackend("http", reports="webhook")
    reports: list[DeliveryReport] = []
    try:
        gateway = backend.start()
        gateway.on_report(reports.append)
        message = OutgoingMessage(
            message_id="bench-webhook-1", to=TEST_PHONE, sender=SENDER, kind=MessageKind.SMS, text="웹훅 확인"
        )
        submitted = gateway.submit(message)
        wait_until(lambda: len(reports) == 1, 5.0, message="the webhook's report")
        webhooks = list(backend.emulator.webhooks)
    finally:
        backend.stop()
    assert reports[0].gateway_id == submitted.gateway_id and reports[0].status.value == "DELIVRD"
    assert [status for _, status in webhooks] == [200]  # it came by the webhook, answered by our receiver
