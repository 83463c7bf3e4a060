"""Receipt templates are data (config/receipts/<name>.toml): blocks of text, lists, QR codes and a cut.

Text in a block is a ``str.format`` pattern over named fields. A template that names a field the caller
did not give is a ``TemplateFieldError`` (stable code, Korean message), never an empty line. A template
marked ``personal_data = "none"`` (the queue ticket) refuses names and RRN- or phone-shaped values, and
``masked_fields`` must arrive masked, so a receipt left on the counter gives nothing away.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from config import ConfigError, resource_path
from config.loader import load_data_file

Align = Literal["left", "center", "right"]
PERSONAL_FIELD_NAMES = {"name", "full_name", "rrn", "resident_number", "phone", "birth_date", "address"}
RRN_SHAPE = re.compile(r"\d{6}\s*-?\s*[1-8]\d{6}")
PHONE_SHAPE = re.compile(r"01[016789]\s*-?\s*\d{3,4}\s*-?\s*\d{4}")
MASK_MARKS = ("*", "○", "＊")


class TemplateFieldError(ValueError):
    """The fields given do not fit the template. ``code`` is stable; ``message_ko`` is for people."""

    def __init__(self, code: str, template: str, fields: list[str], detail: str) -> None:
        self.code, self.template, self.fields = code, template, fields
        self.message_ko = f"영수증 '{template}'을(를) 만들 수 없어요: {detail}. 입력 항목을 확인해 주세요."
        super().__init__(f"[{code}] receipt template {template!r}: {detail} ({', '.join(fields)})")


class Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["text", "list", "qr", "rule", "feed", "cut"]
    text: str = ""  # text: a format pattern; qr: the data pattern
    field: str = ""  # list: the field holding a list of strings
    prefix: str = ""  # list: put before each item
    align: Align = "left"
    bold: bool = False
    width: int = Field(1, ge=1, le=8)
    height: int = Field(1, ge=1, le=8)
    qr_size: int = Field(6, ge=1, le=16)
    lines: int = Field(1, ge=1, le=10)
    optional: bool = False  # skipped when its fields are absent or empty, instead of an error

    @model_validator(mode="after")
    def _needs(self) -> Block:
        if self.kind in ("text", "qr") and not self.text:
            raise ValueError(f"a {self.kind} block needs 'text'")
        if self.kind == "list" and not self.field:
            raise ValueError("a list block needs 'field'")
        return self

    def field_names(self) -> list[str]:
        if self.kind == "list":
            return [self.field]
        names = [name for _, name, _, _ in string.Formatter().parse(self.text) if name is not None]
        for name in names:
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                raise ValueError(f"field {name!r}: only plain field names are allowed")
        return names


class ReceiptTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    title_ko: str
    title_en: str
    personal_data: Literal["none", "masked"]
    masked_fields: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _plain_names(self) -> ReceiptTemplate:
        for block in self.blocks:
            block.field_names()
        return self

    def field_names(self) -> set[str]:
        return {name for block in self.blocks for name in block.field_names()}


def templates_dir() -> Path:
    return resource_path("receipts")


def available_templates() -> list[str]:
    return sorted(path.stem for path in templates_dir().glob("*.toml"))


def load_template_file(path: Path) -> ReceiptTemplate:
    return load_data_file(path, ReceiptTemplate)


def load_template(name: str) -> ReceiptTemplate:
    path = templates_dir() / f"{name}.toml"
    if not path.is_file():
        raise ConfigError(str(path), "template", name, f"one of {available_templates()}")
    return load_template_file(path)


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != ()


def check_fields(template: ReceiptTemplate, fields: Mapping[str, Any]) -> None:
    """Every field a non-optional block names is given; privacy rules of the template hold."""
    missing = sorted(
        name
        for block in template.blocks
        if not block.optional
        for name in block.field_names()
        if not _present(fields.get(name))
    )
    if missing:
        raise TemplateFieldError("PRN-TEMPLATE-FIELD", template.name, missing, "필요한 항목이 없어요")
    if template.personal_data == "none":
        personal = sorted(PERSONAL_FIELD_NAMES & set(fields))
        shaped = sorted(
            key
            for key, value in fields.items()
            if RRN_SHAPE.search(str(value)) or PHONE_SHAPE.search(str(value))
        )
        if personal or shaped:
            raise TemplateFieldError(
                "PRN-TEMPLATE-PERSONAL",
                template.name,
                personal + shaped,
                "이 영수증에는 개인정보를 넣을 수 없어요",
            )
    for name in template.masked_fields:
        value = str(fields.get(name, ""))
        if value and not any(mark in value for mark in MASK_MARKS):
            raise TemplateFieldError(
                "PRN-TEMPLATE-UNMASKED", template.name, [name], "이름은 가려서 넣어야 해요"
            )


def block_text(block: Block, fields: Mapping[str, Any]) -> str | None:
    """The block's text with fields filled in, or None when an optional block has nothing to show."""
    names = block.field_names()
    if block.optional and not all(_present(fields.get(name)) for name in names):
        return None
    return block.text.format_map({name: fields[name] for name in names})


def block_items(block: Block, fields: Mapping[str, Any]) -> list[str]:
    value = fields.get(block.field)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]
