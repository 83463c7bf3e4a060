"""`kiosk bench hq --json` at a tiny size: it runs end to end in a scratch schema and prints valid JSON
with every figure beside its target; bad sizes are refused before anything is created."""

from __future__ import annotations

import json
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.postgres


def test_the_bench_at_a_tiny_size_prints_its_figures_as_json(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    parts = urlsplit(postgres_url)
    database = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    schema = "hq_bench_test"
    args = [
        "bench",
        "hq",
        "--json",
        "--scratch-db",
        database,
        "--schema",
        schema,
        "--years",
        "0.01",
        "--centers",
        "2",
        "--visits-per-day",
        "3",
        "--ingest-batches",
        "1",
        "--lag-seconds",
        "1",
    ]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["bench"] == "hq"
    assert result["history"]["visits"] > 0 and result["history"]["events"] > result["history"]["visits"]
    assert result["history"]["hq_day_rows"] > 0 and result["history"]["hq_month_rows"] > 0
    assert result["ingest"]["events"] == 1000 and result["ingest"]["events_per_s"] > 0
    assert set(result["figures"]) == set(result["targets"]) == set(result["ok"])
    assert all(isinstance(value, (int, float)) for value in result["figures"].values())
    assert result["lag"]["failures"] == 0 and result["lag"]["batches"] >= 1
    engine = create_engine(database)
    with engine.connect() as conn:  # the scratch schema is gone afterwards
        gone = conn.execute(text("SELECT 1 FROM pg_namespace WHERE nspname = :n"), {"n": schema}).first()
    engine.dispose()
    assert gone is None


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--years", "0"], "above 0"),
        (["--centers", "many"], "expected a number"),
        (["--schema", "public"], "scratch schema"),
        (["--schema", "x; drop"], "letters, digits"),
    ],
)
def test_bad_bench_options_are_refused(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    try:
        code = main(["bench", "hq", *args])
    except SystemExit as exc:  # argparse's own refusal
        code = int(exc.code or 0)
    assert code == 2
    assert words in capsys.readouterr().err
