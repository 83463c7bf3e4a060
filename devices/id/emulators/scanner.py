"""The virtual scanner: a frame provider for ImageIdReader (what the lobby demo's "camera" sees).

``place(identity, kind, perturbation, font=..., design=...)`` puts a rendered card on the glass,
``remove()`` takes it away; ``save_to(folder)`` acts as a document scanner writing one scan into its
drop folder."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np

from devices.id.emulators.card_render import Perturbation, render_card
from devices.id.emulators.designs import CardDesign
from devices.id.emulators.fonts import CardFont
from devices.id.emulators.identities import SyntheticIdentity
from devices.id.model import DocumentKind


class VirtualScanner:
    def __init__(self, frame_size: tuple[int, int] = (1400, 1000)) -> None:
        self.frame_size = frame_size
        self._empty = np.full((frame_size[1], frame_size[0], 3), 235, np.uint8)
        self._frame: np.ndarray | None = self._empty
        self._lock = threading.Lock()

    def place(
        self,
        identity: SyntheticIdentity,
        kind: DocumentKind,
        perturbation: Perturbation | None = None,
        *,
        font: CardFont | None = None,
        design: CardDesign | None = None,
    ) -> np.ndarray:
        p = perturbation or Perturbation(background="scanner")
        frame = render_card(identity, kind, p, font=font, design=design)
        with self._lock:
            self._frame = frame
        return frame

    def remove(self) -> None:
        with self._lock:
            self._frame = self._empty

    def unplug(self) -> None:
        """The camera delivers nothing (disconnected)."""
        with self._lock:
            self._frame = None

    def __call__(self) -> np.ndarray | None:
        with self._lock:
            return self._frame

    @staticmethod
    def save_to(
        folder: Path,
        identity: SyntheticIdentity,
        kind: DocumentKind,
        perturbation: Perturbation | None = None,
        name: str = "scan.png",
        *,
        font: CardFont | None = None,
        design: CardDesign | None = None,
    ) -> Path:
        """Write a scan the way a scanner does: to a temporary name, then renamed into place."""
        folder.mkdir(parents=True, exist_ok=True)
        p = perturbation or Perturbation(background="scanner")
        frame = render_card(identity, kind, p, font=font, design=design)
        partial = folder / f".{name}.part.png"
        cv2.imwrite(str(partial), frame)
        final = folder / name
        partial.replace(final)
        return final
