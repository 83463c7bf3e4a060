"""The image backend of IdReader: frames from a camera, a scanner's drop folder, or an in-process
frame provider (the virtual scanner), read on a worker thread, reported as events."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from devices.id.image.pipeline import (
    GUIDANCE_CODES,
    CardImagePipeline,
    ImageReadOptions,
    load_image_file,
    warm_up,
)
from devices.id.model import (
    CardPresent,
    CardRemoved,
    Guidance,
    IdError,
    ReadError,
    Reading,
    ReadResult,
    ThreadedIdReader,
)

log = logging.getLogger(__name__)

FrameProvider = Callable[[], np.ndarray | None]
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"}


class CameraSource:
    """cv2.VideoCapture on a camera index ("0") or a device path ("/dev/video0")."""

    def __init__(self, spec: str | int) -> None:
        import cv2

        target: str | int = int(spec) if isinstance(spec, int) or str(spec).isdigit() else str(spec)
        self.capture = cv2.VideoCapture(target)
        if not self.capture.isOpened():
            raise IdError("camera_unavailable", str(spec))

    def __call__(self) -> np.ndarray | None:
        ok, frame = self.capture.read()
        return frame if ok else None

    def close(self) -> None:
        self.capture.release()


class DropFolderSource:
    """A document scanner saves each scan as a file; each file is one read. The file holds an
    unmasked card, so it is deleted once read (``delete_after_read``)."""

    def __init__(self, folder: str | Path, delete_after_read: bool = True) -> None:
        self.folder = Path(folder)
        self.delete_after_read = delete_after_read
        self._seen: set[Path] = set()

    def next_file(self) -> Path | None:
        if not self.folder.is_dir():
            return None
        for path in sorted(self.folder.iterdir(), key=lambda p: p.stat().st_mtime if p.exists() else 0):
            # dot-files are scans still being written (written to a temporary name, then renamed)
            if (
                path.suffix.lower() in IMAGE_SUFFIXES
                and not path.name.startswith(".")
                and path not in self._seen
            ):
                return path
        return None

    def done(self, path: Path) -> None:
        self._seen.add(path)
        if self.delete_after_read:
            path.unlink(missing_ok=True)
            self._seen.discard(path)


class ImageIdReader(ThreadedIdReader):
    """``source``: a camera index/path (str or int), a drop-folder path, or a callable frame provider.

    Camera and provider frames are read continuously: guidance is emitted when it changes, one
    ReadResult per card placement (the next read waits until the card is taken away).
    """

    thread_name = "image-id-reader"
    join_timeout_s = 15.0

    def __init__(
        self,
        source: str | int | Path | FrameProvider,
        options: ImageReadOptions | None = None,
        delete_after_read: bool = True,
        interval: float = 0.1,
    ) -> None:
        super().__init__()
        self.pipeline = CardImagePipeline(options)
        self.source = source
        self.delete_after_read = delete_after_read
        self.interval = interval

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        warm_up()  # the models load while the person walks up, not on their first card
        try:
            if isinstance(self.source, Path) or (isinstance(self.source, str) and Path(self.source).is_dir()):
                self._run_folder(DropFolderSource(self.source, self.delete_after_read))
            elif callable(self.source):
                self._run_frames(self.source, None)
            else:
                camera = CameraSource(self.source)
                try:
                    self._run_frames(camera, camera)
                finally:
                    camera.close()
        except IdError as exc:
            self.emit(ReadError.of(exc))
        except Exception:  # the worker must report, not die silently
            log.exception("image reader stopped")
            self.emit(ReadError.of(IdError("unreadable", "reader stopped")))

    def _run_folder(self, folder: DropFolderSource) -> None:
        while not self._stop.is_set():
            path = folder.next_file()
            if path is None:
                self._stop.wait(self.interval)
                continue
            time.sleep(0.05)  # let the scanner finish writing the file
            self.emit(CardPresent(str(folder.folder)))
            self.emit(Reading(str(folder.folder)))
            try:
                frame = load_image_file(path, self.pipeline.options)
                self.emit(ReadResult(self.pipeline.read(frame)))
            except IdError as exc:
                self.emit(Guidance.of(exc.code) if exc.code in GUIDANCE_CODES else ReadError.of(exc))
            finally:
                folder.done(path)
            self.emit(CardRemoved(str(folder.folder)))

    def _run_frames(self, provider: FrameProvider, camera: CameraSource | None) -> None:
        present = False
        done_with_card = False
        last_guidance = ""
        while not self._stop.is_set():
            frame = provider()
            if frame is None:
                if present:
                    self.emit(CardRemoved())
                present, done_with_card, last_guidance = False, False, ""
                self._stop.wait(self.interval)
                continue
            try:
                located = self.pipeline.locate(frame)
            except IdError as exc:
                if exc.code == "no_card":
                    if present:
                        self.emit(CardRemoved())
                    present, done_with_card = False, False
                if exc.code != last_guidance:
                    self.emit(Guidance.of(exc.code) if exc.code in GUIDANCE_CODES else ReadError.of(exc))
                    last_guidance = exc.code
                self._stop.wait(self.interval)
                continue
            if not present:
                present = True
                self.emit(CardPresent())
            if done_with_card:
                self._stop.wait(self.interval)
                continue
            self.emit(Reading())
            try:
                document = self.pipeline.read_located(located)
            except IdError as exc:
                if exc.code != last_guidance:
                    self.emit(Guidance.of(exc.code) if exc.code in GUIDANCE_CODES else ReadError.of(exc))
                    last_guidance = exc.code
                self._stop.wait(self.interval)
                continue
            self.emit(ReadResult(document))
            done_with_card, last_guidance = True, ""
