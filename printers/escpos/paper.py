"""The emulator's paper: ESC/POS commands drawn the way a thermal printer would print them.

Text is drawn in NanumGothic on a 24-dot line grid (CP949 in Korean mode, ASCII otherwise), raster
images (``GS v 0``) are copied bit for bit, and ``GS ( k`` QR codes are drawn with the stored data so a
QR reader decodes the paper. A cut (``GS V``) finishes one job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property

import qrcode
from PIL import Image

from printers.escpos import hangul
from printers.escpos.parser import Command

log = logging.getLogger(__name__)

QR_MAX_BYTES = 2953  # version 40, level L, byte mode
LINE_GAP = 6  # dots between text lines (a 30-dot line pitch, the ESC 2 default at 180 dpi)
QR_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M}
QR_EC |= {50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}
# Commands we know that change nothing visible on our paper (character sets, spacing, peripherals).
NO_VISIBLE_EFFECT = {"ESC R", "ESC t", "ESC -", "ESC M", "ESC 2", "ESC 3", "ESC G", "ESC V", "ESC {", "ESC p"}
NO_VISIBLE_EFFECT |= {"GS B", "GS b", "GS L", "GS W", "GS H", "GS h", "GS w", "GS f", "FS !", "FS -", "FS W"}
NO_VISIBLE_EFFECT |= {"HT", "CR"}


@dataclass(frozen=True)
class LineOp:
    text: str
    width_mult: int
    height_mult: int
    bold: bool
    align: str


@dataclass(frozen=True)
class QrOp:
    content: str
    module_dots: int
    ec_level: int
    align: str


@dataclass(frozen=True)
class ImageOp:
    image: Image.Image


@dataclass(frozen=True)
class GapOp:
    dots: int


# What goes on paper is kept cheap while bytes arrive and drawn only when someone looks at the job,
# so the emulator's read loop keeps line rate.
PaperOp = LineOp | QrOp | ImageOp | GapOp


@dataclass
class PrintedJob:
    """One receipt as it left the printer (one cut)."""

    index: int
    payload: bytes
    width: int
    ops: list[PaperOp] = field(default_factory=list)
    text_lines: list[str] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.text_lines)

    @cached_property
    def image(self) -> Image.Image:
        """The paper strip, drawn on first use."""
        rows = [_draw(op, self.width) for op in self.ops]
        strip = Image.new("1", (self.width, sum(row.height for row in rows) + 2 * LINE_GAP), 1)
        y = LINE_GAP
        for row in rows:
            strip.paste(row, (0, y))
            y += row.height
        return strip


def _draw(op: PaperOp, width: int) -> Image.Image:
    if isinstance(op, LineOp):
        return hangul.render_line(
            op.text, width, width_mult=op.width_mult, height_mult=op.height_mult, bold=op.bold, align=op.align
        )
    if isinstance(op, QrOp):
        code = qrcode.QRCode(box_size=op.module_dots, border=2, error_correction=QR_EC[op.ec_level])
        code.add_data(op.content)
        code.make(fit=True)
        return _aligned(code.make_image().get_image().convert("1"), width, op.align)
    if isinstance(op, ImageOp):
        return op.image
    return Image.new("1", (width, op.dots), 1)


def _aligned(image: Image.Image, width: int, align: str) -> Image.Image:
    image = image.crop((0, 0, min(image.width, width), image.height))
    row = Image.new("1", (width, image.height), 1)
    x = {"left": 0, "center": (width - image.width) // 2, "right": width - image.width}.get(align, 0)
    row.paste(image, (x, 0))
    return row


class Paper:
    """Printer state (styles, Korean mode, QR store) and the strip printed since the last cut."""

    def __init__(self, width_dots: int) -> None:
        self.width = width_dots
        self.unsupported: list[str] = []
        self._reset_style()
        self._rows: list[PaperOp] = []
        self._segments: list[tuple[bytes, bool]] = []
        self.text_lines: list[str] = []
        self.qr_payloads: list[str] = []
        self._qr_data = b""
        self._qr_size = 3
        self._qr_ec = 48

    def _reset_style(self) -> None:
        self.align = "left"
        self.bold = False
        self.width_mult = 1
        self.height_mult = 1
        self.korean = False

    @property
    def empty(self) -> bool:
        return not self._rows and not self._segments

    def apply(self, command: Command) -> bool:
        """Apply one command; True when it was a cut."""
        name, params = command.name, command.params
        if name == "text":
            self._segments.append((command.data, self.korean))
        elif name == "LF":
            self._print_line()
        elif name == "ESC @":
            self._segments.clear()
            self._reset_style()
        elif name == "ESC !":
            self.bold = bool(params[0] & 0x08)
            self.height_mult = 2 if params[0] & 0x10 else 1
            self.width_mult = 2 if params[0] & 0x20 else 1
        elif name == "ESC E":
            self.bold = bool(params[0] & 1)
        elif name == "ESC a":
            self.align = {0: "left", 1: "center", 2: "right"}.get(params[0] % 48, "left")
        elif name == "GS !":
            self.width_mult, self.height_mult = (params[0] >> 4) + 1, (params[0] & 0x0F) + 1
        elif name == "FS &":
            self.korean = True
        elif name == "FS .":
            self.korean = False
        elif name == "ESC d":
            self._print_line()
            for _ in range(max(0, params[0] - 1)):
                self._print_line()
        elif name == "ESC J":
            self._flush_segments()
            self._rows.append(GapOp(max(1, params[0])))
        elif name == "GS v 0":
            self._raster(command)
        elif name == "GS ( k":
            self._qr(command.data)
        elif name == "GS V":
            self._flush_segments()
            return True
        elif name in ("unknown", "DLE EOT"):
            pass  # the emulator reports unknown commands and answers status queries itself
        elif name not in NO_VISIBLE_EFFECT:
            self.unsupported.append(name)
            log.warning("emulated printer: %s is understood but not drawn", name)
        return False

    def _decoded_line(self) -> str:
        parts = []
        for data, korean in self._segments:
            parts.append(data.decode("cp949", errors="replace") if korean else data.decode("latin-1"))
        # Bytes a printer has no glyph for show as a visible mark, as on paper.
        return "".join(ch if ch.isprintable() else "\ufffd" for ch in "".join(parts))

    def _print_line(self) -> None:
        text = self._decoded_line()
        self._segments.clear()
        self.text_lines.append(text)
        self._rows.append(LineOp(text, self.width_mult, self.height_mult, self.bold, self.align))
        self._rows.append(GapOp(LINE_GAP))

    def _flush_segments(self) -> None:
        if self._segments:
            self._print_line()

    def _place(self, image: Image.Image) -> None:
        self._rows.append(ImageOp(_aligned(image, self.width, self.align)))

    def _raster(self, command: Command) -> None:
        self._flush_segments()
        width_bytes = command.params[1] + 256 * command.params[2]
        height = command.params[3] + 256 * command.params[4]
        if width_bytes == 0 or height == 0:
            return
        # ESC/POS: bit set = black dot; PIL mode "1": bit set = white, so invert.
        inverted = bytes(255 - value for value in command.data)
        image = Image.frombytes("1", (width_bytes * 8, height), inverted)
        self._place(image)

    def _qr(self, data: bytes) -> None:
        if len(data) < 2 or data[0] != 0x31:  # cn 49: QR code
            self.unsupported.append(f"GS ( k cn={data[:1].hex()}")
            return
        fn, rest = data[1], data[2:]
        if fn == 67 and rest:
            self._qr_size = max(1, min(16, rest[0]))
        elif fn == 69 and rest:
            self._qr_ec = rest[0] if rest[0] in QR_EC else 48
        elif fn == 80:
            self._qr_data = rest[1:]  # after m = '0'
        elif fn == 81:
            self._flush_segments()
            self._print_qr()

    def _print_qr(self) -> None:
        if not self._qr_data:
            return
        if len(self._qr_data) > QR_MAX_BYTES:  # more than any QR version holds: a printer prints nothing
            self.unsupported.append("GS ( k: QR data too long")
            return
        content = self._qr_data.decode("utf-8", errors="replace")
        self.qr_payloads.append(content)
        self._rows.append(QrOp(content, self._qr_size, self._qr_ec, self.align))

    def tear_off(self, index: int, payload: bytes) -> PrintedJob:
        """Finish the strip as one job (a cut, or staff tearing paper off a printer without cutter)."""
        self._flush_segments()
        job = PrintedJob(index, payload, self.width, self._rows, self.text_lines, self.qr_payloads)
        self._rows, self.text_lines, self.qr_payloads = [], [], []
        return job
