"""Korean and English through Qt's translation system.

Source strings in the code are Korean (``self.tr("...")``); ``lobby_en.ts`` translates them to English and
``lobby_ko.ts`` keeps the Korean as is (so a reviewer sees every string in one place). The ``.qm`` files
are built from the ``.ts`` sources with ``pyside6-lrelease`` on first use when missing (they are not
committed), into this package's folder or, when that is read-only, a cache folder.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

LANGUAGES = ("ko", "en")
CATALOGUE = "lobby"
_HERE = Path(__file__).parent
log = logging.getLogger(__name__)


def _lrelease() -> str:
    beside_python = Path(sys.executable).parent / "pyside6-lrelease"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if not found:
        raise FileNotFoundError("pyside6-lrelease not found (install PySide6-Essentials)")
    return found


def build_qm(language: str, out_dir: Path | None = None) -> Path:
    """Compile ``lobby_<language>.ts`` to ``.qm`` (next to it, or in ``out_dir``) and return its path."""
    source = _HERE / f"{CATALOGUE}_{language}.ts"
    target_dir = out_dir or _HERE
    target = target_dir / f"{CATALOGUE}_{language}.qm"
    subprocess.run([_lrelease(), "-silent", str(source), "-qm", str(target)], check=True, timeout=60)
    return target


def qm_path(language: str) -> Path:
    """The compiled catalogue for ``language``, built now if it is missing or older than its source."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; allowed: {', '.join(LANGUAGES)}")
    source = _HERE / f"{CATALOGUE}_{language}.ts"
    for folder in (_HERE, Path(tempfile.gettempdir()) / "paperless-kiosk-i18n"):
        qm = folder / f"{CATALOGUE}_{language}.qm"
        if qm.exists() and qm.stat().st_mtime >= source.stat().st_mtime:
            return qm
    try:
        return build_qm(language)
    except OSError:
        cache = Path(tempfile.gettempdir()) / "paperless-kiosk-i18n"
        cache.mkdir(parents=True, exist_ok=True)
        return build_qm(language, cache)


_installed: dict[str, QTranslator] = {}  # one translator per process (there is one QApplication)


class LanguageSwitch:
    """Swaps the process's one lobby QTranslator; Qt then sends LanguageChange to every widget."""

    def __init__(self) -> None:
        self.language = "ko"

    def set_language(self, language: str) -> None:
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("no QApplication")
        path = qm_path(language)
        translator = QTranslator()
        if not translator.load(str(path)):
            raise RuntimeError(f"cannot load translation {path}")
        previous = _installed.pop("lobby", None)
        if previous is not None:
            QCoreApplication.removeTranslator(previous)
        QCoreApplication.installTranslator(translator)
        _installed["lobby"] = translator
        self.language = language
