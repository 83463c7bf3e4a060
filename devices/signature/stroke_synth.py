"""Synthetic handwriting: smooth pen strokes with human-like timing and pressure.

Used to make the shipped stroke files (``python -m devices.signature.stroke_synth``) and by tests and
benches to make marks of known shape (a dot, a short line, a scribble). A stroke is given as a few
control points; it is drawn as a Catmull-Rom spline, and time is assigned with the two-thirds power law
of human movement (the pen slows down in tight curves: speed ∝ radius^(1/3)) under a bell-shaped
speed envelope, then sampled at the pad's sample rate. Pressure rises when the tip lands, falls before
lift-off and is a little higher when the pen moves slowly.

Units: millimetres in the signing area (x right, y down); time in ms from the first sample.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

Sample = tuple[float, float, int, float]  # x_mm, y_mm, t_ms, pressure 0..1
Point = tuple[float, float]


@dataclass(frozen=True)
class StrokeFile:
    """A replayable signature: strokes of samples in mm and ms, and the area they were drawn in."""

    name: str
    label: str
    area_mm: tuple[float, float]
    sample_rate_hz: int
    strokes: tuple[tuple[Sample, ...], ...]

    @property
    def duration_ms(self) -> int:
        return self.strokes[-1][-1][2] if self.strokes else 0

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "units": "x, y in mm inside the signing area (x right, y down); t in ms; pressure 0..1",
            "area_mm": list(self.area_mm),
            "sample_rate_hz": self.sample_rate_hz,
            "strokes": [
                [[round(x, 2), round(y, 2), t, round(p, 3)] for x, y, t, p in s] for s in self.strokes
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> StrokeFile:
        """Parse a stroke file; ValueError when it is not one."""
        try:
            area = data["area_mm"]
            raw_strokes = data["strokes"]
            if not isinstance(area, list) or not isinstance(raw_strokes, list):
                raise TypeError("area_mm and strokes must be lists")
            strokes = tuple(
                tuple((float(x), float(y), int(t), float(p)) for x, y, t, p in stroke)
                for stroke in raw_strokes
            )
            rate = data["sample_rate_hz"]
            if not isinstance(rate, int) or rate <= 0:
                raise TypeError("sample_rate_hz must be a positive integer")
            return cls(str(data["name"]), str(data["label"]), (float(area[0]), float(area[1])), rate, strokes)
        except (KeyError, TypeError, ValueError, IndexError, OverflowError) as exc:
            raise ValueError(f"not a stroke file: {exc}") from exc


def _catmull_rom(points: Sequence[Point], per_segment: int = 24) -> list[Point]:
    if len(points) == 1:
        return [points[0]]
    ext = [points[0], *points, points[-1]]
    out: list[Point] = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        for k in range(per_segment):
            t = k / per_segment
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[j]
                        + (-p0[j] + p2[j]) * t
                        + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2
                        + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3
                    )
                    for j in (0, 1)
                )
            )
    out.append(points[-1])
    return out


def _timed_path(path: Sequence[Point], mean_speed: float) -> list[tuple[Point, float]]:
    """(point, seconds since the stroke began) along a dense path, by the two-thirds power law."""
    if len(path) < 2:
        return [(path[0], 0.0)]
    seg = [math.dist(a, b) for a, b in itertools.pairwise(path)]
    radius = [10.0]
    for a, b, c in zip(path, path[1:], path[2:], strict=False):
        ab, bc, ca = math.dist(a, b), math.dist(b, c), math.dist(c, a)
        area2 = abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
        radius.append(10.0 if area2 < 1e-9 else min(10.0, ab * bc * ca / (2 * area2)))
    radius.append(10.0)
    total = sum(seg) or 1e-6
    raw_speed = []
    walked = 0.0
    for i, s in enumerate(seg):
        u = (walked + s / 2) / total
        envelope = 0.25 + 0.75 * math.sin(math.pi * u)  # pen accelerates, cruises, slows to lift
        r = (radius[i] + radius[i + 1]) / 2
        raw_speed.append(envelope * max(0.3, r) ** (1 / 3))
        walked += s
    # scale so the stroke takes total/mean_speed seconds overall
    raw_time = sum(s / v for s, v in zip(seg, raw_speed, strict=True))
    k = raw_time / (total / mean_speed)
    timed, t = [(path[0], 0.0)], 0.0
    for point, s, v in zip(path[1:], seg, raw_speed, strict=True):
        t += s / (v * k)
        timed.append((point, t))
    return timed


def synthesize(
    strokes: Sequence[Sequence[Point]],
    sample_rate_hz: int = 120,
    mean_speed_mm_s: float = 90.0,
    seed: int = 0,
) -> tuple[tuple[Sample, ...], ...]:
    """Sampled strokes from control points in mm: smooth, timed, with pressure and a little tremor."""
    rng = random.Random(seed)
    period = 1.0 / sample_rate_hz
    out: list[tuple[Sample, ...]] = []
    clock = 0.0
    last_end: Point | None = None
    for control in strokes:
        if last_end is not None:  # pen travels in the air to the next stroke
            clock += 0.06 + math.dist(last_end, control[0]) / 250.0 + rng.uniform(0.0, 0.05)
        timed = _timed_path(_catmull_rom(control), mean_speed_mm_s * rng.uniform(0.85, 1.15))
        duration = timed[-1][1]
        n = max(1, int(duration / period) + 1)
        samples: list[Sample] = []
        j = 0
        phase = rng.uniform(0, 2 * math.pi)
        for i in range(n):
            t = i * period
            while j < len(timed) - 2 and timed[j + 1][1] < t:
                j += 1
            (a, ta), (b, tb) = timed[j], timed[min(j + 1, len(timed) - 1)]
            u = 0.0 if tb <= ta else min(1.0, max(0.0, (t - ta) / (tb - ta)))
            tremor = 0.05 * math.sin(2 * math.pi * 9.0 * t + phase)  # ~9 Hz physiological tremor, 0.05 mm
            x = a[0] + (b[0] - a[0]) * u + tremor
            y = a[1] + (b[1] - a[1]) * u - tremor
            land = min(1.0, t / 0.04) if duration > 0 else 1.0
            lift = min(1.0, (duration - t) / 0.05) if duration > 0 else 1.0
            speed = math.dist(a, b) / max(tb - ta, 1e-6) if tb > ta else 0.0
            pressure = (0.45 + 0.3 * min(land, lift) - min(0.15, speed / 1500.0)) * rng.uniform(0.97, 1.03)
            samples.append((x, y, round((clock + t) * 1000), max(0.05, min(1.0, pressure))))
        out.append(tuple(samples))
        clock += n * period
        last_end = control[-1]
    return tuple(out)


# --- Names, as a signer writes them: control points in a 1x1 box per syllable (y down) ----------------
# Each inner list is one pen-down stroke; cursive signers join jamo, so several jamo share a stroke.
_GLYPHS: dict[str, list[list[Point]]] = {
    "김": [
        [(0.1, 0.15), (0.5, 0.14), (0.42, 0.5)],
        [(0.72, 0.05), (0.7, 0.6)],
        [(0.28, 0.66), (0.25, 0.95), (0.72, 0.93), (0.76, 0.66), (0.28, 0.66)],
    ],
    "민": [
        [(0.12, 0.1), (0.1, 0.44), (0.48, 0.44), (0.5, 0.12), (0.12, 0.1)],
        [(0.72, 0.04), (0.7, 0.6)],
        [(0.22, 0.6), (0.2, 0.9), (0.88, 0.88)],
    ],
    "준": [
        [(0.2, 0.1), (0.76, 0.1), (0.3, 0.4), (0.5, 0.26), (0.76, 0.42)],
        [(0.05, 0.52), (0.95, 0.5), (0.5, 0.5), (0.5, 0.7)],
        [(0.2, 0.72), (0.2, 0.95), (0.86, 0.94)],
    ],
    "이": [
        [(0.35, 0.22), (0.13, 0.4), (0.2, 0.72), (0.48, 0.74), (0.58, 0.45), (0.36, 0.22)],
        [(0.78, 0.04), (0.76, 0.96)],
    ],
    "서": [
        [(0.42, 0.08), (0.3, 0.5), (0.12, 0.86)],
        [(0.3, 0.45), (0.62, 0.84), (0.62, 0.46), (0.8, 0.44)],
        [(0.86, 0.04), (0.85, 0.96)],
    ],
    "연": [
        [(0.3, 0.1), (0.12, 0.26), (0.22, 0.46), (0.44, 0.4), (0.46, 0.2), (0.3, 0.1)],
        [(0.54, 0.2), (0.72, 0.2), (0.55, 0.3), (0.72, 0.38)],
        [(0.8, 0.04), (0.79, 0.62)],
        [(0.2, 0.66), (0.19, 0.93), (0.88, 0.92)],
    ],
    "박": [
        [(0.1, 0.1), (0.1, 0.46), (0.4, 0.46), (0.4, 0.1)],
        [(0.1, 0.28), (0.4, 0.28)],
        [(0.62, 0.04), (0.6, 0.62), (0.6, 0.3), (0.82, 0.3)],
        [(0.2, 0.7), (0.76, 0.68), (0.72, 0.98)],
    ],
    "지": [[(0.1, 0.2), (0.55, 0.2), (0.15, 0.86)], [(0.35, 0.5), (0.62, 0.86)], [(0.82, 0.04), (0.8, 0.96)]],
    "훈": [
        [(0.42, 0.02), (0.6, 0.05)],
        [(0.2, 0.15), (0.8, 0.16), (0.5, 0.22), (0.38, 0.32), (0.5, 0.4), (0.62, 0.3), (0.5, 0.22)],
        [(0.04, 0.52), (0.96, 0.5), (0.5, 0.5), (0.5, 0.68)],
        [(0.2, 0.72), (0.2, 0.96), (0.86, 0.95)],
    ],
}

SIGNATURES: dict[str, tuple[str, list[list[Point]]]] = {}


def _name(label: str, slant: float = 0.22, extra: list[list[Point]] | None = None) -> list[list[Point]]:
    strokes: list[list[Point]] = []
    for i, syllable in enumerate(label):
        for stroke in _GLYPHS[syllable]:
            strokes.append([(i * 0.92 + x - slant * (y - 0.5), y + 0.04 * i) for x, y in stroke])
    return strokes + (extra or [])


SIGNATURES = {
    "kim-minjun": ("김민준", _name("김민준")),
    "lee-seoyeon": ("이서연", _name("이서연", slant=0.15)),
    "park-jihun": ("박지훈", _name("박지훈", extra=[[(-0.1, 1.25), (1.2, 1.12), (2.4, 1.1), (2.95, 0.95)]])),
    "initials-mj": (
        "MJ",
        [
            [(0.0, 1.0), (0.15, 0.0), (0.45, 0.8), (0.75, 0.0), (0.9, 1.0)],
            [(1.5, 0.0), (1.45, 0.85), (1.2, 1.0), (1.0, 0.8)],
            [(-0.1, 1.2), (1.0, 1.1), (1.8, 0.95)],
        ],
    ),
}


def layout(strokes: list[list[Point]], area_mm: tuple[float, float], seed: int) -> list[list[Point]]:
    """Scale unit-box strokes into the signing area (keeping proportions) with hand-made wobble."""
    rng = random.Random(seed)
    jittered = [[(x + rng.gauss(0, 0.015), y + rng.gauss(0, 0.015)) for x, y in s] for s in strokes]
    xs = [x for s in jittered for x, _ in s]
    ys = [y for s in jittered for _, y in s]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    scale = min(area_mm[0] * 0.8 / w, area_mm[1] * 0.75 / h)
    ox = (area_mm[0] - w * scale) / 2 - min(xs) * scale
    oy = (area_mm[1] - h * scale) / 2 - min(ys) * scale
    return [[(ox + x * scale, oy + y * scale) for x, y in s] for s in jittered]


def make_stroke_file(name: str, area_mm: tuple[float, float] = (123.9, 37.2), rate: int = 120) -> StrokeFile:
    label, unit_strokes = SIGNATURES[name]
    seed = sum(map(ord, name))
    strokes = synthesize(layout(unit_strokes, area_mm, seed), sample_rate_hz=rate, seed=seed)
    return StrokeFile(name, label, area_mm, rate, strokes)


STROKES_DIR = Path(__file__).parent / "strokes"


def write_all(directory: Path = STROKES_DIR) -> list[Path]:
    """Regenerate the shipped stroke files (deterministic)."""
    paths = []
    for name in SIGNATURES:
        path = directory / f"{name}.json"
        path.write_text(
            json.dumps(make_stroke_file(name).to_json(), ensure_ascii=False) + "\n", encoding="utf-8"
        )
        paths.append(path)
    return paths


if __name__ == "__main__":  # pragma: no cover - a developer tool
    for written in write_all():
        print(written)
