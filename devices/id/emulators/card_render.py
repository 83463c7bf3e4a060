"""The virtual scanner's card renderer: Korean ID cards for synthetic identities, printed in a given
typeface (``fonts``) on a given design (``designs``), then captured (``capture``): camera shot or
flatbed crop, rotation, perspective, blur, noise, glare, lighting and background are all controllable
so the image reader can be measured. Everything is deterministic from the perturbation's seed.

Without ``font``/``design`` the card is NanumGothic on the design that matches the reader's layout
files, as it always was: the demo and the existing tests rely on that.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from devices.id.emulators.capture import CORNER_RADIUS, Perturbation, photograph
from devices.id.emulators.card_print import (
    card_stock,
    draw_address,
    draw_face,
    draw_field,
    draw_ghost,
    draw_seal,
    px,
)
from devices.id.emulators.designs import DEFAULT_DESIGNS, CardDesign
from devices.id.emulators.fonts import DEFAULT_FONT, CardFont, face
from devices.id.emulators.identities import SyntheticIdentity
from devices.id.model import DocumentKind

__all__ = ["Perturbation", "photograph", "render_card", "render_flat", "render_passport_page"]
KINDS = (DocumentKind.RESIDENT_CARD, DocumentKind.DRIVER_LICENSE)


def _fmt_date(d: object) -> str:
    return f"{d:%Y. %-m. %-d.}"


def _design(kind: DocumentKind, design: CardDesign | None) -> CardDesign:
    if kind not in KINDS:
        raise ValueError(f"the virtual scanner renders resident cards and driver's licences, not {kind}")
    chosen = design or DEFAULT_DESIGNS[kind]
    if chosen.kind is not kind:
        raise ValueError(f"design {chosen.name} is a {chosen.kind.value}, not a {kind.value}")
    return chosen


def _texts(identity: SyntheticIdentity, kind: DocumentKind) -> dict[str, str]:
    """What each field of the card says for this person."""
    if kind is DocumentKind.RESIDENT_CARD:
        return {
            "title": "주민등록증",
            "name": f"{identity.name}({identity.name_hanja})",
            "rrn": identity.rrn,
            "issue_date": _fmt_date(identity.issue_date),
            "issuer": identity.issuer,
        }
    return {
        "title": f"자동차운전면허증  {identity.license_classes}",
        "license_number": identity.license_number,
        "name": identity.name,
        "rrn": identity.rrn,
        "aptitude": f"적성검사기간 {identity.aptitude_from:%Y.%m.%d} ~ {identity.aptitude_to:%Y.%m.%d}",
        "issue_date": f"{identity.issue_date:%Y.%m.%d}",
        "serial": identity.license_serial,
        "issuer": f"{identity.address.split()[0]}경찰청장",
    }


def render_flat(
    identity: SyntheticIdentity,
    kind: DocumentKind,
    seed: int = 0,
    *,
    font: CardFont | None = None,
    design: CardDesign | None = None,
) -> np.ndarray:
    """The card itself, head-on, 1012 x 638 (ID-1 at ~300 dpi), BGR."""
    chosen = _design(kind, design)
    typeface = font or DEFAULT_FONT
    card = card_stock(chosen, seed)
    draw = ImageDraw.Draw(card)
    draw_face(card, px(chosen.photo), seed)
    if chosen.ghost is not None:
        draw_ghost(card, px(chosen.ghost), seed)
    for name, text in _texts(identity, kind).items():
        ink = chosen.title_ink if name == "title" else chosen.ink
        draw_field(draw, typeface, chosen.fields[name], text, ink, chosen.captions.get(name, ""))
    draw_address(draw, typeface, chosen.fields["address"], identity.address, chosen.ink)
    draw_seal(draw, chosen.fields["issuer"])
    return cv2.cvtColor(np.array(card), cv2.COLOR_RGB2BGR)


def render_card(
    identity: SyntheticIdentity,
    kind: DocumentKind,
    perturbation: Perturbation | None = None,
    *,
    font: CardFont | None = None,
    design: CardDesign | None = None,
) -> np.ndarray:
    """A captured card, BGR: ``perturbation.frame_size`` for a camera shot, the card (plus its margin)
    for a flatbed crop."""
    p = perturbation or Perturbation()
    chosen = _design(kind, design)
    flat = render_flat(identity, kind, p.seed, font=font, design=chosen)
    target = chosen.fields.get(p.glare_field)
    return photograph(flat, p, target.box if target else None, CORNER_RADIUS)


# ---- passport data page (ID-3, 125 x 88 mm) ---------------------------------------------------------

PAGE_W, PAGE_H = 1250, 880
MRZ_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


def render_passport_page(mrz: str, name_ko: str = "", seed: int = 0) -> np.ndarray:
    """A passport data page with its two MRZ lines (a monospace font stands in for OCR-B)."""
    page = Image.new("RGB", (PAGE_W, PAGE_H), (236, 240, 246))
    draw = ImageDraw.Draw(page)
    draw_face(page, (60, 150, 360, 560), seed)
    label, value = face(DEFAULT_FONT, 22), face(DEFAULT_FONT, 34)
    line1, line2 = mrz.splitlines()
    surname, _, given = line1[5:].rstrip("<").partition("<<")
    rows = [
        ("여권 PASSPORT", "대한민국 REPUBLIC OF KOREA"),
        ("성 Surname", surname.replace("<", " ")),
        ("이름 Given names", given.replace("<", " ")),
        ("한글성명", name_ko),
        ("여권번호 Passport No.", line2[:9].rstrip("<")),
    ]
    for i, (caption, text) in enumerate(rows):
        draw.text((420, 110 + i * 82), caption, font=label, fill=(70, 70, 90))
        draw.text((420, 136 + i * 82), text, font=value, fill=(20, 20, 30))
    font = ImageFont.truetype(str(MRZ_FONT), 40) if MRZ_FONT.exists() else face(DEFAULT_FONT, 40)
    draw.text((40, 700), line1, font=font, fill=(10, 10, 10))
    draw.text((40, 770), line2, font=font, fill=(10, 10, 10))
    return cv2.cvtColor(np.array(page), cv2.COLOR_RGB2BGR)
