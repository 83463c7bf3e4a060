"""Message templates as data (`config/sms/templates.toml`), checked when loaded and when rendered.

At load, each template must be EUC-KR (a character outside it — most emoji — makes a send fail at the
carrier) and fit its byte budget with every placeholder at the longest value the file declares: SMS 90
bytes, LMS 2,000 bytes and a subject of 40 bytes. A template names no RRN-shaped or phone-shaped text
and no placeholder for a name in clear (only ``masked_name``). Rendering refuses a value longer in
EUC-KR bytes than the declared longest, so what loaded within budget stays within budget. Every problem
is one ``ConfigError`` naming the file and the template (`TemplateValueError` at render).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from config import ConfigError
from config.loader import load_data_file, resource_path
from db.pii import find_rrn, mask_pii_text
from kiosk.sms.gateway import MessageKind

SMS_BYTES, LMS_BYTES, SUBJECT_BYTES = 90, 2000, 40
ENCODING = "euc-kr"
BUDGET = {MessageKind.SMS: SMS_BYTES, MessageKind.LMS: LMS_BYTES}
_FORBIDDEN_PLACEHOLDER = re.compile(r"rrn|resident|jumin|phone|mobile|^name$|_name$|^name_|full_name")
_ALLOWED_NAME = {"masked_name"}


class Urgency(StrEnum):
    URGENT = "urgent"  # sent at once, any hour (a code, a ticket call)
    DAYTIME = "daytime"  # waits for 08:00–21:00 on the center clock (reminders)


class TemplateValueError(ValueError):
    """A value the template cannot take (too long, not EUC-KR, missing, unknown, RRN-shaped)."""

    def __init__(self, template: str, placeholder: str, reason: str) -> None:
        super().__init__(f"template {template!r}, value {placeholder!r}: {reason}")
        self.template, self.placeholder, self.reason = template, placeholder, reason


class TemplateSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["sms", "lms"]
    urgency: Literal["urgent", "daytime"]
    text: str = Field(min_length=1)
    subject: str = ""
    ttl_minutes: int = Field(0, ge=0, le=60 * 24 * 30)
    longest: dict[str, str] = Field(default_factory=dict)


class TemplateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    templates: dict[str, TemplateSpec]


def euc_kr_bytes(text: str) -> int | None:
    """Length in EUC-KR bytes, or None when a character has no EUC-KR form."""
    try:
        return len(text.encode(ENCODING))
    except UnicodeEncodeError:
        return None


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a text; ValueError for a positional ``{}``, an index or a format spec."""
    names: set[str] = set()
    for _, field, spec, conversion in string.Formatter().parse(text):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValueError(f"placeholder {{{field}}} must be a plain {{name}}")
        names.add(field)
    return names


@dataclass(frozen=True)
class Template:
    id: str
    kind: MessageKind
    urgency: Urgency
    text: str
    subject: str
    ttl_minutes: int
    longest: dict[str, str]

    def render(self, values: dict[str, str]) -> str:
        """The message text; TemplateValueError when a value is missing, unknown or over its length."""
        unknown = sorted(set(values) - set(self.longest))
        if unknown:
            raise TemplateValueError(self.id, unknown[0], "this template has no such placeholder")
        for name, longest in self.longest.items():
            if name not in values:
                raise TemplateValueError(self.id, name, "missing")
            value = str(values[name])
            size = euc_kr_bytes(value)
            if size is None:
                raise TemplateValueError(self.id, name, "has a character outside EUC-KR (emoji?)")
            if size > len(longest.encode(ENCODING)):
                raise TemplateValueError(
                    self.id, name, f"{size} bytes; at most {len(longest.encode(ENCODING))} (as declared)"
                )
            if find_rrn(value) or mask_pii_text(value) != value:
                raise TemplateValueError(self.id, name, "looks like an RRN or a number in clear")
        return self.text.format(**{k: str(v) for k, v in values.items()})

    def longest_bytes(self) -> int:
        return len(self.text.format(**self.longest).encode(ENCODING))


def check_template(template_id: str, spec: TemplateSpec, source: str) -> Template:
    def fail(key: str, value: object, allowed: str) -> ConfigError:
        return ConfigError(source, f"templates.{template_id}.{key}", value, allowed)

    kind = MessageKind(spec.kind)
    try:
        names = placeholders(spec.text)
    except ValueError as exc:
        raise fail("text", spec.text, str(exc)) from None
    if names != set(spec.longest):
        missing, extra = sorted(names - set(spec.longest)), sorted(set(spec.longest) - names)
        raise fail(
            "longest",
            sorted(spec.longest),
            f"exactly the text's placeholders (missing {missing}, unused {extra})",
        )
    for name in names:
        if _FORBIDDEN_PLACEHOLDER.search(name) and name not in _ALLOWED_NAME:
            raise fail(f"longest.{name}", name, "no RRN, phone or name in clear (use masked_name)")
    for key, text in [("text", spec.text), ("subject", spec.subject), *spec.longest.items()]:
        if euc_kr_bytes(text) is None:
            raise fail(key, text, "EUC-KR characters only (no emoji or rare characters)")
        if find_rrn(text) or mask_pii_text(text) != text:
            raise fail(key, "(hidden)", "no RRN- or phone-shaped text in a template")
    size = len(spec.text.format(**spec.longest).encode(ENCODING))
    if size > BUDGET[kind]:
        raise fail(
            "text",
            f"{size} bytes with the longest values",
            f"at most {BUDGET[kind]} bytes for {kind.value.upper()} (EUC-KR)",
        )
    if kind is MessageKind.LMS:
        subject_size = len(spec.subject.encode(ENCODING))
        if not spec.subject or subject_size > SUBJECT_BYTES:
            raise fail("subject", spec.subject, f"an LMS subject of 1-{SUBJECT_BYTES} bytes (EUC-KR)")
    elif spec.subject:
        raise fail("subject", spec.subject, "no subject on an SMS (only LMS have one)")
    return Template(
        template_id,
        kind,
        Urgency(spec.urgency),
        spec.text,
        spec.subject,
        spec.ttl_minutes,
        dict(spec.longest),
    )


def load_templates(path: Path | None = None) -> dict[str, Template]:
    """Every template of the file (default: the packaged one), checked; ConfigError naming the template."""
    path = path or resource_path("sms", "templates.toml")
    spec = load_data_file(path, TemplateFile)
    return {tid: check_template(tid, t, str(path)) for tid, t in spec.templates.items()}


@lru_cache(maxsize=1)
def default_templates() -> dict[str, Template]:
    return load_templates()
