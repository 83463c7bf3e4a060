"""HQ on a scratch PostgreSQL schema, migrated by HQ's own Alembic scripts, and a center that signs;
the CLI runner and the browser are the ones the data-layer and web tests use."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.db.conftest import kiosk  # noqa: F401 - the `kiosk …` runner, one for every CLI test
from tests.kiosk.hq.signer import FakeCenter
from tests.kiosk.web.conftest import browser  # noqa: F401 - Chromium under Playwright, as the web's tests launch it

pytestmark = pytest.mark.postgres


@pytest.fixture
def hq_engine(postgres_url: str) -> Iterator[Engine]:
    from db.session import make_engine
    from kiosk.hq.migrate import upgrade

    engine = make_engine(postgres_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def hq_sessions(hq_engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(hq_engine, expire_on_commit=False)


@pytest.fixture
def seoul(hq_sessions: sessionmaker[Session]) -> FakeCenter:
    center = FakeCenter("C001", "서울중앙")
    center.register(hq_sessions)
    return center


@pytest.fixture
def suwon(hq_sessions: sessionmaker[Session]) -> FakeCenter:
    center = FakeCenter("C002", "수원")
    center.register(hq_sessions)
    return center
