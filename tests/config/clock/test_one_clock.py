"""One clock: no module picks a time zone of its own (ruff's DTZ rules catch naive calls; this catches
an aware call in a hard-coded zone, which DTZ lets through)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("kiosk", "db", "devices", "printers", "ui", "config")
# The clock itself, and the settings validator that checks app.timezone names a real zone.
ALLOWED = {"config/clock.py", "config/sections/app.py"}
ZONE_PICKED = re.compile(r"ZoneInfo\(|Asia/Seoul|\.astimezone\(\)|time\.localtime|time\.strftime")


def test_only_the_center_clock_chooses_a_time_zone() -> None:
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in ALLOWED or "/migrations/" in rel:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if ZONE_PICKED.search(code):
                    offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == [], "use config.clock instead:\n" + "\n".join(offenders)
