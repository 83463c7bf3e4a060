"""Card designs the virtual scanner prints, by kind and issue year: where each field sits, the card
stock's colours and security pattern, and where the photo is.

Real cards change design every few years, and the reader must not depend on one of them. These boxes
are the emulator's own: the designs named ``DEFAULT_DESIGNS`` draw exactly where the reader's layout
files (``config/card_layouts``) say, the others do not. Boxes are fractions of the ID-1 card
[left, top, right, bottom].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from devices.id.model import DocumentKind

Box = tuple[float, float, float, float]
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class FieldSpec:
    box: Box
    font_px: int
    bold: bool = False


@dataclass(frozen=True)
class CardDesign:
    name: str
    kind: DocumentKind
    year: int  # first issue year of this design
    photo: Box
    fields: Mapping[str, FieldSpec]
    paper: RGB  # card stock colour
    tint: tuple[float, float, float]  # how the security pattern shifts each channel
    pattern: str  # waves, rings, lines
    ink: RGB = (25, 25, 30)
    title_ink: RGB = (20, 30, 90)
    emblem: bool = False  # a large pale circle behind the text (the national emblem's place)
    captions: Mapping[str, str] = field(default_factory=dict)  # small labels printed before a value
    ghost: Box | None = None  # a small faded second portrait (the security "ghost image")


_RC = DocumentKind.RESIDENT_CARD
_DL = DocumentKind.DRIVER_LICENSE

RESIDENT_1999 = CardDesign(
    "rc-1999", _RC, 1999, (0.675, 0.215, 0.935, 0.790),
    {
        "title": FieldSpec((0.05, 0.045, 0.60, 0.185), 58, True),
        "name": FieldSpec((0.05, 0.225, 0.62, 0.330), 44),
        "rrn": FieldSpec((0.05, 0.345, 0.62, 0.450), 44),
        "address": FieldSpec((0.05, 0.480, 0.64, 0.650), 26),
        "issue_date": FieldSpec((0.22, 0.700, 0.62, 0.790), 34),
        "issuer": FieldSpec((0.16, 0.810, 0.70, 0.920), 38, True),
    },
    paper=(250, 244, 240), tint=(-1.0, 0.3, 1.0), pattern="waves",
)  # fmt: skip

RESIDENT_2013 = CardDesign(
    "rc-2013", _RC, 2013, (0.700, 0.250, 0.950, 0.830),
    {
        "title": FieldSpec((0.06, 0.060, 0.55, 0.180), 50, True),
        "name": FieldSpec((0.06, 0.250, 0.66, 0.350), 40),
        "rrn": FieldSpec((0.06, 0.370, 0.66, 0.470), 42),
        "address": FieldSpec((0.06, 0.500, 0.68, 0.670), 25),
        "issue_date": FieldSpec((0.28, 0.715, 0.66, 0.800), 32),
        "issuer": FieldSpec((0.20, 0.820, 0.72, 0.925), 36, True),
    },
    paper=(242, 246, 252), tint=(1.0, 0.2, -0.6), pattern="rings", title_ink=(30, 50, 110), emblem=True,
    ghost=(0.580, 0.520, 0.680, 0.700),
)  # fmt: skip

RESIDENT_2025 = CardDesign(
    "rc-2025", _RC, 2025, (0.640, 0.170, 0.930, 0.720),
    {
        "title": FieldSpec((0.045, 0.040, 0.50, 0.150), 46, True),
        "name": FieldSpec((0.045, 0.205, 0.60, 0.315), 46),
        "rrn": FieldSpec((0.045, 0.330, 0.60, 0.440), 46),
        "address": FieldSpec((0.045, 0.470, 0.62, 0.630), 24),
        "issue_date": FieldSpec((0.045, 0.740, 0.45, 0.820), 30),
        "issuer": FieldSpec((0.38, 0.800, 0.95, 0.910), 34, True),
    },
    paper=(244, 248, 243), tint=(0.5, -0.8, 0.6), pattern="lines", ink=(20, 28, 50),
    title_ink=(15, 60, 70),
)  # fmt: skip

RESIDENT_2020 = CardDesign(
    "rc-2020", _RC, 2020, (0.690, 0.190, 0.945, 0.760),
    {
        "title": FieldSpec((0.055, 0.050, 0.52, 0.160), 48, True),
        "name": FieldSpec((0.055, 0.190, 0.58, 0.295), 42),
        "rrn": FieldSpec((0.055, 0.310, 0.58, 0.410), 40),
        "address": FieldSpec((0.055, 0.440, 0.64, 0.600), 24),
        "issue_date": FieldSpec((0.300, 0.690, 0.640, 0.770), 30),
        "issuer": FieldSpec((0.22, 0.790, 0.74, 0.900), 34, True),
    },
    paper=(246, 245, 250), tint=(0.3, 0.9, -0.5), pattern="rings", ink=(30, 24, 36),
    title_ink=(60, 30, 80), emblem=True, ghost=(0.590, 0.480, 0.670, 0.640),
)  # fmt: skip

LICENSE_2017 = CardDesign(
    "dl-2017", _DL, 2017, (0.045, 0.215, 0.300, 0.790),
    {
        "title": FieldSpec((0.33, 0.040, 0.96, 0.160), 52, True),
        "license_number": FieldSpec((0.33, 0.185, 0.80, 0.275), 38),
        "name": FieldSpec((0.33, 0.290, 0.80, 0.385), 40),
        "rrn": FieldSpec((0.33, 0.395, 0.80, 0.490), 38),
        "address": FieldSpec((0.33, 0.505, 0.97, 0.650), 24),
        "aptitude": FieldSpec((0.33, 0.665, 0.97, 0.735), 24),
        "issue_date": FieldSpec((0.33, 0.750, 0.75, 0.830), 32),
        "serial": FieldSpec((0.060, 0.820, 0.290, 0.900), 28),
        "issuer": FieldSpec((0.45, 0.850, 0.97, 0.945), 34, True),
    },
    paper=(240, 248, 242), tint=(0.6, -0.4, 0.8), pattern="waves", title_ink=(20, 70, 40),
)  # fmt: skip

LICENSE_1999 = CardDesign(
    "dl-1999", _DL, 1999, (0.050, 0.260, 0.285, 0.740),
    {
        "title": FieldSpec((0.05, 0.050, 0.70, 0.170), 46, True),
        "license_number": FieldSpec((0.32, 0.200, 0.90, 0.285), 34),
        "name": FieldSpec((0.32, 0.300, 0.90, 0.395), 38),
        "rrn": FieldSpec((0.32, 0.405, 0.90, 0.500), 36),
        "address": FieldSpec((0.32, 0.520, 0.97, 0.660), 23),
        "aptitude": FieldSpec((0.32, 0.675, 0.97, 0.740), 22),
        "issue_date": FieldSpec((0.32, 0.755, 0.74, 0.830), 30),
        "serial": FieldSpec((0.055, 0.770, 0.280, 0.840), 24),
        "issuer": FieldSpec((0.42, 0.850, 0.97, 0.945), 32, True),
    },
    paper=(250, 243, 232), tint=(-0.6, 0.4, 1.0), pattern="rings", title_ink=(90, 40, 20),
    captions={"name": "성명", "rrn": "주민번호"},
)  # fmt: skip

LICENSE_2021 = CardDesign(
    "dl-2021", _DL, 2021, (0.040, 0.180, 0.310, 0.800),
    {
        "title": FieldSpec((0.35, 0.035, 0.97, 0.145), 48, True),
        "license_number": FieldSpec((0.35, 0.165, 0.85, 0.260), 40),
        "name": FieldSpec((0.35, 0.275, 0.85, 0.375), 42),
        "rrn": FieldSpec((0.35, 0.385, 0.85, 0.480), 40),
        "address": FieldSpec((0.35, 0.500, 0.97, 0.640), 23),
        "aptitude": FieldSpec((0.35, 0.655, 0.97, 0.720), 23),
        "issue_date": FieldSpec((0.35, 0.735, 0.75, 0.815), 30),
        "serial": FieldSpec((0.050, 0.830, 0.300, 0.905), 27),
        "issuer": FieldSpec((0.48, 0.840, 0.97, 0.940), 32, True),
    },
    paper=(238, 244, 250), tint=(0.8, 0.5, -0.7), pattern="lines", title_ink=(25, 45, 95), emblem=True,
    ghost=(0.870, 0.170, 0.960, 0.400),
)  # fmt: skip

ALL_DESIGNS: tuple[CardDesign, ...] = (
    RESIDENT_1999, RESIDENT_2013, RESIDENT_2025, RESIDENT_2020, LICENSE_2017, LICENSE_1999, LICENSE_2021,
)  # fmt: skip
# the designs that match the reader's layout files: what render_card draws unless told otherwise
DEFAULT_DESIGNS: dict[DocumentKind, CardDesign] = {_RC: RESIDENT_1999, _DL: LICENSE_2017}


def design_named(name: str) -> CardDesign:
    for design in ALL_DESIGNS:
        if design.name == name:
            return design
    raise ValueError(f"unknown card design {name!r}; known: {', '.join(d.name for d in ALL_DESIGNS)}")


def designs_for(kind: DocumentKind) -> tuple[CardDesign, ...]:
    return tuple(design for design in ALL_DESIGNS if design.kind is kind)
