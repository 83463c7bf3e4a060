"""`kiosk keys init|status|rotate|backup|restore`: data keys of the encrypted personal fields.

Every subcommand ends with a message and exit 0 or 2, never a traceback: a person runs these when
something is already wrong.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from config import ConfigError
from db.crypto import ENV_VAR, DecryptionError, key_file_for, read_keyring
from db.key_backup import KeyBackupError
from kiosk.commands.db_cmd import accept_global_options, require_schema

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext

PASSPHRASE_ENV = "KIOSK_KEYS_PASSPHRASE"  # noqa: S105 - the name of a variable, not a secret

Handler = Callable[[argparse.Namespace, "AppContext"], int]


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _clear_errors(handler: Handler) -> Handler:
    """Turn what can go wrong with keys, files and the database into one message and exit 2."""

    def run(args: argparse.Namespace, ctx: AppContext) -> int:
        try:
            return handler(args, ctx)
        except (ConfigError, KeyBackupError) as exc:  # MissingKeyError is a ConfigError
            return _fail(str(exc))
        except DecryptionError as exc:
            return _fail(f"저장된 값 하나를 풀 수 없어요 (a stored value cannot be decrypted): {exc}")
        except OSError as exc:
            where = exc.filename or ""
            return _fail(
                f"파일을 읽거나 쓸 수 없어요 (cannot read or write a file): {where}: {exc.strerror or exc}"
            )
        except SQLAlchemyError as exc:
            detail = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]
            return _fail(f"데이터베이스 오류 (database error): {detail}")

    return run


def _passphrase(confirm: bool) -> str:
    """KIOSK_KEYS_PASSPHRASE, else asked on the terminal (twice for a new backup), else one stdin line."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("암호 문구 (passphrase): ")
        if confirm and getpass.getpass("한 번 더 (again): ") != first:
            raise KeyBackupError("두 번 입력한 암호 문구가 달라요 (the two passphrases differ)")
        return first
    line = sys.stdin.readline().rstrip("\r\n") if sys.stdin is not None else ""
    if not line:
        raise KeyBackupError(
            f"암호 문구가 없어요 (no passphrase): set {PASSPHRASE_ENV} or give it on standard input"
        )
    return line


def _init(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.key_guard import ensure_keyring

    ring, created = ensure_keyring(ctx.engine, key_file_for(ctx.settings))
    if created:
        print(f"OK: 새 키를 만들었어요 (new key ring made): {ring.source}, key {ring.current_key_id}")
        print("지금 백업하세요 (back it up now): kiosk keys backup FILE")
    else:
        print(f"OK: 키가 이미 있어요 (keys already present): {ring.source or 'environment ' + ENV_VAR}")
        print(f"current key {ring.current_key_id}; nothing was created")
    return 0


def _rotate(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.rotation import rotate_keys

    if not require_schema(ctx):
        return 2
    keys = ctx.keyring()
    if keys.source is None:
        print("[KEYS_READ_ONLY] 키가 환경 변수(KIOSK_KEYS)에서 와서 여기서 바꿀 수 없어요. 키 파일을 쓰세요.")
        print("keys come from KIOSK_KEYS and cannot be rotated here: use a key file (privacy.key_file)")
        return 2
    if keys.rotation_target:
        print(f"resuming the unfinished rotation to key {keys.rotation_target}")

    def progress(context: str, seen: int, changed: int) -> None:
        print(f"  {context}: {seen} rows checked, {changed} re-encrypted", flush=True)

    try:
        report = rotate_keys(
            ctx.engine,
            keys,
            batch_size=args.batch_size,
            pause=args.pause,
            drop_old_keys=args.drop_old_keys,
            progress=progress if not args.quiet else None,
        )
    except KeyboardInterrupt:
        return _fail(
            "중단됐어요. 잃은 값은 없어요; 다시 실행하면 이어서 해요 "
            "(interrupted, nothing lost: run `kiosk keys rotate` again to resume)"
        )
    except OSError as exc:
        return _fail(
            f"키 파일을 쓸 수 없어요 (cannot write the key file): {exc.filename or keys.source}: "
            f"{exc.strerror or exc}. 잃은 값은 없어요; 쓸 수 있게 한 뒤 다시 실행하세요 "
            "(nothing lost: make it writable and run `kiosk keys rotate` again)"
        )
    except RuntimeError as exc:  # rows under old keys keep appearing
        return _fail(f"회전을 끝내지 못했어요 (rotation not finished): {exc}")
    print(
        f"OK: {report.total} values re-encrypted under key {report.target_key_id} in {report.passes} pass(es)"
    )
    for context, n in sorted(report.rotated.items()):
        print(f"  {context}: {n}")
    if report.dropped_key_ids:
        print(f"  old keys removed from the key file: {', '.join(report.dropped_key_ids)}")
    print("새 키를 백업하세요 (back up the new key): kiosk keys backup FILE")
    return 0


def _status(args: argparse.Namespace, ctx: AppContext) -> int:
    """Reads the key file and the database; never writes either."""
    from db.rotation import count_by_key

    key_file = key_file_for(ctx.settings)
    keys = read_keyring(key_file)
    if keys is None:
        print(f"키 파일이 없어요 (no key file): {key_file}")
    else:
        print(f"current key {keys.current_key_id}; key ids in the ring: {', '.join(sorted(keys.keys))}")
        print(f"source: {keys.source or 'environment KIOSK_KEYS'}")
        if keys.rotation_target:
            print(f"unfinished rotation to {keys.rotation_target}: run `kiosk keys rotate` to finish it")
    if not require_schema(ctx):
        return 2
    counts = count_by_key(ctx.engine)
    held = set(keys.keys) if keys is not None else set()
    missing = sorted(kid for kid in counts if kid not in held and kid != "(unreadable)")
    for key_id, n in sorted(counts.items()):
        mark = "  <- 없음 (MISSING)" if key_id in missing else ""
        print(f"  {key_id}: {n} encrypted values{mark}")
    if missing:
        print(
            f"키가 없어 읽을 수 없는 값이 있어요 (values under keys this ring lacks): {', '.join(missing)}; "
            "복구 (restore): kiosk keys restore FILE"
        )
        return 2
    if keys is None:
        print(
            "암호화된 값이 아직 없어요: 첫 실행이나 `kiosk keys init`이 키를 만들어요 "
            "(no encrypted data yet: the first run or `kiosk keys init` makes the key)"
        )
    return 0


def _backup(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.key_backup import check_new_passphrase, write_backup

    key_file = key_file_for(ctx.settings)
    keys = read_keyring(key_file)
    if keys is None:
        return _fail(f"키 파일이 없어 백업할 키가 없어요 (no key file, nothing to back up): {key_file}")
    passphrase = _passphrase(confirm=True)
    check_new_passphrase(passphrase)
    envelope = write_backup(Path(args.file), keys, passphrase, overwrite=args.force)
    print(
        f"OK: 키 {len(envelope.key_ids)}개를 백업했어요 "
        f"(backed up {len(envelope.key_ids)} key(s)): {args.file}"
    )
    print(f"  key ids: {', '.join(envelope.key_ids)}; current {envelope.current}")
    print("암호 문구는 이 파일과 따로 보관하세요 (keep the passphrase apart from the file)")
    return 0


def _restore(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.key_backup import read_backup, restore_key_file
    from db.key_guard import missing_key_ids

    restored = read_backup(Path(args.file), _passphrase(confirm=False))
    key_file = key_file_for(ctx.settings)
    report = restore_key_file(key_file, restored, force=args.force)
    if not report.written:
        print(
            f"OK: 키 파일에 이미 다 있어요 (the key file already holds every key of the backup): {key_file}"
        )
    else:
        added = ", ".join(report.added) or "(none)"
        print(f"OK: 키를 복구했어요 (keys restored) into {key_file}: added {added}")
    if report.replaced_current:
        print(
            f"  current key is now {report.current_key_id} "
            f"(was {report.replaced_current}, kept as an old key)"
        )
    if report.replaced_blind_index:
        print("  blind-index key replaced by the backup's: returning visitors match as in the backup")
    if os.environ.get(ENV_VAR):
        print(
            f"주의: {ENV_VAR}가 설정돼 있어 프로세스는 이 파일이 아니라 그 값을 써요 "
            f"(note: {ENV_VAR} is set, so processes use it, not this file)"
        )
    ring = read_keyring(key_file, environ={})
    try:
        missing = sorted(missing_key_ids(ctx.engine, ring)) if ring is not None else []
    except ConfigError as exc:  # the database is not reachable from here: the restore itself is done
        print(f"  (not checked against the database: {exc})")
        return 0
    if missing:
        return _fail(
            f"아직 없는 키가 있어요 (still missing keys the database uses): {', '.join(missing)}; "
            "다른 백업에 있을 거예요 (restore the backup that holds them)"
        )
    return 0


def register(registry: CommandRegistry) -> None:
    registry.group("keys", "encryption keys of personal data")
    accept_global_options(
        registry.subcommand(
            "keys",
            "init",
            "make the key file if none exists and the database holds no encrypted data",
            _clear_errors(_init),
        )
    )
    rotate = accept_global_options(
        registry.subcommand(
            "keys",
            "rotate",
            "re-encrypt every encrypted field under a new key (resumes if interrupted)",
            _clear_errors(_rotate),
        )
    )
    rotate.add_argument("--batch-size", type=int, default=200, help="rows per transaction (default 200)")
    rotate.add_argument("--pause", type=float, default=0.0, help="seconds between batches on a live system")
    rotate.add_argument("--drop-old-keys", action="store_true", help="forget old keys once nothing uses them")
    rotate.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    accept_global_options(
        registry.subcommand(
            "keys", "status", "which keys protect how many values (only reads)", _clear_errors(_status)
        )
    )
    backup = accept_global_options(
        registry.subcommand(
            "keys",
            "backup",
            f"write the key ring to FILE encrypted under a passphrase ({PASSPHRASE_ENV} or asked)",
            _clear_errors(_backup),
        )
    )
    backup.add_argument("file", help="backup file to write (0600), e.g. on a USB stick")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    restore = accept_global_options(
        registry.subcommand(
            "keys",
            "restore",
            "bring keys back from a backup FILE into the key file (merges; keeps keys already there)",
            _clear_errors(_restore),
        )
    )
    restore.add_argument("file", help="backup file written by `kiosk keys backup`")
    restore.add_argument(
        "--force",
        action="store_true",
        help="make the backup's current key current even if the file's differs",
    )
