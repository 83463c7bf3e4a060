"""`kiosk chat --ask`: the acceptance commands of issue 9."""

from __future__ import annotations

import json

import pytest

from kiosk.cli import main


def test_documents_question_answers_with_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "--ask", "채무조정 신청하려면 뭘 가져가야 해요?", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["abstained"] is False
    assert answer["entry_id"] == "debt.documents"
    assert answer["source"].startswith("신용회복위원회")
    assert "신분증" in answer["answer_ko"]
    assert answer["confidence"] >= answer["threshold"]


def test_weather_abstains(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "--ask", "오늘 날씨 어때요?", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["abstained"] is True
    assert answer["answer_ko"] == "정확히 답하기 어려워요. 상담사와 이야기해 보시겠어요?"
    assert answer["handoff_offered"] is True


def test_plain_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "--ask", "햇살론 금리 얼마예요?"]) == 0
    out = capsys.readouterr().out
    assert "연 15.9% 고정" in out and "출처" in out and "loan.sunshine15" in out


def test_bad_threshold_setting_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KIOSK_ASSISTANT__THRESHOLD", "2.5")
    assert main(["chat", "--ask", "햇살론"]) == 2
    assert "assistant.threshold" in capsys.readouterr().err
