"""`kiosk keys rotate` and `kiosk keys status`: data keys of the encrypted personal fields."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from db.crypto import keyring_for
from kiosk.commands.db_cmd import accept_global_options, require_schema

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext


def _rotate(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.rotation import rotate_keys

    if not require_schema(ctx):
        return 2
    keys = keyring_for(ctx.settings)
    if keys.source is None:
        print("[KEYS_READ_ONLY] 키가 환경 변수(KIOSK_KEYS)에서 와서 여기서 바꿀 수 없어요. 키 파일을 쓰세요.")
        print("keys come from KIOSK_KEYS and cannot be rotated here: use a key file (privacy.key_file)")
        return 2
    if keys.rotation_target:
        print(f"resuming the unfinished rotation to key {keys.rotation_target}")

    def progress(context: str, seen: int, changed: int) -> None:
        print(f"  {context}: {seen} rows checked, {changed} re-encrypted", flush=True)

    report = rotate_keys(
        ctx.engine,
        keys,
        batch_size=args.batch_size,
        pause=args.pause,
        drop_old_keys=args.drop_old_keys,
        progress=progress if not args.quiet else None,
    )
    print(
        f"OK: {report.total} values re-encrypted under key {report.target_key_id} in {report.passes} pass(es)"
    )
    for context, n in sorted(report.rotated.items()):
        print(f"  {context}: {n}")
    if report.dropped_key_ids:
        print(f"  old keys removed from the key file: {', '.join(report.dropped_key_ids)}")
    return 0


def _status(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.rotation import count_by_key

    if not require_schema(ctx):
        return 2
    keys = keyring_for(ctx.settings)
    print(f"current key {keys.current_key_id}; key ids in the ring: {', '.join(sorted(keys.keys))}")
    print(f"source: {keys.source or 'environment KIOSK_KEYS'}")
    if keys.rotation_target:
        print(f"unfinished rotation to {keys.rotation_target}: run `kiosk keys rotate` to finish it")
    for key_id, n in sorted(count_by_key(ctx.engine).items()):
        print(f"  {key_id}: {n} encrypted values")
    return 0


def register(registry: CommandRegistry) -> None:
    registry.group("keys", "encryption keys of personal data")
    rotate = accept_global_options(
        registry.subcommand(
            "keys",
            "rotate",
            "re-encrypt every encrypted field under a new key (resumes if interrupted)",
            _rotate,
        )
    )
    rotate.add_argument("--batch-size", type=int, default=200, help="rows per transaction (default 200)")
    rotate.add_argument("--pause", type=float, default=0.0, help="seconds between batches on a live system")
    rotate.add_argument("--drop-old-keys", action="store_true", help="forget old keys once nothing uses them")
    rotate.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    accept_global_options(
        registry.subcommand("keys", "status", "which keys protect how many values", _status)
    )
