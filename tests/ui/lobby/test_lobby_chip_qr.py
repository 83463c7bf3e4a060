"""The identify screen's passport-chip and mobile-ID QR buttons, and the real lobby's hub settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from config import ConfigError, load_settings
from tests.devices.id.conftest import machine_lock, pcscd  # noqa: F401 - the shared pcscd fixture and its lock


@pytest.fixture
def center(tmp_path: Path) -> Iterator[Any]:
    """A demo center hub on this machine (real HTTP), to link a real lobby to."""
    from kiosk.demo.center import start_demo_center

    demo = start_demo_center(load_settings(), tmp_path / "center")
    yield demo
    demo.close()


def _to_identify(lobby: Any) -> Any:
    lobby.primary.click()  # 상담 접수
    identify = lobby.screens["identify"]
    assert identify.mode == "choose"
    return identify


# -- mobile-ID QR -------------------------------------------------------------------------------------------
def test_a_mobile_id_qr_on_the_camera_identifies_the_visitor(
    make_lobby: Any, emulated: Any, qtbot: QtBot
) -> None:
    from devices.id.emulators.identities import identities
    from ui.lobby.screens.identify import mask_name

    services, _ctx = emulated
    lobby = make_lobby(services)
    identify = _to_identify(lobby)
    identify.qr.click()
    assert identify.mode == "waiting" and "QR" in identify.wait_text.text()
    qtbot.waitUntil(lambda: identify.mode == "confirm", timeout=30000)
    person = identities(1, seed=7)[-1]  # the phone the emulated camera sees (synthetic)
    document = lobby.draft.document
    assert document.source == "qr" and document.name == person.name
    assert document.birth_date == person.birth_date
    assert identify.name_value.text() == mask_name(person.name) != person.name
    assert identify.birth_value.text() == person.birth_date.isoformat()


def test_a_forged_mobile_id_qr_is_refused_calmly(make_lobby: Any, qtbot: QtBot, tmp_path: Path) -> None:
    from datetime import date

    from devices.id.mobile import EmulatedMobileIdVerifier, render_mobile_id
    from ui.adapters.id_reader_adapter import mobile_id_reader
    from ui.lobby.services import LobbyServices

    # signed with another key: the verifier must not accept it
    payload = EmulatedMobileIdVerifier(b"someone else's key").sign("홍길동", date(1960, 3, 15))
    frame = render_mobile_id(payload)
    services = LobbyServices(settings=load_settings(), qr_reader=mobile_id_reader(lambda: frame))
    services.closers.append(services.qr_reader.stop)
    lobby = make_lobby(services)
    identify = _to_identify(lobby)
    identify.qr.click()
    qtbot.waitUntil(lambda: lobby.notice.isVisible(), timeout=20000)
    assert "QR 코드를 확인하지 못했어요" in lobby.notice.text()
    assert "직접 입력하기" in lobby.notice.text()  # what to do next
    assert identify.mode == "choose" and lobby.draft.document is None


def test_without_a_chip_reader_the_chip_button_says_so_and_offers_the_other_ways(
    make_lobby: Any,
) -> None:
    from ui.lobby.services import LobbyServices

    services = LobbyServices(settings=load_settings(), chip_unavailable="pcscd did not start")
    lobby = make_lobby(services)
    identify = _to_identify(lobby)
    identify.chip.click()
    assert lobby.notice.isVisible() and "여권 리더를 지금 쓸 수 없어요" in lobby.notice.text()
    assert identify.mode == "choose" and identify.manual.isEnabled()


# -- hub settings --------------------------------------------------------------------------------------------
def test_hub_settings_default_to_standalone() -> None:
    lobby = load_settings(environ={}).lobby
    assert lobby.hub_url == "" and lobby.device_token_file == ""


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({"KIOSK_LOBBY__HUB_URL": '"ftp://hub.local"'}, "lobby.hub_url"),
        ({"KIOSK_LOBBY__HUB_URL": '"hub.local:8000"'}, "lobby.hub_url"),
        ({"KIOSK_LOBBY__HUB_URL": '"http://hub local"'}, "lobby.hub_url"),
        ({"KIOSK_LOBBY__HUB_URL": '"http://hub.local:8000"'}, "lobby"),  # no token file named
        ({"KIOSK_LOBBY__DEVICE_TOKEN": '"abc"'}, "lobby.device_token"),  # the token itself: not a key
    ],
)
def test_bad_hub_settings_are_config_errors(environ: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ=environ)
    assert caught.value.key.startswith(key)


def test_a_good_hub_setting_is_kept(tmp_path: Path) -> None:
    token = tmp_path / "device.token"
    lobby = load_settings(
        environ={
            "KIOSK_LOBBY__HUB_URL": '"https://hub.center.local:8443/"',
            "KIOSK_LOBBY__DEVICE_TOKEN_FILE": f'"{token}"',
        }
    ).lobby
    assert lobby.hub_url == "https://hub.center.local:8443" and lobby.device_token_file == str(token)


@pytest.mark.parametrize("content", [None, "", "two words\n"])
def test_an_unusable_token_file_is_a_config_error(tmp_path: Path, content: str | None) -> None:
    from ui.lobby.emulated import read_device_token

    path = tmp_path / "device.token"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_device_token(str(path))
    assert caught.value.key == "lobby.device_token_file"
    assert "two" not in str(caught.value)  # the message names the file, never the token


def test_real_services_link_to_the_hub_when_set(center: Any, tmp_path: Path) -> None:
    from kiosk.context import AppContext
    from ui.lobby.emulated import real_services

    token = tmp_path / "device.token"
    token.write_text(center.lobby_token + "\n", encoding="utf-8")
    ctx = AppContext(db_url_option=f"sqlite:///{tmp_path / 'lobby.db'}")
    import db.models  # noqa: F401 - a real kiosk's database is migrated; here the tables are created
    from db.base import Base

    Base.metadata.create_all(ctx.engine)
    settings = load_settings(
        environ={"KIOSK_LOBBY__HUB_URL": f'"{center.url}"', "KIOSK_LOBBY__DEVICE_TOKEN_FILE": f'"{token}"'}
    )
    services = real_services(settings, ctx)
    try:
        assert services.hub is not None and services.staff_alert is not None
        services.call_staff("identify")
    finally:
        services.close()
        ctx.engine.dispose()
    standalone = real_services(load_settings(environ={}), ctx)
    try:
        assert standalone.hub is None
    finally:
        standalone.close()
        ctx.engine.dispose()


# -- passport IC chip: real pcscd + vpcd + the virtual ePassport ---------------------------------------------


@pytest.fixture(scope="module")
def pcscd_daemon() -> Iterator[Any]:
    """The daemon behind the shared ``pcscd`` fixture, stopped when this module ends if we launched it:
    so tests/devices/id's own session daemon later launches (and owns) a fresh one, in either order."""
    from devices.id.pcsc.service import PcscdProcess

    daemon = PcscdProcess()
    yield daemon
    with machine_lock():
        daemon.stop()


HOLDER_FIELDS = {"surname": "PARK", "given_names": "SEOYEON", "document_number": "M31415926",
                 "birth": "011231", "sex": "F", "expiry": "300101"}  # fmt: skip


def _chip_lobby(make_lobby: Any, fault: str = "") -> Any:
    from devices.id.emulators.vicc import PassportHolder
    from ui.lobby.emulated import EmulatedPassportReader
    from ui.lobby.services import LobbyServices

    reader = EmulatedPassportReader(PassportHolder(**HOLDER_FIELDS), fault=fault)
    services = LobbyServices(settings=load_settings(), chip_reader=reader, chip_key=reader.key)
    services.closers.append(reader.close)
    return make_lobby(services)


def _type_mrz(identify: Any, qtbot: QtBot, number: str, birth: str, expiry: str) -> None:
    identify.chip.click()
    assert identify.mode == "chip_key" and not identify.lobby.primary.isEnabled()
    qtbot.keyClicks(identify.passport_number_edit, number)
    qtbot.keyClicks(identify.passport_birth_edit, birth)
    qtbot.keyClicks(identify.passport_expiry_edit, expiry)


@pytest.mark.pcscd
@pytest.mark.xdist_group("pcscd")
@pytest.mark.usefixtures("pcscd")  # first, so its teardown (reader left empty) runs after the lobby's
def test_a_passport_chip_is_read_through_pcscd_in_the_lobby(make_lobby: Any, qtbot: QtBot) -> None:
    lobby = _chip_lobby(make_lobby)
    identify = _to_identify(lobby)
    _type_mrz(identify, qtbot, "m31415926", "011231", "300101")
    assert lobby.primary.isEnabled()
    lobby.primary.click()  # 여권 읽기
    assert identify.mode == "waiting"
    qtbot.waitUntil(lambda: identify.mode == "confirm", timeout=60000)
    document = lobby.draft.document
    assert document.source == "chip" and document.name == "PARK SEOYEON"
    assert document.document_number == "M31415926"
    assert identify.birth_value.text() == "2001-12-31"
    lobby.primary.click()  # 네, 맞아요
    assert lobby.current == "consent"


@pytest.mark.pcscd
@pytest.mark.xdist_group("pcscd")
@pytest.mark.usefixtures("pcscd")  # first, so its teardown (reader left empty) runs after the lobby's
@pytest.mark.parametrize(
    ("fault", "number", "message"),
    [
        ("", "M31415927", "여권 정보가 맞지 않아요"),  # a typo in the document number: BAC refuses
        ("pace_only", "M31415926", "이 신분증은 지원하지 않는 방식입니다"),
    ],
)
def test_a_chip_that_cannot_be_read_says_what_to_do_next(
    make_lobby: Any, qtbot: QtBot, fault: str, number: str, message: str
) -> None:
    lobby = _chip_lobby(make_lobby, fault=fault)
    identify = _to_identify(lobby)
    _type_mrz(identify, qtbot, number, "011231", "300101")
    lobby.primary.click()
    qtbot.waitUntil(lambda: lobby.notice.isVisible() and message in lobby.notice.text(), timeout=60000)
    assert "직접 입력하기" in lobby.notice.text()
    assert identify.mode == "choose" and lobby.draft.document is None
