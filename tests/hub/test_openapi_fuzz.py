"""Schemathesis against /openapi.json: generated requests (valid and not) never get a 5xx.

Bounded: a few examples per operation, each sent as a counselor (logged in at a desk with a paired
counter) and as a lobby kiosk, so requests get past authentication into validation and the routes.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.hub.conftest import Hub


@pytest.mark.slow
def test_no_server_errors_on_generated_requests(hub_sqlite: Hub) -> None:
    hub = hub_sqlite
    desk_token = hub.enroll("desk")[1]
    counselor = hub.login("boss", desk_token=desk_token)
    counter, _ = hub.enroll("counter")
    code = hub.http.post("/desk/counter-code", headers=counselor).json()["code"]
    hub.http.post("/devices/pair", json={"code": code}, headers=counter)
    callers = {"counselor": counselor, "lobby": hub.enroll("lobby")[0]}
    schema = schemathesis.openapi.from_asgi("/openapi.json", hub.app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            for who, auth in callers.items():
                headers = dict(auth)
                if case.headers and "Idempotency-Key" in case.headers:
                    headers["Idempotency-Key"] = case.headers["Idempotency-Key"]
                response = case.call(headers=headers)
                if response.status_code >= 500:
                    failures.append(f"{who} {case.method} {case.path}: {response.status_code}")
                elif response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
                    error = response.json()["error"]
                    assert error["message_ko"] and error["message_en"]

        check()
    assert operations >= 30
    assert failures == []
