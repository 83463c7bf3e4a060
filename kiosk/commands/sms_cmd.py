"""`kiosk sms check --emulated`, `kiosk sms send`, `kiosk sms status ID` and `kiosk bench sms`.

`check --emulated` needs nothing configured: it starts both emulators and a scratch database. `send` and
`status` run against the configured backend (`sms.*`) and the site database; they print the number
masked and never the message text.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from kiosk.commands.db_cmd import accept_global_options, require_schema
from kiosk.commands.db_cmd import shown_time as _when

if TYPE_CHECKING:
    from kiosk.cli import CommandRegistry
    from kiosk.context import AppContext
    from kiosk.sms.outbox_view import MessageView


def _has_sms_schema(ctx: AppContext) -> bool:
    return require_schema(ctx, ("sms_message",), code="SMS_NO_SCHEMA", missing_ko="문자 보관함 표가 없어요")


def _check(args: argparse.Namespace, ctx: AppContext) -> int:
    if not args.emulated:
        print(
            "지금은 에뮬레이터 점검만 있어요: `kiosk sms check --emulated` (only the emulated check exists;"
        )
        print("to try the configured gateway, send one message: `kiosk sms send --to … --template …`)")
        return 2
    from kiosk.sms.check import run_check

    lines = run_check(timeout_s=args.timeout)
    for line in lines:
        print(line)
    delivered = sum(1 for line in lines if line.delivered)
    ok = delivered == len(lines) == 4
    print(f"{delivered}/{len(lines)} DELIVRD — {'모두 전달됐어요' if ok else '전달되지 않은 문자가 있어요'}")
    return 0 if ok else 1


def _values(pairs: list[str]) -> dict[str, str] | None:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            print(f"[SMS_BAD_VALUE] --value는 이름=값 형식이에요 (expected key=value): {pair!r}")
            return None
        values[key.strip()] = value
    return values


def _print_view(view: MessageView) -> None:
    print(
        f"{view.id}  {view.template}  {view.kind.upper()}  {view.byte_length} bytes  to {view.to_masked}  "
        f"status {view.status.value}  delivery {view.delivery_status or '-'}  tries {view.attempts}"
    )
    print(
        f"  created {_when(view.created_at)}  sent {_when(view.sent_at)}  "
        f"delivered {_when(view.delivered_at)}  gateway {view.gateway or '-'}:{view.gateway_id or '-'}  "
        f"last error {view.last_error or '-'}"
    )


def _send(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.sms.config import build_gateway, section_templates, sms_section
    from kiosk.sms.numbers import InvalidMobile
    from kiosk.sms.outbox import SmsOutbox
    from kiosk.sms.templates import TemplateValueError

    section = sms_section(ctx.settings)
    if section.backend == "off":
        print(
            '[SMS_OFF] 문자 게이트웨이가 꺼져 있어요 (sms.backend = "off"): 설정에서 smpp나 http를 고르세요.'
        )
        return 2
    values = _values(args.value)
    if values is None or not _has_sms_schema(ctx):
        return 2
    gateway = build_gateway(section)
    assert gateway is not None
    start, end = section.daytime_start_hour, section.daytime_end_hour
    outbox = SmsOutbox(
        ctx.sessions,
        gateway,
        ctx.keyring(),
        sender=section.sender,
        templates=section_templates(section),
        max_attempts=section.max_attempts,
        daytime_hours=(start, end),
    )
    try:
        try:
            message_id = outbox.enqueue(args.template, values, args.to)
        except InvalidMobile as exc:
            print(f"[SMS_BAD_NUMBER] {exc.message_ko}")
            return 2
        except (TemplateValueError, KeyError) as exc:
            print(f"[SMS_BAD_TEMPLATE] 문자 틀에 맞지 않아요 (does not fit the template): {exc}")
            return 2
        report = outbox.send_due()
        if report.auth_error:
            print(report.auth_error)
        [view] = outbox.wait_final([message_id], args.wait)
        _print_view(view)
        return 0 if view.status.value in ("sent", "delivered", "queued") and not report.auth_error else 1
    finally:
        outbox.close()
        gateway.close()


def _status(args: argparse.Namespace, ctx: AppContext) -> int:
    import uuid

    from db.models import SmsMessage
    from kiosk.sms.outbox_view import view_of

    if not _has_sms_schema(ctx):
        return 2
    try:
        key = uuid.UUID(args.id)
    except ValueError:
        print(f"[SMS_UNKNOWN_ID] 문자 id가 아니에요 (not a message id): {args.id}")
        return 2
    with ctx.sessions() as session:
        row = session.get(SmsMessage, key)
        if row is None:
            print(f"[SMS_UNKNOWN_ID] 그런 문자가 없어요 (no such message): {args.id}")
            return 2
        _print_view(view_of(row))
    return 0


def _bench(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.sms.bench import run_bench

    result = run_bench(messages=args.messages, restart_messages=args.restart_messages, window=args.window)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    for r in result["results"]:
        lat, restart = r["submit_to_report_ms"], r["restart"]
        print(
            f"{r['backend']:>5}: {r['messages_per_s']} messages/s (window {r['window']}), submit→report "
            f"p50 {lat['p50']} ms p95 {lat['p95']} ms; restart mid-run: {restart['lost']} lost, "
            f"{restart['duplicated']} twice of {restart['messages']}"
        )
    return 0


def register(registry: CommandRegistry) -> None:
    registry.group("sms", "SMS gateway: emulated check, send one message, a message's status")
    check = accept_global_options(
        registry.subcommand(
            "sms", "check", "one SMS and one LMS through each backend to its emulator", _check
        )
    )
    check.add_argument("--emulated", action="store_true", help="start the SMSC and provider emulators")
    check.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for reports (15)")
    send = accept_global_options(
        registry.subcommand("sms", "send", "send one message through the configured backend", _send)
    )
    send.add_argument("--to", required=True, help="a Korean mobile number (010-1234-5678)")
    send.add_argument("--template", required=True, help="a template id in config/sms/templates.toml")
    send.add_argument("--value", action="append", default=[], help="placeholder value, key=value (repeat)")
    send.add_argument("--wait", type=float, default=10.0, help="seconds to wait for the report (10)")
    status = accept_global_options(registry.subcommand("sms", "status", "one message's status", _status))
    status.add_argument("id", help="the message id `kiosk sms send` printed")
    bench = accept_global_options(
        registry.subcommand(
            "bench", "sms", "messages/s per backend, submit→report latency, loss over restarts", _bench
        )
    )
    bench.add_argument("--json", action="store_true", help="machine-readable output")
    bench.add_argument("--messages", type=int, default=1000, help="messages per backend (1000)")
    bench.add_argument("--restart-messages", type=int, default=300, help="messages in the restart run (300)")
    bench.add_argument("--window", type=int, default=10, help="submits in flight (SMPP window, 10)")
