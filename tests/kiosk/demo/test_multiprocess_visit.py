"""A whole visit with hub, lobby, desk and counter as four separate processes, talking only via the hub."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select

from db.models import Document, FollowUp, Ticket
from devices.id.emulators.identities import generate_identity
from kiosk.client import HubClient
from kiosk.hub.server import free_port
from printers.documents.demo_cert import make_demo_credentials
from tests.polling import wait_until

KIOSK = str(Path(sys.executable).with_name("kiosk"))
PASSWORD = "demo-password-1234"


def _run(args: list[str], env: dict[str, str], stdin: str = "") -> str:
    done = subprocess.run(
        args, env=env, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


@pytest.mark.slow
def test_visit_across_four_processes(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "KIOSK_DB_URL": f"sqlite:///{tmp_path / 'center.db'}",
        "KIOSK_APP__DATA_DIR": str(tmp_path / "data"),
        "KIOSK_HUB__ARCHIVE_DIR": str(tmp_path / "archive"),
    }
    creds = make_demo_credentials("test-center")
    (tmp_path / "signer.pem").write_bytes(creds.signer_cert_pem)
    (tmp_path / "signer.key").write_bytes(creds.signer_key_pem)
    (tmp_path / "ca.pem").write_bytes(creds.ca_cert_pem)
    _run([KIOSK, "hub", "adduser", "demo", "--role", "counselor"], {**env, "KIOSK_NEW_PASSWORD": PASSWORD})
    codes = {
        kind: _run([KIOSK, "hub", "pairing-code", "--kind", kind], env)
        for kind in ("lobby", "desk", "counter")
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    hub = subprocess.Popen(
        [
            KIOSK,
            "hub",
            "--port",
            str(port),
            "--signing-cert",
            str(tmp_path / "signer.pem"),
            "--signing-key",
            str(tmp_path / "signer.key"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    roles: list[subprocess.Popen[str]] = []
    try:

        def hub_answers() -> bool:
            assert hub.poll() is None, "hub did not start"
            try:
                httpx.get(f"{url}/openapi.json", timeout=1)
            except httpx.TransportError:
                return False
            return True

        wait_until(hub_answers, 60, interval_s=0.1, message="hub did not start")
        tokens = {kind: HubClient(url).enroll(code).token for kind, code in codes.items()}
        # Staff pair the counter with the desk: the desk shows a code, the counter types it.
        desk = HubClient(url)
        desk.login("demo", PASSWORD, desk_device_token=tokens["desk"])
        HubClient(url, tokens["counter"]).pair_counter(desk.counter_code().code)

        def role(name: str, *extra: str) -> subprocess.Popen[str]:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kiosk.demo.process",
                    name,
                    "--hub",
                    url,
                    "--out",
                    str(tmp_path / name),
                    *extra,
                ],
                env={**env, "KIOSK_DEVICE_TOKEN": tokens[name], "KIOSK_DEMO_PASSWORD": PASSWORD},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            roles.append(proc)
            return proc

        counter = role("counter", "--documents", "3")  # profile 0 has debt trouble: + 채무조정 신청서
        desk_proc = role("desk", "--line", "B", "--trust-root", str(tmp_path / "ca.pem"))
        lobby = role("lobby", "--seed", "7", "--profile", "0")
        results = {}
        for name, proc in (("lobby", lobby), ("desk", desk_proc), ("counter", counter)):
            out, err = proc.communicate(timeout=240)
            assert proc.returncode == 0, f"{name}: {out[-1500:]} {err[-1500:]}"
            results[name] = json.loads(out.strip().splitlines()[-1])
    finally:
        for proc in roles:
            if proc.poll() is None:
                proc.kill()
        hub.terminate()
        hub.wait(20)

    ticket = results["lobby"]["ticket"]["display"]
    assert ticket.startswith("B-") and results["desk"]["ticket"] == ticket
    assert (tmp_path / "lobby" / "receipts" / f"ticket-{ticket}.png").stat().st_size > 1000
    documents = results["desk"]["documents"]
    assert [d["template"] for d in documents] == ["consent", "intake_summary", "debt_application"]
    assert all(d["status"] == "archived" and d["pades_valid"] for d in documents)
    signed_at_counter = {s["document_id"]: s for s in results["counter"]["signed"]}
    for doc in documents:
        assert signed_at_counter[doc["document_id"]]["bound_sha256"] == doc["unsigned_sha256"]
        assert signed_at_counter[doc["document_id"]]["pages"] >= 1
    assert isinstance(results["desk"]["aftercare"], list) and results["desk"]["aftercare"]

    engine = create_engine(f"sqlite:///{tmp_path / 'center.db'}")
    with engine.connect() as conn:
        assert conn.execute(select(Ticket.status).where(Ticket.display == ticket)).scalar_one() == "done"
        assert len(conn.execute(select(Document.id).where(Document.status == "archived")).all()) == 3
        assert conn.execute(select(FollowUp.id)).first() is not None
    engine.dispose()
    rrn = generate_identity(random.Random(7)).rrn
    raw = (
        b"".join(p.read_bytes() for p in tmp_path.glob("*.db*"))
        + (tmp_path / "lobby" / "lobby.db").read_bytes()
    )
    assert rrn.encode() not in raw and rrn.replace("-", "").encode() not in raw
    assert len(list((tmp_path / "archive").rglob("*.pdf"))) == 3
