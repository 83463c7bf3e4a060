"""`kiosk hq keygen` and `kiosk hq push`: the center's side of HQ sync (the `hq` group is shared with
HQ's own commands, kiosk.commands.hq_cmd)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.context import AppContext

HQ_HELP = "본부(HQ) 동기화와 본부 서비스 (HQ sync and the HQ service)"


def register(registry: Any) -> None:
    registry.group("hq", HQ_HELP)
    registry.subcommand(
        "hq", "keygen", "센터 서명 키 만들기 (make the center's Ed25519 key; print the public key)", keygen
    )
    push = registry.subcommand("hq", "push", "본부로 보내기 (push the center's events to HQ)", push_now)
    push.add_argument("--once", action="store_true", help="push until caught up, print one line, exit")


def keygen(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.hq_sync.keys import create_key, key_path, public_path

    path = key_path(ctx.settings)
    key, made = create_key(path)
    public = public_path(path)
    if not public.exists():
        public.write_bytes(key.public_pem)
    print(f"{'새 키를 만들었어요' if made else '이미 있는 키예요'} (private key, 0600): {path}")
    print(f"공개키 파일 (public key file): {public}")
    print(f"공개키 (public key, base64): {key.public_b64}")
    print("본부에서 `kiosk hq center add --public-key FILE` 로 등록해요 (register it at HQ).")
    return 0


def push_now(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.hq_sync.pusher import HqRefused, HqUnreachable, pusher_from_settings

    if not args.once:
        print("지금은 --once 만 있어요: 계속 보내기는 `kiosk hub` 가 해요 (only --once; `kiosk hub` pushes).")
        return 2
    from db.migrate import upgrade

    upgrade(ctx.engine)
    pusher = pusher_from_settings(ctx.settings, ctx.sessions)
    if pusher is None:
        print("hq.url 이 비어 있어요 (hq.url is empty: no HQ to push to).", file=sys.stderr)
        return 2
    try:
        report = pusher.push_until_caught_up()
    except (HqUnreachable, HqRefused) as exc:
        pusher.note_error(exc)
        print(f"본부로 보내지 못했어요 (push failed): {exc}", file=sys.stderr)
        return 1
    finally:
        pusher.client.close()
    print(report.line())
    return 0
