"""On a device: the center CA pinned at enrollment, kept where hub.tls_ca_file says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.session import data_dir
from kiosk.api.trust import tls_files, write_public


def pinned_ca_file(settings: Any) -> Path:
    """hub.tls_ca_file, or <data dir>/tls/ca.pem: beside the device's token and database."""
    return tls_files(settings.hub, data_dir(settings.app.data_dir)).ca


def read_pinned_ca(settings: Any) -> bytes | None:
    path = pinned_ca_file(settings)
    return path.read_bytes() if path.is_file() else None


def keep_pinned_ca(settings: Any, ca_pem: bytes) -> Path:
    """Store the CA a device just pinned (public data; 0644 in a 0700 folder)."""
    path = pinned_ca_file(settings)
    write_public(path, ca_pem)
    return path


def remember_pinned_ca(settings: Any, pinned: bytes | None, known: bytes | None) -> bytes | None:
    """After an enrollment: keep a newly pinned CA and say where (stdout); the CA to use from now."""
    if pinned is None or pinned == known:
        return known
    path = keep_pinned_ca(settings, pinned)
    print(f"센터 CA 를 고정했어요 (pinned the center CA): {path}")
    return pinned
