"""kill -9 of the real `kiosk hub` process under concurrent visits and tickets, at seeded random
moments: every request the hub acknowledged with a 2xx is on disk afterwards, unchanged, no (line,
number) is issued twice, no visit holds two tickets, and the audit chain verifies. The full ≥ 20-kill
run is `kiosk bench faults --kills 20`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.hub.fault_bench import passed, run_kills


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_three_kills_under_load_lose_nothing_acknowledged(db_url: str, hub_data_dir: Path) -> None:
    # Three kills prove the point (each cuts requests off mid-flight); the budget covers four hub start-ups
    # on a busy machine. The full ≥ 20-kill run is the bench's.
    report = run_kills(db_url, hub_data_dir, kills=3, clients=4, seed=2026, timeout_s=110)
    summary = json.dumps(report, default=str)
    assert report["acknowledged_visits"] >= 30 and report["acknowledged_tickets"] >= 30, summary
    assert report["retried_requests"] > 0, summary  # the kills did cut requests off mid-flight
    assert report["lost_visits"] == 0 and report["lost_tickets"] == 0, summary
    assert report["duplicate_numbers"] == 0 and report["visits_with_two_tickets"] == 0, summary
    assert report["audit_chain_ok"], summary
    assert report["refused"] == {} and report["clients_hung"] == 0, summary
    assert passed(report)
    assert report["wall_s"] < 110, summary


def test_bench_command_reports_and_fails_on_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main

    assert main(["bench", "faults", "--kills", "0"]) == 2
    assert "--kills" in capsys.readouterr().out
