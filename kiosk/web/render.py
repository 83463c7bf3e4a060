"""How every page under ``/m`` is rendered: the language (``?lang=en``) and the high-contrast choice
follow every link of the page.

A module of its own so the page modules that ``kiosk.web.pages.install`` mounts (consent, 내 서류) need
not import ``pages`` back (tests/test_import_cycles.py counts lazy imports too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from kiosk.web.words import words

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def english(request: Request) -> bool:
    return request.query_params.get("lang") == "en"


def render_page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    en = english(request)
    contrast = request.query_params.get("contrast") == "high"
    keep = "&contrast=high" if contrast else ""
    base = {
        "en": en,
        "w": words(en),
        "contrast": contrast,
        "query": ("?lang=en" if en else "?lang=ko") + keep,
        "other_query": ("?lang=ko" if en else "?lang=en") + keep,
        "contrast_query": ("?lang=en" if en else "?lang=ko") + ("" if contrast else "&contrast=high"),
    }
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def hub_of(request: Request) -> Any:
    return request.app.state.hub
