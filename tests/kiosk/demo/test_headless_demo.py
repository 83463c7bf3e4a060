"""`kiosk demo --headless`: one scripted walk-in end to end, and the database keeps no plain RRN."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from devices.id.emulators.identities import generate_identity
from kiosk.cli import main


@pytest.mark.slow
def test_headless_demo_one_walk_in(tmp_path: Path) -> None:
    out = tmp_path / "T"
    assert main(["demo", "--headless", "--walk-ins", "1", "--out", str(out), "--seed", "11"]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["completed"] == 1 and summary["failed"] == 0
    visit = summary["visits"][0]
    ticket = visit["lobby"]["ticket"]["display"]
    assert visit["desk"]["ticket"] == ticket
    assert {v["verdict"] for v in visit["lobby"]["verdicts"]} <= {"eligible", "maybe", "ineligible"}
    assert (out / "receipts" / f"ticket-{ticket}.bin").read_bytes().count(b"\x1d\x56") >= 1  # cut
    for doc in visit["desk"]["documents"]:
        assert doc["pades_valid"] and (out / doc["file"]).read_bytes().startswith(b"%PDF")
    assert visit["desk"]["aftercare"] and isinstance(visit["desk"]["aftercare"], list)
    # The walk-in with debt trouble (issue 21): creditors from the emulated port, a plan, a signed 신청서.
    plan = visit["debt_plan"]
    assert plan["program"].startswith("ccrs.") and plan["monthly_payment_krw"] > 0 and plan["term_months"] > 0
    assert visit["desk"]["debt"]["source"] == "credit_port" and visit["desk"]["debt"]["emulated"] is True
    (application,) = [d for d in visit["desk"]["documents"] if d["template"] == "debt_application"]
    assert application["document_id"] == visit["debt_application_document_id"]
    assert application["status"] == "archived" and application["signed_at"] and application["pades_valid"]
    assert set(visit["lobby"]["timings_ms"]) >= {"identify", "consent_sign", "submit", "ticket", "print"}
    identity = generate_identity(random.Random(11))
    raw = b"".join(p.read_bytes() for p in out.glob("*.db*"))
    assert identity.rrn.encode() not in raw and identity.rrn.replace("-", "").encode() not in raw
    assert identity.rrn.encode() not in (out / "summary.json").read_bytes()


@pytest.mark.slow
def test_headless_demo_with_the_hub_down_during_a_walk_in(tmp_path: Path) -> None:
    out = tmp_path / "T"
    assert main(["demo", "--headless", "--walk-ins", "1", "--offline-at", "1", "--out", str(out)]) == 0
    visit = json.loads((out / "summary.json").read_text(encoding="utf-8"))["visits"][0]
    assert visit["status"] == "completed" and visit["hub_was_down"]
    assert visit["lobby"]["synced_at_once"] is False and visit["lobby"]["ticket"]["offline"] is True
    assert visit["outbox_replayed"] == 2  # the visit, then the claim of the reserved number
    assert visit["desk"]["ticket"] == visit["lobby"]["ticket"]["display"]
