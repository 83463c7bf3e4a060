"""Figures for the closing note and the bench: sample rate and pen-to-callback latency.

Latency is measured from the moment the emulator writes a pen-down report to the moment the driver's
``point`` subscriber runs with it (k-th report sent <-> k-th point delivered, so it is only meaningful
without injected faults). The line time of one packet (5 bytes at 19200 baud 8O1 = 2.9 ms) is paced by
the emulator after the write, so add it for the end-to-end figure of a real cable.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Sequence
from typing import Any

from config.sections.signature import SignatureSection
from devices.signature.emulator import EmulatedPad
from devices.signature.pad import SignaturePad
from devices.signature.record import SignaturePoint, strokes_of


def sample_rate_hz(points: Sequence[SignaturePoint]) -> float:
    """Samples per second inside strokes, from the points' own timestamps."""
    intervals = 0
    span_ms = 0
    for stroke in strokes_of(points):
        intervals += len(stroke) - 1
        span_ms += stroke[-1].t_ms - stroke[0].t_ms
    return intervals / (span_ms / 1000) if span_ms else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def summarize_ms(values_s: Sequence[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values_s]
    return {
        "median_ms": round(statistics.median(ms), 3) if ms else float("nan"),
        "p95_ms": round(percentile(ms, 0.95), 3),
        "max_ms": round(max(ms), 3) if ms else float("nan"),
        "n": len(ms),
    }


def bench_emulated(signature: str | None, runs: int, settings: SignatureSection) -> dict[str, Any]:
    """Replay ``runs`` signatures through the emulator and the driver; return the figures."""
    latencies: list[float] = []
    rates: list[float] = []
    wall_rates: list[float] = []
    document = hashlib.sha256(b"bench document").hexdigest()
    for _ in range(runs):
        with EmulatedPad(settings=settings) as emulator, SignaturePad(emulator.port_name, settings) as pad:
            arrivals: list[float] = []  # appended on the pad's reader thread only
            pad.on_point(lambda _p, arrivals=arrivals: arrivals.append(time.monotonic()))  # type: ignore[misc]
            pad.start_capture(document, None)
            emulator.replay(signature)
            pad.pen_left.wait(2.0)
            record = pad.finish()
            sent = [s.sent_at for s in emulator.sent if s.pen_down]
            latencies += [a - s for s, a in zip(sent, arrivals, strict=False)]
            rates.append(sample_rate_hz(record.points))
            if len(arrivals) > 1:
                wall_rates.append((len(arrivals) - 1) / (arrivals[-1] - arrivals[0]))
    return {
        "signature": signature or "default",
        "runs": runs,
        "configured_sample_rate_hz": settings.sample_rate_hz,
        "baud": settings.baud,
        "parity": settings.parity,
        "measured_sample_rate_hz": round(statistics.mean(rates), 2) if rates else 0.0,
        "delivered_points_per_s_incl_pen_up_gaps": round(statistics.mean(wall_rates), 2)
        if wall_rates
        else 0.0,
        "latency_pen_to_callback": summarize_ms(latencies),
        "line_time_per_packet_ms": round(5 * (10 + (settings.parity != "none")) / settings.baud * 1000, 3),
    }
