"""Key rotation: re-encrypt every encrypted column under a new data key, resumably.

Why it loses nothing when killed at any instant:
1. the new key is written to the key file (atomic rename) *before* any row uses it, together with a
   ``rotation`` mark naming it; old keys stay in the file;
2. rows are re-encrypted in small batches, one transaction each; a row is either still under its old
   key or already under the new one, and the ring holds both;
3. running ``rotate`` again sees the mark and resumes with the same target key instead of making
   another; only after a pass finds no row left under an old key is the mark cleared.

Encrypted columns are found by convention (see db.people): a binary column ``<field>_enc`` in table
``<table>`` holds a db.crypto blob with context ``"<table>.<field>"``. Other areas' encrypted columns
are rotated without registering anything.

The blind-index (HMAC) key is not rotated: the index is an opaque lookup token that reveals nothing
without that key, every kiosk and hub of a center must switch to a new one at the same instant for
returning visitors to keep matching, and a leaked HMAC key is handled by issuing a new key file and
recomputing the index from the (decryptable) RRNs, a separate, deliberate operation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Column, Engine, LargeBinary, MetaData, Table, func, inspect, select, update

from db.audit import append_event
from db.crypto import BLOB_VERSION, DecryptionError, KeyRing, blob_key_id
from db.session import make_sessionmaker

Progress = Callable[[str, int, int], None]  # (context, rows seen, rows re-encrypted so far)


@dataclass(frozen=True)
class EncryptedColumn:
    table: Table
    column: Column  # type: ignore[type-arg]
    context: str


@dataclass
class RotationReport:
    target_key_id: str
    resumed: bool
    rotated: dict[str, int] = field(default_factory=dict)  # context -> rows re-encrypted
    passes: int = 0
    dropped_key_ids: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rotated.values())


def encrypted_columns(metadata: MetaData | None = None) -> list[EncryptedColumn]:
    if metadata is None:
        from db.models import Base

        metadata = Base.metadata
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("_enc") and isinstance(column.type, LargeBinary):
                found.append(EncryptedColumn(table, column, f"{table.name}.{column.name[: -len('_enc')]}"))
    return found


def present_encrypted_columns(engine: Engine) -> list[EncryptedColumn]:
    """The encrypted columns this database really has: none before `kiosk db upgrade`, fewer when older.

    The key guard asks before any table is created, and a lobby may run on a schema one revision behind.
    """
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    columns_of: dict[str, set[str]] = {}
    found = []
    for enc in encrypted_columns():
        if enc.table.name not in tables:
            continue
        if enc.table.name not in columns_of:
            columns_of[enc.table.name] = {c["name"] for c in inspector.get_columns(enc.table.name)}
        if enc.column.name in columns_of[enc.table.name]:
            found.append(enc)
    return found


def key_ids_in_use(engine: Engine, columns: list[EncryptedColumn] | None = None) -> set[str]:
    """Every key id some stored value names in its blob header (unreadable values name none).

    Runs at every start-up, so the database does the work: per column, the distinct id lengths (byte 1
    of the header), then the distinct headers of each length. No blob leaves the database.
    """
    found: set[str] = set()
    with engine.connect() as conn:
        for enc in columns if columns is not None else present_encrypted_columns(engine):
            col = enc.column
            length_byte = func.substr(col, 2, 1)
            lengths = conn.execute(select(length_byte).where(col.is_not(None)).distinct()).scalars().all()
            for raw_length in lengths:
                if not raw_length:
                    continue
                n = bytes(raw_length)[0]
                header = func.substr(col, 1, 2 + n)
                query = select(header).where(col.is_not(None), length_byte == bytes(raw_length)).distinct()
                for raw_header in conn.execute(query).scalars():
                    head = bytes(raw_header)
                    if n == 0 or len(head) != 2 + n or head[0] != BLOB_VERSION:
                        continue
                    try:
                        found.add(head[2:].decode("ascii"))
                    except UnicodeDecodeError:
                        continue
    return found


def _one_pass(
    engine: Engine,
    keys: KeyRing,
    target: str,
    enc: EncryptedColumn,
    batch_size: int,
    pause: float,
    progress: Progress | None,
) -> int:
    """Re-encrypt every row of one column not yet under target; returns how many were changed."""
    (pk,) = enc.table.primary_key.columns
    col = enc.column
    last = None
    seen = changed = 0
    while True:
        query = select(pk, col).where(col.is_not(None)).order_by(pk).limit(batch_size)
        if last is not None:
            query = query.where(pk > last)
        with engine.begin() as conn:
            rows = conn.execute(query).all()
            if not rows:
                return changed
            for row_pk, blob in rows:
                blob = bytes(blob)
                if blob_key_id(blob) == target:
                    continue
                plain = keys.decrypt(blob, enc.context)
                fresh = keys.encrypt(plain, enc.context, key_id=target)
                # Compare-and-set: a row rewritten meanwhile by a writer is left to the next pass.
                result = conn.execute(
                    update(enc.table).where(pk == row_pk, col == blob).values({col.name: fresh})
                )
                changed += result.rowcount
        seen += len(rows)
        last = rows[-1][0]
        if progress is not None:
            progress(enc.context, seen, changed)
        if pause:
            time.sleep(pause)  # leave room for a kiosk that is serving visitors meanwhile


def rows_not_under(
    engine: Engine, key_id: str, columns: list[EncryptedColumn] | None = None
) -> dict[str, int]:
    """For each encrypted column, how many values are under some key other than key_id."""
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for enc in columns if columns is not None else present_encrypted_columns(engine):
            n = 0
            for (blob,) in conn.execute(select(enc.column).where(enc.column.is_not(None))):
                try:
                    n += blob_key_id(bytes(blob)) != key_id
                except DecryptionError:
                    n += 1
            counts[enc.context] = n
    return counts


def rotate_keys(
    engine: Engine,
    keys: KeyRing,
    *,
    batch_size: int = 200,
    pause: float = 0.0,
    drop_old_keys: bool = False,
    actor: str = "system:keys-rotate",
    progress: Progress | None = None,
    max_passes: int = 5,
) -> RotationReport:
    """Start or resume a rotation and run it to the end. The key file must be writable (not KIOSK_KEYS)."""
    resumed = keys.rotation_target is not None
    target = keys.rotation_target if resumed else keys.begin_rotation()
    assert target is not None
    report = RotationReport(target_key_id=target, resumed=resumed)
    columns = present_encrypted_columns(engine)  # a schema a revision behind has fewer
    for _ in range(max_passes):
        report.passes += 1
        for enc in columns:
            n = _one_pass(engine, keys, target, enc, batch_size, pause, progress)
            report.rotated[enc.context] = report.rotated.get(enc.context, 0) + n
        if not any(rows_not_under(engine, target, columns).values()):
            break
    else:
        raise RuntimeError(
            "rows under old keys keep appearing: stop the kiosks still using old keys and rerun"
        )
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        detail = {"key_id": target, "rows": report.total, "resumed": resumed, "passes": report.passes}
        append_event(session, actor, "keys.rotate", f"key:{target}", detail)
        session.commit()
    report.dropped_key_ids = keys.finish_rotation(drop_old_keys)
    return report


def count_by_key(engine: Engine) -> dict[str, int]:
    """How many encrypted values each key id protects (for `kiosk keys status`)."""
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for enc in present_encrypted_columns(engine):
            query = select(enc.column).where(enc.column.is_not(None))
            for (blob,) in conn.execute(query):
                try:
                    kid = blob_key_id(bytes(blob))
                except DecryptionError:
                    kid = "(unreadable)"
                counts[kid] = counts.get(kid, 0) + 1
    return counts
