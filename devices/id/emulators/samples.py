"""Card sets for the bench and for tuning: who, which kind, face, design and capture, per level.

Levels say how the card reaches the reader:
- ``clean``: flatbed crops (the card fills the image; tight, or with a thin light or black lid
  margin) and cards lying straight on a scanner's glass;
- ``moderate``: phone shots (tilt, perspective, mild blur, JPEG; on a desk, dark cloth or a printed
  form), half of them under a readable glare, and ID-scanner output (a flatbed-like crop, some blur);
- ``hard``: hand-held shots (strong tilt and perspective, blur, noise, dim light), every one under
  a strong glare that still leaves the text readable;
- ``washout``: glare burns out the name or the RRN: nothing can read it, the right answer is a
  refusal (the bench counts wrong reads, not reads).
``heavy`` is the old name of ``hard``. Everything is deterministic from the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import numpy as np

from devices.id.emulators.capture import Perturbation
from devices.id.emulators.card_render import render_card
from devices.id.emulators.designs import CardDesign
from devices.id.emulators.fonts import CardFont
from devices.id.emulators.identities import SyntheticIdentity, generate_identity
from devices.id.emulators.split import HELD_OUT, TUNING, design_split, designs, font_split, fonts
from devices.id.model import DocumentKind

LEVELS = ("clean", "moderate", "hard")
REFUSAL_LEVELS = ("washout",)
ALIASES = {"heavy": "hard"}
MIXED = "mixed"  # the bench's set: tuning and held-out faces and designs crossed


def canonical_level(name: str) -> str:
    level = ALIASES.get(name, name)
    if level not in LEVELS + REFUSAL_LEVELS:
        raise ValueError(f"unknown level {name!r} ({', '.join(LEVELS + REFUSAL_LEVELS)}; heavy = hard)")
    return level


@dataclass(frozen=True)
class CardSample:
    identity: SyntheticIdentity
    kind: DocumentKind
    font: CardFont
    design: CardDesign
    perturbation: Perturbation
    level: str

    @property
    def font_split(self) -> str:
        return font_split(self.font)

    @property
    def design_split(self) -> str:
        return design_split(self.design)

    @property
    def held_out(self) -> bool:
        """Anything on this card the reader was not tuned on."""
        return HELD_OUT in (self.font_split, self.design_split)

    @property
    def capture(self) -> str:
        p = self.perturbation
        if p.capture == "flatbed":
            return f"flatbed-{p.background}" + ("-margin" if p.margin else "")
        return f"camera-{p.background}" + (f"-glare-{p.glare_kind}" if p.glare else "")

    def render(self) -> np.ndarray:
        return render_card(self.identity, self.kind, self.perturbation, font=self.font, design=self.design)


def capture_for(level: str, seed: int) -> Perturbation:
    """The capture of one card at a level (see the module docstring)."""
    level = canonical_level(level)
    rng = np.random.default_rng(seed)

    def u(lo: float, hi: float) -> float:
        return float(rng.uniform(lo, hi))

    def flatbed(background: str, margin: float, blur: float = 0.0, jpeg: int = 0) -> Perturbation:
        return Perturbation(
            capture="flatbed",
            background=background,
            margin=margin,
            rotation_deg=u(-1.2, 1.2) if margin else 0.0,
            card_width_px=int(u(880, 1300)),
            noise_sigma=u(0.5, 2.0),
            blur_sigma=blur,
            jpeg_quality=jpeg,
            seed=seed,
        )

    def readable(base: Perturbation, strength: float, size: float) -> Perturbation:
        return replace(base, glare=strength, glare_size=size, glare_kind="readable",
                       glare_at=(u(0.1, 0.9), u(0.15, 0.85)))  # fmt: skip

    # neighbouring seeds (a resident card and a licence) share a variant; the // 8 term shifts the cycle
    # every four pairs, so in the bench's mix no face/design crossing is tied to one kind of capture
    variant = (seed // 2 + seed // 8) % 4
    if level == "clean":
        if variant == 0:
            return flatbed(str(rng.choice(["light", "black"])), 0.0)
        if variant in (1, 2):
            return flatbed("light" if variant == 1 else "black", u(0.02, 0.08))
        return Perturbation.level("clean", seed)
    if level == "moderate":
        if variant == 0:
            return flatbed(str(rng.choice(["light", "black"])), u(0.0, 0.05), u(0.4, 1.0), int(u(80, 92)))
        base = Perturbation.level("moderate", seed)
        if variant == 2:  # lying on a printed form
            base = replace(base, background="papers")
        if variant % 2:
            return readable(base, u(0.3, 0.55), u(0.12, 0.25))
        return replace(base, glare=0.0)
    if level == "hard":
        base = Perturbation.level("hard", seed)
        if variant == 2:
            base = replace(base, background="papers")
        return readable(base, u(0.45, 0.6), u(0.15, 0.3))
    base = Perturbation.level("moderate", seed)
    return replace(base, glare=1.0, glare_kind="washout", glare_field=str(rng.choice(["name", "rrn"])))


def card_samples(level: str, count: int, split: str = TUNING, seed: int = 0) -> list[CardSample]:
    """``count`` cards at ``level``, alternating resident cards and driver's licences.

    ``split`` is ``tuning`` (the only one tuning and tests may use), ``held_out`` or ``mixed`` (the
    bench: pairs of cards go held-out face and design, tuning face and design, held-out face on a
    tuning design, tuning face on a held-out design — the first cards are the ones that predict real
    cards, four cards hold both splits and every eight cross them). Faces and designs cycle within
    their split, so a few cards cover them. The same seed gives the same people, faces and designs at
    every level: only the capture differs between levels."""
    level = canonical_level(level)
    out = []
    used: dict[object, int] = {}  # how many cards each split (and split x kind) has had so far

    def turn(key: object) -> int:
        used[key] = used.get(key, -1) + 1
        return used[key] + seed

    for index in range(count):
        kind = DocumentKind.RESIDENT_CARD if index % 2 == 0 else DocumentKind.DRIVER_LICENSE
        if split == MIXED:
            pair = index // 2  # a resident card and a licence share a crossing
            font_held, design_held = pair % 2 == 0, (pair % 2) == (pair // 2) % 2
            font_side = HELD_OUT if font_held else TUNING
            design_side = HELD_OUT if design_held else TUNING
        else:
            font_side = design_side = split
        faces, kinds = fonts(font_side), designs(design_side, kind)
        card_seed = seed * 10_000 + index  # even base: a resident card and a licence share a variant
        out.append(
            CardSample(
                identity=generate_identity(random.Random(card_seed)),
                kind=kind,
                font=faces[turn(font_side) % len(faces)],
                design=kinds[turn((design_side, kind)) % len(kinds)],
                perturbation=capture_for(level, card_seed),
                level=level,
            )
        )
    return out
