"""`kiosk outbox list` and `kiosk outbox retry ID`: what a lobby still has to hand to the hub.

Run against the lobby's own database (``--db`` or the configuration). Shows routing and retry state
only — id, kind, status, tries, the last error's code, the next try — never what an entry carries.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kiosk.commands.db_cmd import accept_global_options, require_schema
from kiosk.commands.db_cmd import shown_time as _when

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext


def _list(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.session import make_sessionmaker
    from kiosk.client.outbox import OutboxHealth, list_entries

    if not require_schema(ctx):
        return 2
    entries = list_entries(make_sessionmaker(ctx.engine), include_sent=args.all)
    print(f"{'id':36}  {'kind':6}  {'status':11}  {'tries':>5}  {'last error':24}  next try")
    for e in entries:
        next_try = _when(e.next_attempt_at) if e.status == "pending" else "-"
        print(f"{e.id:36}  {e.kind:6}  {e.status:11}  {e.attempts:>5}  {e.last_error or '-':24}  {next_try}")
    count = {s: sum(1 for e in entries if e.status == s) for s in ("pending", "held_auth", "quarantined")}
    print(OutboxHealth(count["pending"], count["held_auth"], count["quarantined"]).message)
    return 0


def _retry(args: argparse.Namespace, ctx: AppContext) -> int:
    from db.session import make_sessionmaker
    from kiosk.client.outbox import UnknownEntry, retry_entry

    if not require_schema(ctx):
        return 2
    try:
        entry = retry_entry(make_sessionmaker(ctx.engine), args.id)
    except UnknownEntry:
        print(f"[OUTBOX_UNKNOWN_ENTRY] 그런 항목이 없어요: {args.id} (no single outbox entry matches)")
        print("`kiosk outbox list`에 나온 id를 쓰세요 (use an id shown by `kiosk outbox list`).")
        return 2
    if entry.status == "sent":
        print(f"이미 허브가 받은 항목이에요 (already acknowledged by the hub): {entry.id}")
        return 0
    print(f"다음 동기화 때 다시 보내요 (will be sent again at the next sync): {entry.id} [{entry.kind}]")
    return 0


def register(registry: CommandRegistry) -> None:
    registry.group("outbox", "the lobby's outbox: entries still to reach the hub")
    listing = accept_global_options(
        registry.subcommand(
            "outbox", "list", "entries not yet acknowledged by the hub (no personal data)", _list
        )
    )
    listing.add_argument("--all", action="store_true", help="also the entries the hub acknowledged")
    retry = accept_global_options(
        registry.subcommand("outbox", "retry", "send a held or quarantined entry again", _retry)
    )
    retry.add_argument("id", help="entry id from `kiosk outbox list` (or its first 6+ characters)")
