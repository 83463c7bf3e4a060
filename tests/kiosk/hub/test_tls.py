"""TLS on the LAN: no plain HTTP off loopback, `kiosk hub tls init`, and devices that pin the center CA.

Everything stays on this machine: the non-loopback refusal happens before anything binds, and every
server here listens on 127.0.0.1.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from config import load_settings
from kiosk.api import VisitSubmission
from kiosk.api.trust import (
    TlsFiles,
    TlsSetupError,
    enrollment_string,
    fingerprint,
    parse_enrollment,
    tls_files,
)
from kiosk.client import HubClient, HubUnavailable
from kiosk.client.hub_client import HubNotTrusted
from kiosk.hub.app import create_app
from kiosk.hub.bootstrap import ensure_center, issue_pairing_code
from kiosk.hub.server import RunningHub, free_port, serve_in_thread
from kiosk.hub.tls import check_server_files, is_loopback
from tests.kiosk.hub.conftest import PASSWORD, CenterTls, Hub, make_center_tls
from tests.kiosk.hub.factories import submission
from tests.polling import wait_until

KIOSK = str(Path(sys.executable).with_name("kiosk"))


def _kiosk(args: list[str], data: Path, timeout_s: float = 60) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KIOSK_DB_URL": f"sqlite:///{data / 'center.db'}",
        "KIOSK_APP__DATA_DIR": str(data),
        "KIOSK_HUB__ARCHIVE_DIR": str(data / "archive"),
    }
    return subprocess.run(
        [KIOSK, *args], env=env, capture_output=True, text=True, timeout=timeout_s, check=False
    )


@pytest.fixture
def tls_hub(hub_sqlite: Hub, center_tls: CenterTls) -> Iterator[tuple[Hub, RunningHub]]:
    server = serve_in_thread(
        create_app(load_settings(), hub_sqlite.sessions, hub_sqlite.keys), tls=center_tls.files
    )
    yield hub_sqlite, server
    server.stop()


def _code(hub: Hub, kind: str) -> str:
    with hub.sessions() as s:
        _device, code = issue_pairing_code(s, ensure_center(s, "seoul-central"), kind, kind)
        s.commit()
    return code


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.0.10", "::", "hub.center.local"])
def test_a_lan_address_without_tls_is_refused_before_binding(tmp_path: Path, host: str) -> None:
    done = _kiosk(["hub", "--host", host, "--port", str(free_port())], tmp_path)
    assert done.returncode == 2, done.stderr
    assert "TLS 없이 LAN 주소" in done.stderr and "kiosk hub tls init" in done.stderr
    assert "Refusing to serve plain HTTP" in done.stderr
    assert "허브 시작" not in done.stdout  # never got as far as listening
    assert not (tmp_path / "center.db").exists()  # nor touched the database


def test_insecure_lan_says_loudly_it_is_for_a_lab(tmp_path: Path) -> None:
    # Bound to a non-routable test address it cannot own: the banner comes first, then the bind fails.
    done = _kiosk(["hub", "--host", "192.0.2.1", "--port", str(free_port()), "--insecure-lan"], tmp_path)
    assert "실험실 전용" in done.stderr and "LAB ONLY" in done.stderr and "in clear" in done.stderr


def test_tls_init_makes_a_ca_and_a_server_certificate_then_the_hub_serves_https(tmp_path: Path) -> None:
    done = _kiosk(["hub", "tls", "init", "--san", "hub.center.local", "--san", "10.1.2.3"], tmp_path)
    assert done.returncode == 0, done.stderr
    files = tls_files(load_settings().hub, tmp_path)
    ca_fp = fingerprint(files.ca.read_bytes())
    assert f"CA SHA-256: {ca_fp}" in done.stdout
    for key in (files.key, files.ca.with_name("ca-key.pem")):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    chain = x509.load_pem_x509_certificates(files.cert.read_bytes())
    leaf, ca = chain
    assert ca.subject == leaf.issuer and "seoul-central" in ca.subject.rfc4514_string()
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert (ca.not_valid_after_utc - ca.not_valid_before_utc).days >= 365 * 10
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"localhost", "hub.center.local"} <= set(names.get_values_for_type(x509.DNSName))
    assert {"127.0.0.1", "10.1.2.3"} <= {str(a) for a in names.get_values_for_type(x509.IPAddress)}

    again = _kiosk(["hub", "tls", "init"], tmp_path)  # a second init would orphan every device
    assert again.returncode == 2 and "--force" in again.stderr
    assert fingerprint(files.ca.read_bytes()) == ca_fp

    pairing = _kiosk(["hub", "pairing-code", "--kind", "lobby"], tmp_path)
    assert pairing.returncode == 0, pairing.stderr
    enroll_with = pairing.stdout.strip()
    code, pinned = parse_enrollment(enroll_with)
    assert pinned == ca_fp and f"등록 코드 (code): {code}" in pairing.stderr and ca_fp in pairing.stderr

    # `kiosk hub` finds the files by itself and serves HTTPS (here on loopback, 0.0.0.0 would be allowed).
    port = free_port()
    hub = subprocess.Popen(
        [KIOSK, "hub", "--port", str(port)],
        env={
            **os.environ,
            "KIOSK_DB_URL": f"sqlite:///{tmp_path / 'center.db'}",
            "KIOSK_APP__DATA_DIR": str(tmp_path),
            "KIOSK_HUB__ARCHIVE_DIR": str(tmp_path / "archive"),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"https://127.0.0.1:{port}"
    try:
        client = HubClient(url, timeout_s=2)

        def enrolls():  # the enrollment, or None while the hub is still starting
            assert hub.poll() is None, "hub did not start"
            try:
                return client.enroll(enroll_with)
            except HubUnavailable:
                return None

        enrolled = wait_until(enrolls, 60, interval_s=0.1, message="hub did not start")
        assert enrolled is not None and enrolled.kind == "lobby" and client.ca_pem == files.ca.read_bytes()
        with pytest.raises(httpx.TransportError):  # plain HTTP to the TLS port gets no answer
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=3)
        client.close()
    finally:
        hub.terminate()
        out, _err = hub.communicate(timeout=20)
    assert f"https://127.0.0.1:{port}" in out


def test_a_pinned_device_enrolls_over_tls_submits_a_visit_and_takes_a_ticket(
    tls_hub: tuple[Hub, RunningHub], center_tls: CenterTls
) -> None:
    hub, server = tls_hub
    assert server.url.startswith("https://127.0.0.1:")
    client = HubClient(server.url)
    out = client.enroll(enrollment_string(_code(hub, "lobby"), center_tls.fingerprint))
    assert out.kind == "lobby" and client.ca_pem == center_tls.ca_pem
    body = submission(7)
    receipt = client.submit_visit(VisitSubmission.model_validate(body))
    ticket = client.issue_ticket("A", receipt.visit_id, f"tls-{uuid.uuid4().hex[:8]}")
    assert ticket.display and ticket.visit_id == receipt.visit_id
    client.close()
    # Later runs: the device starts from the stored CA and token alone.
    again = HubClient(server.url, out.token, ca_pem=center_tls.ca_pem)
    assert str(again.issue_ticket("A", receipt.visit_id, f"tls-{uuid.uuid4().hex[:8]}").visit_id) == str(
        receipt.visit_id
    )
    again.close()


def test_a_code_a_manager_makes_through_the_api_carries_the_ca_and_enrolls_a_pinned_device(
    hub_sqlite: Hub, center_tls: CenterTls
) -> None:
    """The desk's manager path (POST /devices/pairing-codes), not only the CLI, hands out the CA pin."""
    app = create_app(
        load_settings(), hub_sqlite.sessions, hub_sqlite.keys, ca_fingerprint=center_tls.fingerprint
    )
    server = serve_in_thread(app, tls=center_tls.files)
    try:
        manager = HubClient(server.url, ca_pem=center_tls.ca_pem)
        manager.login("boss", PASSWORD)
        made = manager.create_pairing_code("counter", "창구 3")
        assert made.enrollment == enrollment_string(made.code, center_tls.fingerprint)
        device = HubClient(server.url)
        assert device.enroll(made.enrollment).kind == "counter"
        assert device.ca_pem == center_tls.ca_pem
        manager.close()
        device.close()
    finally:
        server.stop()


def test_without_tls_the_api_code_is_the_bare_code(hub_sqlite: Hub) -> None:
    boss = hub_sqlite.login("boss")
    made = hub_sqlite.http.post("/devices/pairing-codes", json={"kind": "lobby"}, headers=boss).json()
    assert made["enrollment"] == made["code"] and "@" not in made["enrollment"]


def test_a_wrong_fingerprint_is_refused_and_the_code_is_not_spent(
    tls_hub: tuple[Hub, RunningHub], tmp_path: Path
) -> None:
    hub, server = tls_hub
    code = _code(hub, "desk")
    other_ca = make_center_tls(tmp_path / "other").fingerprint  # a different center's CA
    client = HubClient(server.url)
    with pytest.raises(HubNotTrusted) as refused:
        client.enroll(enrollment_string(code, other_ca))
    assert "지문과 달라요" in refused.value.message_ko and "not enrolled" in refused.value.message_en
    assert client.token is None
    # The code never left the device: the right pin still enrolls with it.
    right = fingerprint(server.ca_pem or b"")
    assert HubClient(server.url).enroll(enrollment_string(code, right)).kind == "desk"


def test_https_without_a_pin_is_refused(tls_hub: tuple[Hub, RunningHub]) -> None:
    hub, server = tls_hub
    with pytest.raises(HubNotTrusted) as refused:
        HubClient(server.url).enroll(_code(hub, "lobby"))
    assert "지문이 없어요" in refused.value.message_ko


def test_an_unpinned_client_does_not_trust_the_hub(tls_hub: tuple[Hub, RunningHub], tmp_path: Path) -> None:
    _hub, server = tls_hub
    stranger = make_center_tls(tmp_path / "stranger").ca_pem
    with pytest.raises(HubUnavailable):  # a hub the pinned CA did not sign is not our hub
        HubClient(server.url, "d_x", ca_pem=stranger, timeout_s=3).queue()
    with pytest.raises(HubUnavailable):  # nor does the operating system's trust store vouch for it
        HubClient(server.url, "d_x", timeout_s=3).queue()


def test_plain_http_to_the_https_port_fails(tls_hub: tuple[Hub, RunningHub]) -> None:
    _hub, server = tls_hub
    plain = server.url.replace("https://", "http://")
    with pytest.raises(HubUnavailable):
        HubClient(plain, timeout_s=3).queue()


def test_a_pin_with_a_plain_http_url_is_refused(
    tls_hub: tuple[Hub, RunningHub], center_tls: CenterTls
) -> None:
    hub, server = tls_hub
    plain = server.url.replace("https://", "http://")
    with pytest.raises(HubNotTrusted) as refused:
        HubClient(plain).enroll(enrollment_string(_code(hub, "lobby"), center_tls.fingerprint))
    assert "https" in refused.value.message_ko


@pytest.mark.parametrize(
    "text", ["ABC@sha256:xyz", "ABC@sha256:" + "0" * 63, "ABC@md5:" + "0" * 32, "ABC@" + "g" * 64]
)
def test_a_malformed_enrollment_string_is_refused(text: str) -> None:
    with pytest.raises(TlsSetupError):
        parse_enrollment(text)
    with pytest.raises(HubNotTrusted):
        HubClient("https://127.0.0.1:1").enroll(text)


def test_fingerprint_forms_and_loopback() -> None:
    fp = "ab" * 32
    assert parse_enrollment(f"CODE@sha256:{fp.upper()}") == ("CODE", fp)
    assert parse_enrollment("CODE@" + ":".join(fp[i : i + 2] for i in range(0, 64, 2))) == ("CODE", fp)
    assert parse_enrollment("CODE") == ("CODE", None)
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "localhost", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "hub.local", ""))


def test_unusable_server_files_are_reported(tmp_path: Path) -> None:
    made = make_center_tls(tmp_path / "tls")
    leaf_only = x509.load_pem_x509_certificates(made.files.cert.read_bytes())[0]
    bare = tmp_path / "leaf.pem"
    bare.write_bytes(leaf_only.public_bytes(Encoding.PEM))
    with pytest.raises(TlsSetupError, match="CA"):
        check_server_files(TlsFiles(bare, made.files.key, made.files.ca))
    with pytest.raises(TlsSetupError, match="missing"):
        check_server_files(TlsFiles(tmp_path / "nope.pem", made.files.key, made.files.ca))
