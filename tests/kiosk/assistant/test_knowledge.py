"""The FAQ files: enough entries, every program covered, figures rendered from the catalogue, and a clear
ConfigError (file, key, value, what is allowed) for every kind of broken file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import ConfigError
from kiosk.assistant.catalogue import Catalogue
from kiosk.assistant.knowledge import load_faq
from kiosk.cli import main


def test_shipped_faq_has_sixty_entries_covering_every_program() -> None:
    catalogue = Catalogue.load()
    entries = load_faq(catalogue=catalogue)
    assert len(entries) >= 60
    assert len({e.id for e in entries}) == len(entries)
    covered = {p for e in entries for p in e.entry.programs}
    assert covered == set(catalogue.programs)
    for item in entries:
        assert "{{" not in item.answer_ko + item.answer_en + item.source
        assert item.answer_ko.rstrip().endswith(("요.", "요", "요?")), item.id
        assert len(item.entry.paraphrases) >= 4


def test_program_figures_come_from_the_catalogue(products_copy: Path) -> None:
    """One edit of a catalogue file changes the chatbot's answer: the figure is not copied in the FAQ."""
    path = products_copy / "kinfa.sunshine15.toml"
    text = path.read_text(encoding="utf-8")
    assert 'limit_ko = "최대 2,000만원"' in text
    path.write_text(
        text.replace('limit_ko = "최대 2,000만원"', 'limit_ko = "최대 2,222만원"'), encoding="utf-8"
    )
    before = {e.id: e for e in load_faq(catalogue=Catalogue.load())}["loan.sunshine15"]
    after = {e.id: e for e in load_faq(catalogue=Catalogue.load(products_copy))}["loan.sunshine15"]
    assert "최대 2,000만원" in before.answer_ko
    assert "최대 2,222만원" in after.answer_ko and "2,000만원" not in after.answer_ko


def test_effective_date_is_the_latest_of_entry_and_programs() -> None:
    entries = {e.id: e for e in load_faq()}
    # 불법사금융예방대출 was renamed on 2025-03-31; its catalogue date is later than the entry's own
    assert entries["loan.illegal_lending_prevention"].effective.isoformat() == "2025-03-31"


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "key"),
    [
        ("visit.toml", 'id = "visit.ticket"', 'id = "visit.wait"', "entry[4].id"),
        ("programs.toml", 'programs = ["kinfa.miso"]', 'programs = ["kinfa.nope"]', "programs"),
        ("programs.toml", "{{kinfa.miso:limit_ko}}", "{{kinfa.miso:limit_xx}}", "{{kinfa.miso:limit_xx}}"),
        ("programs.toml", "{{kinfa.miso:rate_ko}}", "{{kinfa.nothing:rate_ko}}", "{{kinfa.nothing:rate_ko}}"),
        ("center.toml", "누구나 예약 없이 오셔도 돼요.", "누구나 예약 없이 와도 된다.", "answer_ko"),
        ("center.toml", 'line = "integrated"', 'line = "lobby"', "line"),
        ("center.toml", "effective = 2025-01-01", 'effective = "soon"', "effective"),
        ("access.toml", 'topic = "이용 도움"', 'topic = "이용 도움"\ncolour = "red"', "colour"),
        ("court.toml", "[[entry]]", "[[entry]\n", "(syntax)"),
    ],
)
def test_broken_faq_files_are_refused_with_file_and_key(
    faq_copy: Path, file: str, old: str, new: str, key: str
) -> None:
    _edit(faq_copy, file, old, new)
    with pytest.raises(ConfigError) as caught:
        load_faq(faq_copy)
    assert file in caught.value.source
    assert key in caught.value.key or key in str(caught.value)


def test_missing_question_field_names_it(faq_copy: Path) -> None:
    path = faq_copy / "privacy.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r'question = "제 개인정보는 뭘 저장해요\?"\n', "", text, count=1), encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_faq(faq_copy)
    assert caught.value.key == "entry[0].question"


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_faq(tmp_path)


def test_faq_check_command(faq_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "check"]) == 0
    out = capsys.readouterr().out
    assert "FAQ OK" in out and "entries" in out
    _edit(faq_copy, "debt.toml", 'id = "debt.fee"', 'id = "debt.what"')
    assert main(["faq", "check", "--dir", str(faq_copy)]) == 2
    err = capsys.readouterr().err
    assert "debt.toml" in err and "debt.what" in err


def test_the_same_phrasing_in_two_entries_is_refused(faq_copy: Path) -> None:
    _edit(
        faq_copy,
        "visit.toml",
        '"대기 시간이 얼마나 돼요?",',
        '"대기 시간이 얼마나 돼요?",\n  "번호표 어디서 받아요",',
    )
    with pytest.raises(ConfigError) as caught:
        load_faq(faq_copy)
    assert "visit.ticket" in caught.value.allowed


def test_faq_check_refuses_unknown_suggested_entries(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KIOSK_ASSISTANT__SUGGESTED", '["debt.what", "nope.entry"]')
    assert main(["faq", "check"]) == 2
    captured = capsys.readouterr()
    assert "nope.entry" in captured.err and "FAQ OK" not in captured.out


def _toml_string(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


@settings(max_examples=80, deadline=None)
@given(
    question=st.text(max_size=40),
    paraphrase=st.text(max_size=40),
    answer=st.text(max_size=60),
    program=st.sampled_from(["kinfa.miso", "kinfa.nope", "", "{{x}}"]),
    line=st.sampled_from(["debt", "finance", "lobby", ""]),
    placeholder=st.sampled_from(["", "{{kinfa.miso:limit_ko}}", "{{kinfa.miso:nothing}}", "{{", "}}"]),
)
def test_any_entry_loads_or_is_a_config_error(
    tmp_path_factory: pytest.TempPathFactory,
    question: str,
    paraphrase: str,
    answer: str,
    program: str,
    line: str,
    placeholder: str,
) -> None:
    folder = tmp_path_factory.mktemp("faq")
    (folder / "x.toml").write_text(
        "[[entry]]\n"
        'id = "fuzz.entry"\ntopic = "t"\n'
        f"question = {_toml_string(question)}\n"
        f"paraphrases = [{_toml_string(paraphrase)}, {_toml_string(paraphrase + '요')}]\n"
        f"answer_ko = {_toml_string(answer + placeholder + '해요.')}\n"
        f"answer_en = {_toml_string(answer + ' in English')}\n"
        f"programs = [{_toml_string(program)}]\n"
        f'source = "s"\neffective = 2025-01-01\nline = {_toml_string(line)}\n',
        encoding="utf-8",
    )
    try:
        entries = load_faq(folder, CATALOGUE)
    except ConfigError as exc:
        assert exc.source and exc.key
        return
    assert len(entries) == 1 and "{{" not in entries[0].answer_ko


CATALOGUE = Catalogue.load()
