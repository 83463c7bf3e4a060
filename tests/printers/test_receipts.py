"""Receipt bytes: Hangul in FS & mode, native QR, a cut, privacy rules and visible substitution."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError
from printers.escpos.models import load_model_file
from printers.escpos.receipt import render_receipt
from printers.escpos.samples import SAMPLE_FIELDS
from printers.escpos.templates import TemplateFieldError

KOREAN = "bixolon-srp-350iii"


def test_ticket_is_small_korean_text_with_native_qr_and_a_cut() -> None:
    ticket = render_receipt("ticket", SAMPLE_FIELDS["ticket"], KOREAN)
    assert len(ticket.payload) <= 1000
    assert b"\x1c&" in ticket.payload and b"\x1c." in ticket.payload and b"\x1bR\x0d" in ticket.payload
    assert b"\x1d(k" in ticket.payload and b"\x1dV" in ticket.payload
    assert "서민금융통합지원센터".encode("cp949") in ticket.payload
    assert b"?" not in ticket.payload.replace(b"https://", b"")
    assert ticket.warnings == []


def test_model_without_korean_font_prints_hangul_as_images() -> None:
    ticket = render_receipt("ticket", SAMPLE_FIELDS["ticket"], "generic-58mm-raster")
    assert b"\x1c&" not in ticket.payload and b"\x1dv0" in ticket.payload
    assert "서민".encode("cp949") not in ticket.payload
    assert ticket.image_lines > 0


def test_missing_field_is_a_clear_error() -> None:
    fields = dict(SAMPLE_FIELDS["ticket"])
    del fields["ticket_number"]
    with pytest.raises(TemplateFieldError) as caught:
        render_receipt("ticket", fields, KOREAN)
    assert caught.value.code == "PRN-TEMPLATE-FIELD" and caught.value.fields == ["ticket_number"]
    assert "항목" in caught.value.message_ko


def test_ticket_refuses_names_and_rrn_shaped_values() -> None:
    with pytest.raises(TemplateFieldError, match="PRN-TEMPLATE-PERSONAL"):
        render_receipt("ticket", {**SAMPLE_FIELDS["ticket"], "name": "홍길동"}, KOREAN)
    with pytest.raises(TemplateFieldError, match="PRN-TEMPLATE-PERSONAL"):
        render_receipt("ticket", {**SAMPLE_FIELDS["ticket"], "notice": "900101-1234567"}, KOREAN)
    with pytest.raises(TemplateFieldError, match="PRN-TEMPLATE-UNMASKED"):
        render_receipt("summary", {**SAMPLE_FIELDS["summary"], "masked_name": "김민수"}, KOREAN)


def test_text_outside_cp949_gets_a_visible_substitute_and_a_warning() -> None:
    fields = {**SAMPLE_FIELDS["ticket"], "notice": "좋은 하루 😀 䶵"}
    ticket = render_receipt("ticket", fields, KOREAN)
    assert "좋은 하루 〓 〓".encode("cp949") in ticket.payload
    assert len(ticket.warnings) == 2 and "U+1F600" in ticket.warnings[0]


def test_syllable_missing_from_ks_x_1001_goes_out_as_an_image_line() -> None:
    fields = {**SAMPLE_FIELDS["ticket"], "notice": "똠방각하"}  # 똠 is CP949-only
    ticket = render_receipt("ticket", fields, "epson-tm-t88v-kr")
    assert ticket.image_lines == 1 and any("image" in w for w in ticket.warnings)
    cp949_ticket = render_receipt("ticket", fields, KOREAN)
    assert "똠방각하".encode("cp949") in cp949_ticket.payload and cp949_ticket.image_lines == 0


def test_printer_model_missing_a_key_is_rejected(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "broken"\ndescription = "x"\npaper_width_dots = 576\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="chars_per_line"):
        load_model_file(broken)


def test_template_file_with_bad_blocks_is_rejected_at_load(tmp_path: Path) -> None:
    from printers.escpos.templates import load_template_file

    head = 'name = "x"\nversion = "1"\ntitle_ko = "x"\ntitle_en = "x"\npersonal_data = "none"\n'
    cases = {
        "blocks.0.kind": '[[blocks]]\nkind = "barcode"\ntext = "1"\n',
        "only plain field names": '[[blocks]]\nkind = "text"\ntext = "{person.__class__}"\n',
        "needs 'text'": '[[blocks]]\nkind = "qr"\n',
    }
    for expected, body in cases.items():
        path = tmp_path / "x.toml"
        path.write_text(head + body, encoding="utf-8")
        with pytest.raises(ConfigError, match=expected.replace("'", ".")):
            load_template_file(path)
