"""Every log handler masks, uvicorn's included: a hub fault while handling a visit with an RRN and a phone
number leaves only masked forms in the log, in uvicorn's "Exception in ASGI application" traceback too.

The real uvicorn server runs (serve_in_thread, as `kiosk hub` does with the same options). The fault is
forced with a test-only dependency override on the real POST /visits route: storing fails with an
exception that quotes the request body, the way the tester's traceback did.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import Request

from config import load_settings
from kiosk.api import VisitSubmission
from kiosk.hub.app import create_app
from kiosk.hub.deps import hub_state
from kiosk.hub.server import serve_in_thread
from kiosk.logging_setup import configure_logging
from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import submission
from tests.polling import wait_until

RRN = "900101-1234567"
PHONE = "010-2468-1357"


@pytest.fixture
def hub_log() -> Iterator[io.StringIO]:
    """What an operator's console shows: a root handler, filtered the way `kiosk` filters every one."""
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    configure_logging()
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def _wait_for(stream: io.StringIO, needle: str, timeout_s: float = 10.0) -> str:
    # uvicorn logs from its own thread, just after the 500 went out
    wait_until(lambda: needle in stream.getvalue(), timeout_s, interval_s=0.02, message=f"no {needle!r}")
    return stream.getvalue()


def _faulty_hub(hub: Hub, fault: Any) -> Any:
    app = create_app(load_settings(), hub.sessions, hub.keys)
    app.dependency_overrides[hub_state] = fault
    return serve_in_thread(app)


def _assert_clean(log: str) -> None:
    assert "1234567" not in log and RRN.replace("-", "") not in log
    assert "2468" not in log and "24681357" not in log
    assert "홍길동" not in log


def test_a_500_with_personal_data_in_the_traceback_is_logged_masked(
    hub_sqlite: Hub, hub_log: io.StringIO, capfd: pytest.CaptureFixture[str]
) -> None:
    async def disk_fails(request: Request) -> None:
        body = await request.json()
        person = body["identity"]
        raise OSError(f"disk I/O error storing rrn={person['rrn']} phone={person['phone']}")

    lobby, _token = hub_sqlite.enroll("lobby")
    server = _faulty_hub(hub_sqlite, disk_fails)
    try:
        body = submission(3, rrn=RRN)
        body["identity"]["phone"] = PHONE
        answer = httpx.post(f"{server.url}/visits", json=body, headers=lobby, timeout=10)
        assert answer.status_code == 500
        assert answer.json()["error"]["code"] == "internal_error"
        log = _wait_for(hub_log, "Exception in ASGI application")
    finally:
        server.stop()
    assert "Exception in ASGI application" in log and "OSError: disk I/O error" in log
    assert "unexpected hub error: OSError" in log  # the hub's own line, with the same traceback
    _assert_clean(log)
    assert "900101-1******" in log and "010-****-1357" in log
    printed = capfd.readouterr()
    _assert_clean(printed.out + printed.err)  # nothing printed around the handlers either
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        assert logging.getLogger(name).handlers == []  # uvicorn installed none of its own


def test_a_validation_error_quoting_the_body_is_withheld(hub_sqlite: Hub, hub_log: io.StringIO) -> None:
    async def revalidate(request: Request) -> None:
        body = await request.json()
        del body["identity"]["method"]
        VisitSubmission.model_validate(body)  # pydantic quotes the body, truncated mid-number

    lobby, _token = hub_sqlite.enroll("lobby")
    server = _faulty_hub(hub_sqlite, revalidate)
    try:
        body = submission(4, rrn=RRN)
        body["identity"]["phone"] = PHONE
        answer = httpx.post(f"{server.url}/visits", json=body, headers=lobby, timeout=10)
        assert answer.status_code == 500
        log = _wait_for(hub_log, "Exception in ASGI application")
    finally:
        server.stop()
    assert "ValidationError" in log and "input_value=<withheld>" in log
    _assert_clean(log)


def test_the_filter_masks_a_traceback_a_formatter_renders_itself() -> None:
    from db.pii import PiiMaskingFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PiiMaskingFilter())
    logger = logging.getLogger("tests.log_privacy")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError(f"bad {RRN} {PHONE}")
        except ValueError:
            logger.exception("failed")
        logger.warning("stack", stack_info=True, extra={"unused": RRN})
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    log = stream.getvalue()
    assert "ValueError: bad 900101-1****** 010-****-1357" in log
    _assert_clean(log)
