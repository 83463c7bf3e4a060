"""`POST /chat` over real HTTP semantics (Starlette TestClient): answers, abstains, 413, 429, 422."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kiosk.assistant import Assistant
from kiosk.hub import routes_chat
from kiosk.hub.routes_chat import make_chat_router


class FakeClock:
    """Time that tests move by hand (the rate limiter's window), not a mock of our code."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(assistant: Assistant, clock: FakeClock) -> TestClient:
    settings = assistant.settings.model_copy(update={"rate_limit_per_minute": 5, "max_body_bytes": 2048})
    app = FastAPI()
    app.include_router(make_chat_router(assistant, settings, clock=clock))
    return TestClient(app)


def test_answers_with_entry_and_source(client: TestClient) -> None:
    response = client.post("/chat", json={"question": "채무조정 신청하려면 뭘 가져가야 해요?"})
    assert response.status_code == 200
    body = response.json()
    assert body["entry_id"] == "debt.documents" and body["source"] and not body["abstained"]


def test_abstains_out_of_scope(client: TestClient) -> None:
    body = client.post("/chat", json={"question": "오늘 날씨 어때요?"}).json()
    assert body["abstained"] and body["handoff_offered"] and body["entry_id"] is None


def test_personal_data_is_not_echoed(client: TestClient) -> None:
    response = client.post("/chat", json={"question": "제 주민번호 900101-1234567 로 대출 돼요?"})
    assert response.status_code == 200
    assert "1234567" not in response.text


def test_oversized_body_is_413(client: TestClient) -> None:
    response = client.post("/chat", json={"question": "가" * 5000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "chat_body_too_large"
    chunked = client.post(
        "/chat",
        content=iter([json.dumps({"question": "나" * 3000}).encode()]),  # no Content-Length: streamed
        headers={"content-type": "application/json"},
    )
    assert chunked.status_code == 413


def test_flood_is_429_and_the_window_slides(client: TestClient, clock: FakeClock) -> None:
    statuses = [client.post("/chat", json={"question": "번호표"}).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429, 429]
    refused = client.post("/chat", json={"question": "번호표"})
    assert refused.json()["error"]["code"] == "chat_rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    clock.now += 61
    assert client.post("/chat", json={"question": "번호표"}).status_code == 200


def test_malformed_bodies_are_422(client: TestClient) -> None:
    assert client.post("/chat", json={"q": "햇살론"}).status_code == 422
    assert client.post("/chat", json={"question": 12}).status_code == 422
    assert client.post("/chat", json={"question": "햇살론", "phone": "010"}).status_code == 422
    bad = client.post("/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422


@pytest.mark.parametrize("question", ["", "😀😀", "<script>alert(1)</script>", "\x00\x1b[2J"])
def test_bad_questions_get_a_calm_200(client: TestClient, question: str) -> None:
    response = client.post("/chat", json={"question": question})
    assert response.status_code == 200
    assert response.json()["abstained"] is True


def test_openapi_documents_the_models(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/chat"]["post"]
    assert "ChatRequest" in json.dumps(operation["requestBody"])
    assert {"200", "413", "429"} <= set(operation["responses"])


def test_shared_router_loads_the_assistant_on_first_use() -> None:
    """The hub includes the module's `router`; it loads the assistant lazily with default settings."""
    app = FastAPI()
    app.include_router(routes_chat.router)
    body = TestClient(app).post("/chat", json={"question": "햇살론 금리 얼마예요?"}).json()
    assert body["entry_id"] == "loan.sunshine15"


def test_an_assistant_that_cannot_load_is_a_calm_503(assistant: Assistant) -> None:
    def broken(_request: object) -> Assistant:
        raise OSError("FAQ directory missing")

    app = FastAPI()
    app.include_router(make_chat_router(broken, assistant.settings))
    response = TestClient(app).post("/chat", json={"question": "햇살론"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "chat_unavailable"
    assert "1397" in response.json()["error"]["message_ko"]
