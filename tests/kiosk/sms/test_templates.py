"""Message templates are data: checked at load for EUC-KR and their byte budget, refused values at render."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config import ConfigError
from kiosk.sms.gateway import MessageKind
from kiosk.sms.templates import (
    LMS_BYTES,
    SMS_BYTES,
    TemplateSpec,
    TemplateValueError,
    Urgency,
    check_template,
    default_templates,
    load_templates,
)


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "templates.toml"
    path.write_text("version = 1\n" + body, encoding="utf-8")
    return path


def test_the_packaged_templates_cover_what_people_receive() -> None:
    t = default_templates()
    assert {"consent_code", "ticket_soon", "ticket_called", "ticket_number", "aftercare_reminder"} <= set(t)
    assert "곧 차례예요" in t["ticket_soon"].render({"ticket": "A-12"})
    assert t["ticket_called"].render({"ticket": "A-12", "window": "3"}).count("3번 창구로 와 주세요") == 1
    assert t["consent_code"].render({"code": "482913"}).count("482913") == 1
    reminder = t["aftercare_reminder"]
    assert reminder.kind is MessageKind.LMS and reminder.urgency is Urgency.DAYTIME and reminder.subject
    text = reminder.render(
        {"masked_name": "홍*동", "due_date": "12월 3일(목)", "topic": "상환 계획", "link": ""}
    )
    assert "1 = 확인" in text and "2 = 전화 요청" in text
    for template in t.values():
        budget = SMS_BYTES if template.kind is MessageKind.SMS else LMS_BYTES
        assert template.longest_bytes() <= budget
        assert template.urgency in (Urgency.URGENT, Urgency.DAYTIME)


def test_a_template_over_its_budget_with_its_longest_values_is_refused_by_name(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[templates.too_long]\nkind = "sms"\nurgency = "urgent"\n'
        'text = "[서민금융센터] {ticket}번 손님, 곧 차례예요. 창구 앞 의자에 앉아서 조금만 기다려 주세요."\n'
        '[templates.too_long.longest]\nticket = "가나다라마바사아자차"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_templates(path)
    assert caught.value.key == "templates.too_long.text"
    assert "90 bytes" in caught.value.allowed


def test_an_emoji_is_refused_at_load(tmp_path: Path) -> None:
    path = write(tmp_path, '[templates.smile]\nkind = "sms"\nurgency = "urgent"\ntext = "곧 차례예요 😀"\n')
    with pytest.raises(ConfigError) as caught:
        load_templates(path)
    assert caught.value.key == "templates.smile.text" and "EUC-KR" in caught.value.allowed


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('kind = "lms"\nurgency = "daytime"\ntext = "안내"\n', "templates.t.subject"),  # LMS needs one
        (
            'kind = "lms"\nurgency = "daytime"\ntext = "안내"\nsubject = "' + "가" * 21 + '"\n',
            "templates.t.subject",
        ),
        ('kind = "sms"\nurgency = "urgent"\ntext = "안내"\nsubject = "제목"\n', "templates.t.subject"),
        ('kind = "sms"\nurgency = "urgent"\ntext = "{code}"\n', "templates.t.longest"),  # undeclared
        (
            'kind = "sms"\nurgency = "urgent"\ntext = "{name}님"\n[templates.t.longest]\nname = "홍길동"\n',
            "templates.t.longest.name",
        ),  # a name in clear
        (
            'kind = "sms"\nurgency = "urgent"\ntext = "{rrn}"\n[templates.t.longest]\nrrn = "1"\n',
            "templates.t.longest.rrn",
        ),
        ('kind = "sms"\nurgency = "urgent"\ntext = "{0}"\n', "templates.t.text"),
        ('kind = "mms"\nurgency = "urgent"\ntext = "x"\n', "templates.t.kind"),
        ('kind = "sms"\nurgency = "soon"\ntext = "x"\n', "templates.t.urgency"),
    ],
)
def test_bad_templates_name_their_key(tmp_path: Path, body: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_templates(write(tmp_path, "[templates.t]\n" + body))
    assert caught.value.key == key
    assert str(tmp_path) in str(caught.value)


def test_a_number_in_clear_in_a_template_is_refused() -> None:
    phone = "010-" + "1234-" + "5678"  # built here: no test file on disk carries a number in clear
    spec = TemplateSpec(kind="sms", urgency="urgent", text=f"문의 {phone}")
    with pytest.raises(ConfigError) as caught:
        check_template("t", spec, "test")
    assert caught.value.key == "templates.t.text" and phone not in str(caught.value)


def test_rendering_refuses_a_value_longer_than_declared() -> None:
    called = default_templates()["ticket_called"]
    with pytest.raises(TemplateValueError) as caught:
        called.render({"ticket": "A-12", "window": "100"})
    assert caught.value.template == "ticket_called" and caught.value.placeholder == "window"
    with pytest.raises(TemplateValueError):
        called.render({"ticket": "A-12"})
    with pytest.raises(TemplateValueError):
        called.render({"ticket": "A-12", "window": "3", "extra": "x"})
    with pytest.raises(TemplateValueError):
        called.render({"ticket": "😀", "window": "3"})


def test_rendering_refuses_an_rrn_or_a_number_in_clear() -> None:
    reminder = default_templates()["aftercare_reminder"]
    with pytest.raises(TemplateValueError):
        reminder.render(
            {"masked_name": "홍*동", "due_date": "12월 3일", "topic": "900101-1234567", "link": ""}
        )
    with pytest.raises(TemplateValueError):
        reminder.render(
            {"masked_name": "홍*동", "due_date": "12월 3일", "topic": "010-1234-5678", "link": ""}
        )


@given(st.text(max_size=12))
def test_whatever_renders_stays_within_the_budget(value: str) -> None:
    for template in default_templates().values():
        try:
            text = template.render(dict.fromkeys(template.longest, value))
        except TemplateValueError:
            continue
        budget = SMS_BYTES if template.kind is MessageKind.SMS else LMS_BYTES
        assert len(text.encode("euc-kr")) <= budget
