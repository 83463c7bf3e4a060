"""The soak bench on a few visits: whole visits through one lobby window, and the report says what a
kiosk that runs all day keeps (memory, threads, open files). `kiosk bench soak --visits 1000` is the
full run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.xdist_group("lobby-e2e")]


@pytest.mark.slow
def test_five_visits_leave_no_thread_or_open_file_behind(
    make_lobby: Any, emulated: Any, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from sqlalchemy import func, select

    from db.models.visit import Ticket, Visit
    from ui.lobby.soak import run_soak

    services, ctx = emulated
    window = make_lobby(services)
    report = run_soak(window, 5, warmup=2, scan_every=0)
    for key in (
        "rss_growth_mb",
        "os_thread_growth",
        "fd_growth",
        "new_python_threads",
        "wall_s",
        "start",
        "end",
    ):
        assert key in report
    for side in ("start", "end"):
        assert report[side]["rss_mb"] > 0 and report[side]["os_threads"] > 0 and report[side]["open_fds"] > 0
    assert report["outcomes"] == {"identity:manual": 5, "ticket:shown": 5, "printed:done": 5}
    assert report["os_thread_growth"] <= 0 and report["new_python_threads"] == []
    # A new descriptor may only be one more pooled connection to the lobby's own database (the pool
    # opens one when threads first meet on it, up to its fixed size); never a pty, socket or file.
    # A database file of an earlier test in this xdist worker (another test's folder under the same
    # base) is that test's leftover, not the lobby's: only this test's files, ptys and sockets count.
    base, mine = str(tmp_path_factory.getbasetemp()), str(tmp_path)
    new_fds = [t for t in report["new_fds"] if not t.startswith(base) or t.startswith(mine)]
    assert all(Path(t).name in ("lobby.db", "lobby.db-wal") for t in new_fds), report["new_fds"]
    assert len(new_fds) <= 2 and report["fd_growth"] <= len(report["new_fds"])
    # Each driven visit is a real one: stored with its ticket, and printed on the emulated printer.
    with ctx.sessions() as session:
        assert session.scalar(select(func.count(Visit.id))) >= 7
        assert session.scalar(select(func.count(Ticket.id))) >= 7
    assert len(services.emulators["printer"].jobs) >= 7


@pytest.mark.parametrize(
    "argv", [["--visits", "0"], ["--visits", "5", "--warmup", "-1"], ["--scan-every", "-2"]]
)
def test_soak_command_refuses_bad_numbers(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["bench", "soak", *argv]) == 2
    assert "--visits" in capsys.readouterr().err
