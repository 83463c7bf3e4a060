"""The questionnaire as data: shipped file, branching, input conversion, bad files, any input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config import ConfigError
from config.loader import resource_path
from kiosk.matching import InvalidAnswers, validate_answers
from kiosk.matching.fields import FIELDS
from kiosk.visit import load_questionnaire, questionnaire


def test_every_question_fills_an_engine_field_and_has_both_languages():
    q = questionnaire()
    assert q.version.startswith("2025.1-")
    for question in q.questions:
        assert question.field in FIELDS
        assert question.ko and question.en and question.help_ko and question.help_en
        shown = question.to_dict()
        assert shown["text"] == {"ko": question.ko, "en": question.en}


def test_amounts_are_typed_in_manwon_and_stored_in_won():
    q = questionnaire()
    assert q.accept("annual_income", 3200) == 32_000_000
    assert q.question("annual_income").to_dict()["unit"]["ko"] == "만원"
    with pytest.raises(InvalidAnswers) as caught:
        q.accept("annual_income", 1_000_001)
    assert "만원" in caught.value.problems[0].ko


def test_choice_values_keep_their_type():
    q = questionnaire()
    assert q.accept("credit_band", 20) == 20
    with pytest.raises(InvalidAnswers):
        q.accept("credit_band", "20")
    assert q.fill("life", ["illness", "illness"]) == {"hardship": ["illness"], "livelihood_status": "none"}
    with pytest.raises(InvalidAnswers):
        q.fill("life", ["flood"])


def test_a_compound_screen_fills_several_fields_and_opens_only_the_follow_ups_chosen():
    q = questionnaire()
    nothing = q.fill("debt_now", [])  # "없어요": the 'none' value of every field
    assert nothing["total_debt_krw"] == 0 and nothing["court_rehabilitation"] == "none"
    assert nothing["ccrs_completed_within_3y"] is False and nothing["delinquency_days"] == 0
    assert set(q.fill("debt_now", None).values()) == {None}  # "잘 모르겠어요": all unknown
    picked = q.fill("debt_now", ["owes", "overdue_89", "court_completed"])
    assert "total_debt_krw" not in picked  # asked next
    assert picked["delinquency_days"] == {"from": 31, "to": 89}  # the tick says how long: no follow-up
    assert picked["court_rehabilitation"] == "completed" and picked["debt_last_6m_krw"] == 0
    answers = {"purpose": "debt", "age": 47, **picked}
    still = [x.id for x in q.remaining(answers)]
    assert "total_debt" in still and not {"delinquency", "debt_last_6m"} & set(still)
    assert q.question("debt_now").chosen(answers) == ["owes", "overdue_89", "court_completed"]
    life = q.fill("life", ["job_loss", "basic", "near_poverty"])  # the first support chosen counts
    assert life == {"hardship": ["job_loss"], "livelihood_status": "basic"}
    with pytest.raises(InvalidAnswers):
        q.fill("life", "job_loss")  # not a list


def test_a_follow_up_is_never_asked_before_its_screen():
    q = questionnaire()
    answers: dict[str, Any] = {"purpose": "debt", "age": 47}
    shown = []
    question = q.next_question(answers)
    while question is not None and question.id != "debt_now":
        shown.append(question.id)
        answers.update(q.fill(question.id, None if question.allow_unknown else question.choices[0].value))
        question = q.next_question(answers)
    assert question is not None and not {"total_debt", "delinquency", "debt_last_6m"} & set(shown)


def test_branching_asks_only_what_can_still_change_a_verdict():
    q = questionnaire()
    assert q.next_question({}).id == "purpose"  # type: ignore[union-attr]  # always first
    no_debt = {"purpose": "living", "age": 30, "employment": "job_seeker", "total_debt_krw": 0}
    ids = [question.id for question in q.remaining(no_debt)]
    # no debt: no debt-adjustment question; not working: no months in the job, no employer size
    assert not {"delinquency", "debt_last_6m", "secured_debt", "unsecured_debt"} & set(ids)
    assert "employment_months" not in ids and "sme_employee" not in ids and "age" not in ids
    overdue = {"purpose": "debt", "age": 47, "total_debt_krw": 30_000_000}
    assert "delinquency" in [question.id for question in q.remaining(overdue)]
    # the court plan's months matter only while a court plan runs
    assert "court_rehabilitation_months" not in [
        x.id for x in q.remaining({**overdue, "court_rehabilitation": "none"})
    ]
    assert "court_rehabilitation_months" in [
        x.id for x in q.remaining({**overdue, "court_rehabilitation": "in_progress"})
    ]


def test_unknown_counts_as_answered_and_applicable_lists_asked_then_remaining():
    q = questionnaire()
    answers = {"purpose": "debt", "total_debt_krw": None}
    assert "total_debt" not in [x.id for x in q.remaining(answers)]
    listed = [x.id for x in q.applicable(answers)]
    assert listed[:2] == ["purpose", "total_debt"] and len(listed) == 2 + len(q.remaining(answers))


def test_a_complete_walk_gives_engine_valid_answers():
    q = questionnaire()
    answers: dict[str, Any] = {}
    question = q.next_question(answers)
    while question is not None:
        value: Any = question.choices[0].value if question.choices else (question.minimum or 0)
        if question.type == "yes_no":
            value = True
        if question.type == "multi_choice":
            value = []
        answers.update(q.fill(question.id, value))
        question = q.next_question(answers)
    validate_answers(answers)


HEAD = 'version = "1"\n[[question]]\nid = "x"\n'


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            'version = "1"\n[[question]]\nid = "x"\nfield = "nope"\ntype = "count"\nko = "가"\nen = "a"\n',
            "field",
        ),
        (
            'version = "1"\n[[question]]\nid = "x"\nfield = "age"\ntype = "slider"\nko = "가"\nen = "a"\n',
            "type",
        ),
        (
            HEAD + 'field = "purpose"\ntype = "yes_no"\nko = "가"\nen = "a"\n',
            "type",
        ),
        (
            HEAD + 'field = "age"\ntype = "count"\nko = "가"\nen = "a"\ncolour = 1\n',
            "colour",
        ),
        (
            'version = "1"\n[[question]]\nid = "x"\nfield = "purpose"\ntype = "choice"\nko = "가"\nen = "a"\n'
            'choices = [{ value = "casino", ko = "c", en = "c" }]\n',
            "choices",
        ),
        (
            'version = "1"\n[[question]]\nid = "x"\nfield = "age"\ntype = "count"\nko = "가"\nen = "a"\n'
            'ask_when = { field = "purpose", op = "gt", value = 3 }\n',
            "ask_when",
        ),
        (HEAD + 'fields = ["purpose", "age"]\ntype = "yes_no"\nko = "가"\nen = "a"\n', "fields"),
        (  # a single choice over several fields: every option says the first one
            HEAD + 'fields = ["employment", "employment_months"]\ntype = "choice"\nko = "가"\nen = "a"\n'
            'choices = [{ value = "a", sets = { employment_months = 3 }, ko = "a", en = "a" }]\n',
            "choices",
        ),
        (
            HEAD + 'fields = ["hardship", "livelihood_status"]\ntype = "multi_choice"\nko = "가"\nen = "a"\n'
            "none = { hardship = [] }\n"
            'choices = [{ value = "a", sets = { hardship = "illness" }, ko = "a", en = "a" }]\n',
            "none",
        ),
        (
            HEAD + 'fields = ["hardship", "livelihood_status"]\ntype = "multi_choice"\nko = "가"\nen = "a"\n'
            'none = { hardship = [], livelihood_status = "none" }\n'
            'choices = [{ value = "a", sets = { purpose = "debt" }, ko = "a", en = "a" }]\n',
            "choices",
        ),
        (HEAD + 'field = "age"\ntype = "count"\nfollows = "nowhere"\nko = "가"\nen = "a"\n', "follows"),
        ('version = "1"\n[[question]\n', "(syntax)"),
        ('[[question]]\nid = "x"\n', "version"),
    ],
)
def test_broken_questionnaire_is_a_config_error(tmp_path: Path, text: str, key: str):
    path = tmp_path / "q.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_questionnaire(path)
    assert key in caught.value.key


def test_shipped_file_is_the_packaged_one():
    assert load_questionnaire(resource_path("questionnaire.toml")).version == questionnaire().version


INPUTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.text(max_size=10),
    st.lists(st.text(max_size=8), max_size=4),
    st.floats(allow_nan=True),
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([q.id for q in questionnaire().questions]), INPUTS)
def test_any_touch_input_is_accepted_or_refused_with_a_message(question_id: str, value: Any):
    q = questionnaire()
    try:
        stored = q.fill(question_id, value)
    except InvalidAnswers as exc:
        assert exc.problems and all(p.ko and p.en for p in exc.problems)
        return
    assert set(stored) <= set(q.question(question_id).filled)
    validate_answers(stored)
