"""The one way a process gets its key ring: refuse to start rather than lose the keys of stored data.

A key file that vanished (a restore from an old disk image, a wrong ``privacy.key_file``, a deleted data
folder) used to be replaced silently by a fresh one; every RRN, phone and address stored so far was then
unreadable, and new data went under a key nobody had backed up. So:

- the database says which keys it needs (the key id in each blob header, db.rotation.key_ids_in_use);
- a ring that lacks one of them stops the process with one message: which key, which file, how to
  restore it (``kiosk keys restore FILE``), exit 2 through the CLI (MissingKeyError is a ConfigError);
- a new key file is made only while the database holds no encrypted value at all: the first run, or
  ``kiosk keys init``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError, StatementError

from config import ConfigError, Settings
from db.crypto import ENV_VAR, KeyRing, create_key_file, key_file_for, read_keyring

RESTORE_HINT = "kiosk keys restore FILE"


class MissingKeyError(ConfigError):
    """The database holds values under key ids the ring does not have; nothing was created."""

    def __init__(self, missing: Mapping[str, int], where: str, file_exists: bool) -> None:
        self.missing = dict(missing)  # key id -> how many stored values it protects
        self.where = where
        ids = ", ".join(sorted(self.missing))
        values = sum(self.missing.values())
        if where == ENV_VAR:
            place_ko = f"환경 변수 {ENV_VAR}의 키 모음에 키 {ids}가 없어요"
            place_en = f"{ENV_VAR} does not hold key {ids}"
            fix = f"put the key file with that key in {ENV_VAR}, or unset it and run `{RESTORE_HINT}`"
        elif file_exists:
            place_ko = f"키 파일 {where}에 키 {ids}가 없어요"
            place_en = f"the key file {where} does not hold key {ids}"
            fix = f"bring back the key from a backup: `{RESTORE_HINT}` (adds it to this file)"
        else:
            place_ko = f"키 파일 {where}이(가) 없어요"
            place_en = f"the key file {where} does not exist"
            fix = f"bring it back from a backup: `{RESTORE_HINT}`, or set privacy.key_file to where it is"
        message = (
            f"키가 없어서 시작하지 않아요 (missing key, not starting): {place_ko} ({place_en}); "
            f"데이터베이스의 암호화된 값 {values}개가 이 키로 잠겨 있어요 ({values} encrypted values in the "
            f"database are under key {ids}). 새 키는 만들지 않았어요 (no new key was made). "
            f"복구 (to fix): {fix}"
        )
        Exception.__init__(self, message)
        self.source, self.key, self.value, self.allowed = where, "keys", ids, fix


class KeyCheckError(ConfigError):
    """The database could not be read, so whether a key may be created is unknown: refuse."""

    def __init__(self, detail: str) -> None:
        message = (
            "데이터베이스를 읽지 못해 키를 확인할 수 없어요 (cannot read the database to check the keys): "
            f"{detail}"
        )
        Exception.__init__(self, message)
        self.source, self.key, self.value, self.allowed = "database", "(connection)", detail, "a reachable db"


def _key_ids_in_use(engine: Engine) -> set[str]:
    from db.rotation import key_ids_in_use

    try:
        return key_ids_in_use(engine)
    except SQLAlchemyError as exc:
        driver_error = exc.orig if isinstance(exc, StatementError) else None  # the driver's own words
        detail = str(driver_error or exc).strip().splitlines()
        raise KeyCheckError(detail[0] if detail else type(exc).__name__) from None


def _missing_error(engine: Engine, missing: set[str], where: str, file_exists: bool) -> MissingKeyError:
    from db.rotation import count_by_key

    counts = count_by_key(engine)  # the full scan runs only on this failure path
    return MissingKeyError({kid: counts.get(kid, 0) for kid in missing}, where, file_exists)


def _where(ring: KeyRing | None, key_file: Path) -> str:
    if ring is not None and ring.source is None:
        return ENV_VAR
    return str(key_file)


def missing_key_ids(engine: Engine, ring: KeyRing) -> set[str]:
    """Key ids the database uses that ring lacks (for `kiosk keys status`, which only reads)."""
    return _key_ids_in_use(engine) - set(ring.keys)


def ensure_keyring(
    engine: Engine, key_file: Path, environ: Mapping[str, str] | None = None
) -> tuple[KeyRing, bool]:
    """(the ring, whether a new key file was made now). MissingKeyError instead of a key that would
    strand stored data; ConfigError for a malformed or too-open key file."""
    key_file = Path(key_file)
    ring = read_keyring(key_file, environ)
    in_use = _key_ids_in_use(engine)
    if ring is None:
        if in_use:
            raise _missing_error(engine, in_use, str(key_file), file_exists=False)
        return create_key_file(key_file)
    if not in_use <= set(ring.keys) and ring.source is not None:
        ring = read_keyring(key_file, environ) or ring  # a rotation elsewhere may have added a key since
    missing = in_use - set(ring.keys)
    if missing:
        raise _missing_error(engine, missing, _where(ring, key_file), file_exists=True)
    return ring, False


def open_keyring(engine: Engine, key_file: Path, environ: Mapping[str, str] | None = None) -> KeyRing:
    """What every process calls at start-up (hub, lobby, `kiosk keys ...`): see the module docstring."""
    return ensure_keyring(engine, key_file, environ)[0]


def open_site_keyring(
    settings: Settings, engine: Engine, environ: Mapping[str, str] | None = None
) -> KeyRing:
    """open_keyring on the key file these settings name (``privacy.key_file`` or <data dir>/keys.json):
    the one start-up call of the hub, the lobby and `kiosk keys` (kiosk.context.AppContext.keyring)."""
    return open_keyring(engine, key_file_for(settings), environ)
