from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.models import Center, Counselor
from db.session import make_sessionmaker


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def center_id(sessions: sessionmaker[Session]) -> uuid.UUID:
    with sessions.begin() as session:
        center = Center(code=f"test-{uuid.uuid4().hex[:6]}", name_ko="테스트센터")
        session.add(center)
        session.flush()
        return center.id


@pytest.fixture
def counselor_id(sessions: sessionmaker[Session], center_id: uuid.UUID) -> uuid.UUID:
    with sessions.begin() as session:
        counselor = Counselor(
            center_id=center_id,
            username=f"c{uuid.uuid4().hex[:6]}",
            display_name="상담사",
            password_hash="x",
            role="counselor",
        )
        session.add(counselor)
        session.flush()
        return counselor.id
