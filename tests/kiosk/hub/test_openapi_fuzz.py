"""Schemathesis against /openapi.json: generated requests (valid and not) never get a 5xx, on both engines.

Bounded: a few examples per operation, positive and negative, each sent as a counselor (logged in at a
desk with a paired counter) and as a lobby kiosk, so requests get past authentication into validation
and the routes. Part of them carry a shape a tester found to give a 500 (issue 13): a time without a
zone or past what UTC holds, a control character in text, NaN/Infinity or a number too big for JSON.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from tests.kiosk.hub.conftest import Hub
from tests.kiosk.hub.factories import bad_query_values, submission, with_a_found_shape

# Operations with a body get more: that is where the found shapes go. ~15–30 s per engine on 2 busy cores;
# hypothesis draws new examples every run (no example database), so CI covers more over its runs.
EXAMPLES_PER_OPERATION = 6
EXAMPLES_PER_OPERATION_WITH_BODY = 25


@dataclass
class Tally:
    requests: int = 0
    with_found_shape: int = 0
    server_errors: list[str] = field(default_factory=list)


def _callers(hub: Hub) -> dict[str, dict[str, str]]:
    desk_token = hub.enroll("desk")[1]
    counselor = hub.login("boss", desk_token=desk_token)
    counter, _ = hub.enroll("counter")
    code = hub.http.post("/desk/counter-code", headers=counselor).json()["code"]
    hub.http.post("/devices/pair", json={"code": code}, headers=counter)
    return {"counselor": counselor, "lobby": hub.enroll("lobby")[0]}


def _strategies(operation: Any) -> dict[GenerationMode, st.SearchStrategy[schemathesis.Case]]:
    strategies = {GenerationMode.POSITIVE: operation.as_strategy(GenerationMode.POSITIVE)}
    try:
        strategies[GenerationMode.NEGATIVE] = operation.as_strategy(GenerationMode.NEGATIVE)
    except Exception:  # an operation with nothing to negate (no parameters, no body)
        pass
    return strategies


def _send_raw(client: TestClient, case: schemathesis.Case, headers: dict[str, str], body: Any) -> Any:
    # json.dumps writes NaN/Infinity bare and lone surrogates escaped, which requests' json= refuses.
    return client.request(
        case.method,
        case.formatted_path,
        params=case.query or None,
        content=json.dumps(body, allow_nan=True).encode(),
        headers={**headers, "Content-Type": "application/json"},
    )


@dataclass
class Fuzz:
    hub: Hub
    callers: dict[str, dict[str, str]]
    raw: TestClient  # every 5xx is counted and the run goes on: the figure is a count, not the first
    tally: Tally = field(default_factory=Tally)

    def operation(self, operation: Any) -> None:
        strategies = _strategies(operation)

        @given(data=st.data())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION_WITH_BODY if len(operation.body) else EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(data: st.DataObject) -> None:
            mode = data.draw(st.sampled_from(sorted(strategies)), label="mode")
            case = data.draw(strategies[mode], label="case")
            body = self._shaped_body(data, case) if mode is GenerationMode.POSITIVE else None
            shaped_query = mode is GenerationMode.POSITIVE and self._shape_query(data, case)
            for who, auth in self.callers.items():
                self._send(who, auth, case, body, shaped=body is not None or shaped_query)

        check()

    def _shaped_body(self, data: st.DataObject, case: schemathesis.Case) -> Any:
        """A found shape in an otherwise valid body (or None): then it is what the hub has to face."""
        if case.media_type != "application/json" or not isinstance(case.body, dict | list):
            return None
        if not data.draw(st.booleans(), label="put a found shape in the body"):
            return None
        base: Any = case.body
        if (case.method, case.path) == ("POST", "/visits") and data.draw(st.booleans(), label="real visit"):
            # Generated RRNs fail their checksum, which stops a visit before anything else is looked at.
            base = submission(data.draw(st.integers(0, 10_000), label="seed"))
        return data.draw(with_a_found_shape(base), label="body")

    def _shape_query(self, data: st.DataObject, case: schemathesis.Case) -> bool:
        if not case.query or not data.draw(st.booleans(), label="put a found shape in the query"):
            return False
        name = data.draw(st.sampled_from(sorted(case.query)), label="query parameter")
        case.query[name] = data.draw(bad_query_values(), label="query value")
        return True

    def _send(self, who: str, auth: dict[str, str], case: schemathesis.Case, body: Any, shaped: bool) -> None:
        headers = dict(auth)
        if case.headers and "Idempotency-Key" in case.headers:
            headers["Idempotency-Key"] = case.headers["Idempotency-Key"]
        self.tally.requests += 1
        self.tally.with_found_shape += shaped
        where = f"{who} {case.method} {case.formatted_path} {case.query or ''}"
        sent = json.dumps(body, allow_nan=True)[:300] if body is not None else repr(case.body)[:300]
        try:
            response = (
                _send_raw(self.raw, case, headers, body) if body is not None else case.call(headers=headers)
            )
        except Exception as exc:  # the app failed past its own 500 handler: a 5xx all the same
            self.tally.server_errors.append(f"{where}: {exc!r} {sent}")
            return
        if response.status_code >= 500 and not _said_unavailable(response):
            self.tally.server_errors.append(f"{where}: {response.status_code} {sent}")
        elif response.status_code >= 400 and "json" in _content_type(response):
            error = response.json()["error"]
            assert error["message_ko"] and error["message_en"]


@pytest.mark.slow
def test_no_server_errors_on_generated_requests(hub: Hub, db_url: str) -> None:
    fuzz = Fuzz(hub, _callers(hub), TestClient(hub.app, raise_server_exceptions=False))
    schema = schemathesis.openapi.from_asgi("/openapi.json", hub.app)
    operations = 0
    started = time.monotonic()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the hub's own schema is always valid
        fuzz.operation(result.ok())
        operations += 1
    tally = fuzz.tally
    engine = "postgres" if db_url.startswith("postgresql") else "sqlite"
    print(  # the figures for the closing note (shown with -s)
        f"\nfuzz {engine}: {operations} operations, {tally.requests} requests "
        f"({tally.with_found_shape} with a found shape), {len(tally.server_errors)} 5xx, "
        f"{time.monotonic() - started:.0f} s"
    )
    assert operations >= 30
    assert tally.server_errors == [], tally.server_errors[:20]


def _content_type(response: Any) -> str:
    """The Content-Type, whether the headers hold strings (the raw client) or lists (schemathesis)."""
    value = response.headers.get("content-type", "")
    return " ".join(value) if isinstance(value, list | tuple) else str(value)


def _said_unavailable(response: Any) -> bool:
    """A 503 the hub means (its SMS is off: SMS_UNAVAILABLE) is an answer, not a crash."""
    if response.status_code != 503:
        return False
    # schemathesis's own response keeps headers as lists, the raw client's as strings: read the body
    try:
        code = json.loads(response.text)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(code == "SMS_UNAVAILABLE")
