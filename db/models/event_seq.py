"""The number every hub worker gives its live events (kiosk.hub.pg_bus), one sequence per database.

A PostgreSQL sequence, so several uvicorn workers agree on ``seq`` without a table. It belongs to the
schema like the tables do: Alembic makes it (0013) and ``Base.metadata.create_all`` makes it for the tests;
SQLite has no sequences and ignores it (a SQLite hub runs one worker with the in-process bus).
"""

from sqlalchemy import Sequence

from db.base import Base

EVENT_SEQ = Sequence("kiosk_event_seq", metadata=Base.metadata)
