"""`kiosk aftercare remind`: queue today's after-care reminders (for cron, beside the hub's own job).

It runs the hub's pass (kiosk.aftercare.reminders.send_due_reminders) against the site database and
only stores the messages: the hub's SMS sender sends them, inside the daytime window. Running it while
the hub's job also runs, or twice, sends nothing twice (one reminder per follow-up and due date).
Prints counts only: no number, no name.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kiosk.commands.db_cmd import accept_global_options, require_schema

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext


def _remind(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.aftercare.reminders import send_due_reminders
    from kiosk.sms.config import section_templates, sms_section
    from kiosk.sms.outbox import SmsOutbox

    section = sms_section(ctx.settings)
    if section.backend == "off":
        print('[SMS_OFF] 문자 게이트웨이가 꺼져 있어요 (sms.backend = "off"): 안내 문자를 보내지 않아요.')
        return 2
    tables = ("follow_up", "sms_message", "aftercare_reminder")
    if not require_schema(ctx, tables, code="AFTERCARE_NO_SCHEMA", missing_ko="사후관리 안내 표가 없어요"):
        return 2
    keys = ctx.keyring()
    # No gateway here: the rows wait in the outbox for the hub's sender (which also keeps the hours).
    outbox = SmsOutbox(ctx.sessions, None, keys, templates=section_templates(section))
    try:
        link_base = ctx.settings.web.public_url or ctx.settings.hub.url
        run = send_due_reminders(ctx.sessions, keys, outbox, link_base=link_base)
    finally:
        outbox.close()
    print(
        f"사후관리 안내 문자 {run.queued}건을 보관함에 넣었어요 (허브가 보내요). "
        f"이미 있음 {run.already} · 번호 없음 {run.no_phone} · 휴대전화 아님 {run.not_mobile} · "
        f"동의 없음 {run.no_consent}"
    )
    print(
        f"queued {run.queued} reminder(s) for the hub to send; already {run.already}, no number "
        f"{run.no_phone}, not a mobile {run.not_mobile}, no consent {run.no_consent}"
    )
    return 0


def register(registry: CommandRegistry) -> None:
    registry.group("aftercare", "after-care: SMS reminders of follow-ups due")
    accept_global_options(
        registry.subcommand(
            "aftercare", "remind", "queue the SMS reminders due today (the hub sends them)", _remind
        )
    )
