"""Issue 16: the desk reads a range answer as the kiosk showed it ("31~89일"), never as raw JSON."""

from __future__ import annotations

from kiosk.visit import questionnaire
from ui.desk.case_summary import answer_rows


def test_range_answers_read_as_words_on_the_desk():
    q = questionnaire()
    stored = {  # as the hub keeps them: ranges in their JSON form
        "delinquency_days": {"from": 31, "to": 89},
        "household_size": {"from": 6, "to": None},
        "employment": "employed",
        "employment_months": {"from": 13, "to": None},
    }
    rows = {asked: answer for asked, answer in answer_rows(stored, q)}
    assert rows[q.question("delinquency").ko] == "31~89일"
    assert rows[q.question("household_size").ko] == "6명 이상"
    assert rows[q.question("employment").ko] == "직장에 다닌 지 1년이 넘었어요"  # one row for the screen
    assert not any("from" in answer for answer in rows.values())
