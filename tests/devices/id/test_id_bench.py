"""The identity bench puts the project's pipeline next to the naive baseline on the same cards; the
naive baseline's parser takes any OCR text. A tiny run only (the full set is `kiosk bench id`)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.id.bench import format_table, run_bench
from devices.id.emulators.card_render import Perturbation, render_card
from devices.id.emulators.identities import generate_identity
from devices.id.model import DocumentKind
from devices.id.naive import find_card, parse_fields, read_naive, straighten

LEVELS = ("clean", "moderate", "hard")


@pytest.fixture(scope="module")
def tiny_report() -> dict[str, object]:
    return run_bench(count=1, levels=("clean", "moderate", "heavy"), seed=7)  # one card each: cheap


def test_a_tiny_bench_gives_both_readers_for_every_level(tiny_report: dict) -> None:
    rows = {row["level"]: row for row in tiny_report["levels"]}
    assert tuple(rows) == LEVELS  # heavy was asked for and reported as hard
    for row in rows.values():
        for reader in ("project", "naive"):
            scores = row[reader]
            assert scores["cards"] == 1
            # every card is either read right, read wrong, or refused with a code
            right = int(scores["name+rrn"].split("/")[0])
            assert right + scores["wrong_reads"] + sum(scores["errors"].values()) == 1
            assert scores["latency_ms"]["median"] > 0 and scores["latency_ms"]["p95"] >= 0
            assert scores["cpu_ms_p95"] >= scores["cpu_ms_median"] > 0  # what a read costs, load aside
        # the first cards of the bench are the held-out ones: they are what predicts real cards
        assert row["held_out"]["project"]["cards"] == row["held_out"]["naive"]["cards"] == 1
        assert row["tuning"]["project"]["cards"] == 0
    assert {f["split"] for f in tiny_report["fonts"]} == {"held_out"}


def test_the_table_shows_project_and_naive_per_level(tiny_report: dict) -> None:
    table = format_table(tiny_report)
    header = table.splitlines()[1]
    assert "project" in header and "naive" in header
    for level in LEVELS:
        assert re.search(rf"^{level}\s+\d/1", table, re.MULTILINE)
    assert "naive reads more on:" in table


# ---- the naive baseline ------------------------------------------------------------------------------


def test_naive_parser_takes_the_labelled_name_or_the_line_above_the_rrn() -> None:
    assert parse_fields("자동차운전면허증\n성명 홍길동\n주민번호 900101-1234567") == (
        "홍길동",
        "900101-1234567",
    )
    assert parse_fields("주민등록증\n김서연(金瑞妍)\n010203 - 4123456\n") == ("김서연", "010203-4123456")
    assert parse_fields("주민등록증\nRES (MME)\n0106-41") == (None, None)
    assert parse_fields("") == (None, None)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("0123456789-  \n성명가나다라홍길동(金)ABC:"), max_size=120) | st.text()
)
def test_naive_parser_never_fails_and_answers_only_in_shape(text: str) -> None:
    name, rrn = parse_fields(text)
    assert name is None or re.fullmatch(r"[가-힣]{2,5}", name)
    assert rrn is None or re.fullmatch(r"\d{6}-\d{7}", rrn)


def test_naive_reader_refuses_bad_images_without_running_ocr() -> None:
    assert read_naive(np.zeros((8, 8, 3), np.uint8)).error == "bad_image"
    assert read_naive(np.zeros((0, 0), np.uint8)).error == "bad_image"


def test_naive_reader_finds_and_straightens_a_card_on_a_desk() -> None:
    who = generate_identity(random.Random(3))
    frame = render_card(
        who, DocumentKind.DRIVER_LICENSE, Perturbation(background="dark", rotation_deg=6, seed=3)
    )
    quad = find_card(frame)
    assert quad is not None
    card = straighten(frame, quad)
    height, width = card.shape[:2]
    assert 1.45 < width / height < 1.72  # ID-1 is 85.6 x 54 mm
    assert 1000 < width < 1200  # the card was 1100 px wide in the frame
    read = read_naive(frame)
    assert read.found_card and read.rrn == who.rrn


@pytest.mark.parametrize(
    ("argv", "says"), [(["--levels", "extreme"], "unknown level"), (["--count", "0"], "at least 1")]
)
def test_bench_command_refuses_bad_arguments_before_reading_any_card(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    assert main(["bench", "id", *argv]) == 2
    assert says in capsys.readouterr().err


def test_render_writes_a_png_when_the_name_has_no_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    out = tmp_path / "card"  # the help promises OUT.png; OpenCV alone refuses a name without a type
    assert main(["devices", "id", "--render", str(out), "--capture", "flatbed", "--seed", "4"]) == 0
    assert (tmp_path / "card.png").stat().st_size > 10_000
    assert "card.png" in capsys.readouterr().out
