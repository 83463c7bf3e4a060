"""`kiosk chat --ask`, `kiosk faq check` and `kiosk bench chat`: the FAQ assistant from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from config import ConfigError
from config.sections.assistant import AssistantSection
from kiosk.context import AppContext


def register(registry: Any) -> None:
    chat = registry.command("chat", "FAQ 챗봇에게 묻기 (ask the FAQ assistant)", _chat)
    chat.add_argument("--ask", required=True, help="the question, in Korean or English")
    chat.add_argument("--json", action="store_true", help="print the answer as JSON")

    faq = registry.group("faq", "FAQ 데이터 (the assistant's knowledge files)")
    check = faq.add_parser(
        "check", help="FAQ 파일 검사 (validate config/faq)", description="validate config/faq"
    )
    check.add_argument("--dir", default="", help="check this FAQ directory instead of the configured one")
    check.add_argument("--products", default="", help="catalogue directory to render figures from")
    check.set_defaults(handler=_faq_check)

    bench = registry.subcommand("bench", "chat", "챗봇 정확도·속도 (accuracy, abstention, latency)", _bench)
    bench.add_argument("--json", action="store_true", help="print figures as JSON")
    bench.add_argument("--eval", default="", help="labelled set (TOML); default tests/kiosk/assistant/eval")
    bench.add_argument(
        "--calibrate", action="store_true", help="use the threshold calibrated on the calibration half"
    )


def _settings(ctx: AppContext) -> AssistantSection:
    return ctx.settings.assistant


def _cache_dir(ctx: AppContext) -> Path:
    from db.session import data_dir

    return data_dir(ctx.settings.app.data_dir) / "cache"


def _chat(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.assistant import Assistant

    assistant = Assistant.load(_settings(ctx), _cache_dir(ctx))
    answer = assistant.ask(args.ask)
    if args.json:
        print(
            json.dumps({**answer.to_dict(), "threshold": assistant.threshold}, ensure_ascii=False, indent=2)
        )
        return 0
    print(answer.answer_ko)
    print(answer.answer_en)
    if answer.abstained:
        print(
            f"\n[abstained: {answer.reason}, confidence {answer.confidence:.3f} < {assistant.threshold:.3f}]"
        )
    else:
        print(f"\n출처 (source): {answer.source} · 기준일 {answer.effective}")
        print(f"[entry {answer.entry_id}, confidence {answer.confidence:.3f}]")
    return 0


def _faq_check(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.assistant.catalogue import Catalogue
    from kiosk.assistant.knowledge import load_faq, placeholders

    settings = _settings(ctx)
    try:
        catalogue = Catalogue.load(args.products or settings.products_dir)
        entries = load_faq(args.dir or settings.faq_dir, catalogue)
    except ConfigError as exc:
        print(f"FAQ 오류 (FAQ error): {exc}", file=sys.stderr)
        return 2
    unknown = sorted(set(settings.suggested) - {item.id for item in entries})
    if unknown:
        print(
            f"FAQ 오류 (FAQ error): assistant.suggested names unknown entries: {', '.join(unknown)}",
            file=sys.stderr,
        )
        return 2
    covered = {p for item in entries for p in item.entry.programs}
    missing = sorted(set(catalogue.programs) - covered)
    paraphrases = sum(len(item.entry.paraphrases) for item in entries)
    print(
        f"FAQ OK: {len(entries)} entries, {paraphrases} paraphrases, "
        f"{placeholders(entries)} catalogue values rendered, catalogue {catalogue.version}"
    )
    if missing:
        print(f"주의 (warning): no entry mentions {', '.join(missing)}")
    return 0


_COLD_SCRIPT = """
import sys, time
started = float(sys.argv[1])
from config import load_settings
from kiosk.assistant import Assistant
settings = load_settings()
Assistant.load(settings.assistant, __import__("pathlib").Path(sys.argv[2])).ask("햇살론 금리 얼마예요?")
print(time.time() - started)
"""


def _cold_process_seconds(ctx: AppContext) -> float:
    """A fresh interpreter, from spawn to its first answer: what a kiosk pays after a reboot."""
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", _COLD_SCRIPT, repr(time.time()), str(_cache_dir(ctx))],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return round(float(result.stdout.strip().splitlines()[-1]), 3)


def _bench(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.assistant import evaluation

    started = time.perf_counter()
    from kiosk.assistant import Assistant

    assistant = Assistant.load(_settings(ctx), _cache_dir(ctx))
    first_started = time.perf_counter()
    assistant.ask("채무조정 신청하려면 뭘 가져가야 해요?")
    cold = {
        "startup_s": round(first_started - started, 3),
        "first_answer_ms": round((time.perf_counter() - first_started) * 1000, 2),
    }
    cold["cold_process_s"] = _cold_process_seconds(ctx)
    cases = evaluation.load_cases(Path(args.eval) if args.eval else evaluation.DEFAULT_SET)
    outcomes = evaluation.run(assistant, cases)
    calibration = [o for o in outcomes if o.case.half == "calibration"]
    test = [o for o in outcomes if o.case.half == "test"]
    calibrated = evaluation.calibrate(calibration)
    threshold = calibrated if args.calibrate else assistant.threshold
    report: dict[str, Any] = {
        "entries": len(assistant.entries),
        "threshold": threshold,
        "configured_threshold": assistant.threshold,
        "calibrated_threshold": calibrated,
        "calibration_half": evaluation.metrics(calibration, threshold),
        "test_half": evaluation.metrics(test, threshold),
        "all": evaluation.metrics(outcomes, threshold),
        "latency": {**evaluation.latency(outcomes), **cold},
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for name in ("calibration_half", "test_half", "all"):
        m = report[name]
        print(
            f"{name:17} top-1 {m['top1_accuracy']:.1%}  in-scope abstain {m['in_scope_abstain_rate']:.1%}  "
            f"out-of-scope abstain {m['out_of_scope_abstain_rate']:.1%} ({m['in_scope']}+{m['out_of_scope']})"
        )
    lat = report["latency"]
    print(
        f"threshold {threshold} (calibrated {calibrated}); latency median {lat['median_ms']} ms, "
        f"p95 {lat['p95_ms']} ms; start-up {lat['startup_s']} s (fresh process to first answer "
        f"{lat['cold_process_s']} s)"
    )
    return 0
