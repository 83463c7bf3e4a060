"""`kiosk audit verify`: walk the audit hash chain and name the first broken event."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from db.audit import verify_chain
from kiosk.commands.db_cmd import accept_global_options, require_schema

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext


def _verify(args: argparse.Namespace, ctx: AppContext) -> int:
    if not require_schema(ctx):
        return 2
    with ctx.sessions() as session:
        report = verify_chain(session)
    if report.ok:
        print(f"OK: {report.count} events")
        print(f"  head hash {report.head_hash} (note it elsewhere to detect events cut off the end)")
        return 0
    print(
        f"BROKEN: audit event seq {report.first_broken_seq}: {report.reason} "
        f"({report.count} events before it verify)"
    )
    print(
        f"[AUDIT_CHAIN_BROKEN] 감사 기록 {report.first_broken_seq}번이 바뀌었거나 빠졌어요. "
        "데이터베이스를 그대로 보존하고 관리자에게 알려 주세요."
    )
    return 1


def register(registry: CommandRegistry) -> None:
    registry.group("audit", "the append-only audit chain")
    verify = registry.subcommand(
        "audit", "verify", "check every event's hash and link; exit 1 if broken", _verify
    )
    accept_global_options(verify)
