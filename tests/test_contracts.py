"""The import contracts of docs/ARCHITECTURE.md hold: `lint-imports` from the venv passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_lint_imports_passes() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=280
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_contracts_cover_the_boundaries_of_the_architecture() -> None:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    forbidden = {
        (tuple(c["source_modules"]), tuple(c["forbidden_modules"]))
        for c in contracts
        if c["type"] == "forbidden"
    }
    assert any("PySide6" in f and "db" in s and "devices" in s for s, f in forbidden)
    assert (("devices", "printers", "db"), ("kiosk", "ui")) in forbidden
    assert any(s == ("config",) and {"kiosk", "db", "ui"} <= set(f) for s, f in forbidden)


def test_contracts_keep_the_wire_contract_outside_the_server() -> None:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    forbidden = {
        (tuple(c["source_modules"]), tuple(c["forbidden_modules"]))
        for c in contracts
        if c["type"] == "forbidden"
    }
    assert (("kiosk.client",), ("kiosk.hub",)) in forbidden
    assert (("ui",), ("kiosk.hub",)) in forbidden
    routes = {m.stem for m in (ROOT / "kiosk" / "hub").glob("routes_*.py")}
    independent = [c for c in contracts if c["type"] == "independence"]
    assert any({m.rpartition(".")[2] for m in c["modules"]} == routes for c in independent), routes
