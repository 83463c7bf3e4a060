"""No import guards around our own modules (issue 14, item 3).

A `try: from kiosk.visit import ...` / `except ImportError:` once let a broken kiosk.visit leave the
lobby storing no visits, silently. Our modules ship together: if one fails to import, that is a bug
and must raise. This scans the source (ast) for a `try` whose body imports one of our packages and
whose handler would swallow the ImportError (ImportError, ModuleNotFoundError, Exception,
BaseException or a bare `except`), and for `contextlib.suppress(ImportError)` around such imports.
Guards around optional third-party packages are not ours to forbid here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = ("kiosk", "db", "config", "devices", "printers", "ui")
SWALLOWS_IMPORT_ERROR = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _first_party_imports(statements: list[ast.stmt]) -> list[str]:
    found: list[str] = []
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Import):
                found += [alias.name for alias in node.names if alias.name.split(".")[0] in FIRST_PARTY]
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level > 0 or module.split(".")[0] in FIRST_PARTY:
                    found.append("." * node.level + module)
    return found


def _names(expression: ast.expr | None) -> set[str]:
    if expression is None:
        return {"<bare except>"}
    items = expression.elts if isinstance(expression, ast.Tuple) else [expression]
    return {item.id if isinstance(item, ast.Name) else getattr(item, "attr", "") for item in items}


def _swallowed(names: set[str]) -> set[str]:
    return names & (SWALLOWS_IMPORT_ERROR | {"<bare except>"})


def guards_in(source: str, filename: str) -> list[str]:
    """`file:line: caught by (...) around import ...` for every guard around a first-party import."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Try | ast.TryStar):
            imports = _first_party_imports(node.body)
            caught = set().union(*(_swallowed(_names(handler.type)) for handler in node.handlers))
            if imports and caught:
                found.append(f"{filename}:{node.lineno}: {sorted(caught)} around import {imports}")
        elif isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if not (isinstance(call, ast.Call) and _names(call.func) & {"suppress"}):
                    continue
                caught = set().union(*(_swallowed(_names(arg)) for arg in call.args))
                imports = _first_party_imports(node.body)
                if imports and caught:
                    found.append(f"{filename}:{node.lineno}: suppress{sorted(caught)} around {imports}")
    return found


def _sources() -> list[Path]:
    files = [path for package in FIRST_PARTY for path in sorted((ROOT / package).rglob("*.py"))]
    return [path for path in files if "migrations/versions" not in path.as_posix()]


def test_the_source_has_no_guard_around_our_own_imports() -> None:
    sources = _sources()
    assert len(sources) > 100, "the scan found too few files: wrong root?"
    guards = [g for path in sources for g in guards_in(path.read_text(), str(path.relative_to(ROOT)))]
    assert guards == [], "import our own modules plainly, a broken one must fail loudly:\n" + "\n".join(
        guards
    )


@pytest.mark.parametrize(
    "source",
    [
        "try:\n    from kiosk.visit import VisitService\nexcept ImportError:\n    VisitService = None\n",
        "try:\n    import db.audit\nexcept (ValueError, ModuleNotFoundError):\n    pass\n",
        "def f():\n    try:\n        from ui.chat import Panel\n    except Exception:\n        return None\n",
        "try:\n    from . import sibling\nexcept:\n    pass\n",
        "import contextlib\nwith contextlib.suppress(ImportError):\n    import printers.escpos\n",
    ],
    ids=["import-error", "module-not-found-in-tuple", "exception-in-function", "relative-bare", "suppress"],
)
def test_the_scan_catches_each_form_of_guard(source: str) -> None:
    assert len(guards_in(source, "example.py")) == 1


@pytest.mark.parametrize(
    "source",
    [
        # an optional third-party package may be guarded
        "try:\n    import smartcard\nexcept ImportError:\n    smartcard = None\n",
        # a failure while *using* our module, not importing it, is handled by the handler's own rules
        "from db.crypto import keyring_for\ntry:\n    keyring_for(1)\nexcept Exception:\n    pass\n",
        # a narrow handler does not swallow an ImportError
        "try:\n    from kiosk.visit import VisitService\nexcept KeyError:\n    pass\n",
    ],
    ids=["third-party", "import-outside-try", "narrow-handler"],
)
def test_the_scan_leaves_honest_code_alone(source: str) -> None:
    assert guards_in(source, "example.py") == []
