"""`kiosk aftercare remind` as cron runs it: the same pass as the hub's job, messages stored for the hub's
sender, counts printed without a number or a name, and a second run queues nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config import clock
from db.base import Base
from db.models import SmsMessage
from kiosk.cli import main
from kiosk.context import AppContext
from tests.kiosk.aftercare.conftest import NAME, PHONE, add_followup, seed_center


def test_remind_queues_once_and_prints_counts_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    config = tmp_path / "site.toml"
    config.write_text(
        '[sms]\nbackend = "smpp"\nsender = "15881397"\nsmpp_system_id = "center"\n', encoding="utf-8"
    )
    ctx = AppContext(config_file=str(config), db_url_option=url)
    Base.metadata.create_all(ctx.engine)
    seed_center(ctx.sessions)
    add_followup(ctx.sessions, ctx.keyring(), clock.today() + timedelta(days=1))
    capsys.readouterr()
    argv = ["--config", str(config), "--db", url, "aftercare", "remind"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "문자 1건을 보관함에 넣었어요" in out and "queued 1 reminder(s)" in out
    assert PHONE[-4:] not in out and NAME not in out
    assert main(argv) == 0
    assert "queued 0 reminder(s)" in capsys.readouterr().out
    with ctx.sessions() as s:
        assert s.scalar(select(func.count(SmsMessage.id))) == 1


def test_remind_with_sms_off_or_without_the_tables_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert main(["--db", url, "aftercare", "remind"]) == 2
    assert "꺼져 있어요" in capsys.readouterr().out
    config = tmp_path / "site.toml"
    config.write_text(
        '[sms]\nbackend = "smpp"\nsender = "15881397"\nsmpp_system_id = "center"\n', encoding="utf-8"
    )
    assert main(["--config", str(config), "--db", url, "aftercare", "remind"]) == 2
    assert "AFTERCARE_NO_SCHEMA" in capsys.readouterr().out
