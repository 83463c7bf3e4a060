"""CLI of the visit area: `kiosk match`, `kiosk catalogue check`, `kiosk bench match`,
`kiosk questionnaire walk`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.context import AppContext
from kiosk.matching.answers import InvalidAnswers
from kiosk.matching.catalogue import CatalogueInvalid, check_catalogue, load_catalogue
from kiosk.matching.engine import match
from kiosk.matching.ranges import dump_answers
from kiosk.visit.questionnaire import questionnaire


def _catalogue_dir(args: argparse.Namespace, ctx: AppContext) -> str | None:
    return getattr(args, "dir", None) or ctx.settings.visit.products_dir or None


def _read_answers(path: str) -> object:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"답변 파일을 읽을 수 없어요 (cannot read answers): {exc}", file=sys.stderr)
        return None


def _walk(args: argparse.Namespace, ctx: AppContext) -> int:
    """The adaptive questionnaire for a visitor who answers from FILE: what is asked, what is kept."""
    raw = _read_answers(args.answers)
    if not isinstance(raw, dict):
        if raw is not None:
            print("답변 파일은 JSON 객체여야 해요 (answers must be a JSON object)", file=sys.stderr)
        return 2
    try:
        catalogue = load_catalogue(_catalogue_dir(args, ctx))
        asked, answers = questionnaire(ctx.settings.visit.questionnaire_file or "").walk(raw, catalogue)
    except InvalidAnswers as exc:
        for problem in exc.problems:
            print(f"[{exc.code}] {problem.field}: {problem.ko} ({problem.en})", file=sys.stderr)
        return 2
    except CatalogueInvalid as exc:
        print(f"[{exc.code}] {exc}", file=sys.stderr)
        return 2
    if args.json:
        out = {"asked": asked, "answers": dump_answers(answers)}  # a range answer as {"from", "to"}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"질문 {len(asked)}개 (questions asked: {len(asked)})")
    for number, question_id in enumerate(asked, start=1):
        print(f"{number:>2}. {question_id}")
    return 0


def _match(args: argparse.Namespace, ctx: AppContext) -> int:
    raw = _read_answers(args.answers)
    if raw is None:
        return 2
    if not isinstance(raw, dict):
        print("답변 파일은 JSON 객체여야 해요 (answers must be a JSON object)", file=sys.stderr)
        return 2
    try:
        report = match(raw, load_catalogue(_catalogue_dir(args, ctx)))
    except InvalidAnswers as exc:
        for problem in exc.problems:
            print(f"[{exc.code}] {problem.field}: {problem.ko} ({problem.en})", file=sys.stderr)
        return 2
    except CatalogueInvalid as exc:
        print(f"[{exc.code}] {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"catalogue {report.catalogue_version} · engine {report.engine_version}")
    if report.triage:
        print("채무조정 안내 (debt route):", report.triage.route or "-")
        for why in report.triage.reasons:
            print(f"   {why.ko}")
    for verdict in report.programs:
        p = verdict.program
        print(f"{verdict.rank:>2}. [{verdict.verdict:<10}] {p.text['name_ko']} ({p.id})")
        for reason in verdict.reasons:
            print(f"       - {reason.ko}")
    return 0


def _check(args: argparse.Namespace, ctx: AppContext) -> int:
    catalogue, problems = check_catalogue(_catalogue_dir(args, ctx))
    if catalogue is None:
        print(
            f"카탈로그에 문제가 {len(problems)}개 있어요 (catalogue has {len(problems)} problems):",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    print(
        f"카탈로그 정상 (catalogue OK): {len(catalogue.programs)}개 프로그램, version {catalogue.version}, "
        f"effective {catalogue.effective_date.isoformat()}"
    )
    return 0


def _bench(args: argparse.Namespace, ctx: AppContext) -> int:
    from kiosk.matching.bench import run_bench

    directory = _catalogue_dir(args, ctx)
    result = run_bench(
        applicants=args.applicants, directory=Path(directory) if directory else None, repeats=args.repeats
    )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for name in ("seeded", "generated_180"):
            row = result[name]
            ms, with_json = row["ms_per_applicant"], row["ms_per_applicant_with_json"]
            print(f"{name}: {row['programs']} programs, best {ms} ms/applicant ({with_json} with JSON)")
        print("target ≤ 2 ms at 180:", "met" if result["meets_target"] else "NOT met")
    return 0


def register(registry) -> None:  # type: ignore[no-untyped-def]
    sub = registry.command("match", "지원 제도 매칭 (match answers against the program catalogue)", _match)
    sub.add_argument("--answers", required=True, help="answers JSON file (amounts in won)")
    sub.add_argument("--json", action="store_true", help="print the full report as JSON")
    sub.add_argument(
        "--dir", help="catalogue folder (default: settings visit.products_dir or the packaged one)"
    )
    walk = registry.subcommand(
        "questionnaire",
        "walk",
        "questions a visitor who answers from FILE is asked (adaptive), and the answers kept",
        _walk,
    )
    walk.add_argument("--answers", required=True, help="the visitor's answers, JSON (amounts in won)")
    walk.add_argument("--json", action="store_true", help='print {"asked": [...], "answers": {...}}')
    walk.add_argument("--dir", help="catalogue folder")
    group = registry.group("catalogue", "program catalogue (config/products)")
    check = group.add_parser(
        "check", help="validate the catalogue files", description="validate the catalogue files"
    )
    check.set_defaults(handler=_check)
    check.add_argument("--dir", help="folder to check (default: the catalogue in use)")
    bench = registry.subcommand(
        "bench", "match", "matching time per applicant (seeded and 180 programs)", _bench
    )
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--applicants", type=int, default=300)
    bench.add_argument(
        "--repeats", type=int, default=5, help="passes over the applicants; best and mean are shown"
    )
    bench.add_argument("--dir", help="catalogue folder")
