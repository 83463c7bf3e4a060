"""Receipt bytes from a template: python-escpos builds the protocol, Hangul goes in ``FS &`` mode.

python-escpos has no Korean code page, so Hangul lines are sent by us as KS X 1001 / CP949 double-byte
text between ``FS &`` and ``FS .`` (after ``ESC R 13``, the Korean character set). Models without Korean
fonts, and lines with characters the model's charset lacks, go out as raster images drawn in NanumGothic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import qrcode
from escpos.printer import Dummy
from PIL import Image

from printers.escpos import hangul
from printers.escpos.models import PrinterModel, load_model
from printers.escpos.templates import (
    Block,
    ReceiptTemplate,
    block_items,
    block_text,
    check_fields,
    load_template,
)

ESC_R_KOREA = b"\x1bR\x0d"
FS_KOREAN_ON = b"\x1c&"
FS_KOREAN_OFF = b"\x1c."
QR_EC_M = 1  # escpos.constants.QR_ECLEVEL_M


@dataclass
class RenderedReceipt:
    """The exact bytes to send, plus what had to be substituted (shown to staff, logged)."""

    template: str
    model: str
    payload: bytes
    warnings: list[str] = field(default_factory=list)
    image_lines: int = 0


class ReceiptComposer(Dummy):
    """Collects ESC/POS bytes for one receipt on one printer model; sends nothing itself."""

    def __init__(
        self,
        model: PrinterModel,
        *,
        substitute: str = "〓",
        hangul_as_image: bool | None = None,
        native_qr: bool | None = None,
    ) -> None:
        super().__init__(profile=model.escpos_profile)
        self.profile.profile_data["media"]["width"]["pixels"] = model.paper_width_dots
        self.model = model
        self.substitute = substitute
        self.hangul_as_image = (not model.korean_font) if hangul_as_image is None else hangul_as_image
        self.native_qr = model.native_qr if native_qr is None else native_qr
        self.warnings: list[str] = []
        self.image_lines = 0
        self._style: tuple[str, bool, int, int] | None = None

    def begin(self) -> None:
        self.hw("INIT")
        self._style = ("left", False, 1, 1)
        if not self.hangul_as_image:
            self._raw(ESC_R_KOREA)

    def _apply_style(self, align: str, bold: bool, width: int, height: int) -> None:
        # Only changes are sent: a ticket stays a few hundred bytes.
        old_align, old_bold, old_w, old_h = self._style or ("", not bold, 0, 0)
        if align != old_align:
            self.set(align=align)
        if bold != old_bold:
            self.set(bold=bold)
        if (width, height) != (old_w, old_h):
            self.set(custom_size=True, width=width, height=height)
        self._style = (align, bold, width, height)

    def line(
        self, text: str, *, align: str = "left", bold: bool = False, width: int = 1, height: int = 1
    ) -> None:
        """One line of text (wrapped to the paper), Korean mode or image as the model needs."""
        clean, subs = hangul.sanitize(text, self.substitute)
        self.warnings.extend(str(sub) for sub in subs)
        columns = max(1, self.model.chars_per_line // width)
        for piece in hangul.wrap_columns(clean, columns):
            self._one_line(piece, align=align, bold=bold, width=width, height=height)

    def _one_line(self, text: str, *, align: str, bold: bool, width: int, height: int) -> None:
        if text.isascii():
            self._apply_style(align, bold, width, height)
            self._raw(text.encode("ascii") + b"\n")
            return
        if not self.hangul_as_image and hangul.encodable(text, self.model.korean_charset):
            self._apply_style(align, bold, width, height)
            self._raw(
                FS_KOREAN_ON + hangul.encode_korean(text, self.model.korean_charset) + FS_KOREAN_OFF + b"\n"
            )
            return
        if not self.hangul_as_image:
            self.warnings.append(f"line printed as an image (not in {self.model.korean_charset}): {text!r}")
        self._apply_style("left", False, 1, 1)
        image = hangul.render_line(
            text, self.model.paper_width_dots, width_mult=width, height_mult=height, bold=bold, align=align
        )
        self.image(image, impl="bitImageRaster")
        self.image_lines += 1

    def rule(self) -> None:
        self._apply_style("left", False, 1, 1)
        self._raw(b"-" * self.model.chars_per_line + b"\n")

    def qr_code(self, data: str, *, size: int, align: str) -> None:
        if self.native_qr:
            self._apply_style(align, False, 1, 1)
            self.qr(data, ec=QR_EC_M, size=size, native=True)
            self._raw(b"\n")
            return
        code = qrcode.QRCode(box_size=size, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(data)
        code.make(fit=True)
        img = code.make_image().get_image().convert("L")
        width = self.model.paper_width_dots
        canvas = Image.new("L", (width, img.height), 255)
        x = {"left": 0, "center": (width - img.width) // 2, "right": width - img.width}[align]
        canvas.paste(img.crop((0, 0, min(img.width, width), img.height)), (max(0, x), 0))
        self._apply_style("left", False, 1, 1)
        self.image(canvas.convert("1"), impl="bitImageRaster")

    def finish(self) -> None:
        self._apply_style("left", False, 1, 1)
        if self.model.cutter:
            self.cut()
        else:
            self.print_and_feed(6)


def _emit(composer: ReceiptComposer, block: Block, fields: Mapping[str, Any]) -> None:
    def line(text: str) -> None:
        composer.line(text, align=block.align, bold=block.bold, width=block.width, height=block.height)

    if block.kind == "text":
        text = block_text(block, fields)
        if text is not None:
            line(text)
    elif block.kind == "list":
        for item in block_items(block, fields):
            line(f"{block.prefix}{item}")
    elif block.kind == "qr":
        data = block_text(block, fields)
        if data is not None:
            composer.qr_code(data, size=block.qr_size, align=block.align)
    elif block.kind == "rule":
        composer.rule()
    elif block.kind == "feed":
        composer._raw(b"\n" * block.lines)
    elif block.kind == "cut":
        composer.finish()


def render_receipt(
    template: str | ReceiptTemplate,
    fields: Mapping[str, Any],
    model: str | PrinterModel,
    *,
    substitute: str = "〓",
    hangul_as_image: bool | None = None,
    native_qr: bool | None = None,
) -> RenderedReceipt:
    """The bytes of one receipt. Raises TemplateFieldError for missing or forbidden fields."""
    tmpl = load_template(template) if isinstance(template, str) else template
    printer_model = load_model(model) if isinstance(model, str) else model
    check_fields(tmpl, fields)
    composer = ReceiptComposer(
        printer_model, substitute=substitute, hangul_as_image=hangul_as_image, native_qr=native_qr
    )
    composer.begin()
    for block in tmpl.blocks:
        _emit(composer, block, fields)
    return RenderedReceipt(
        tmpl.name, printer_model.name, composer.output, composer.warnings, composer.image_lines
    )
