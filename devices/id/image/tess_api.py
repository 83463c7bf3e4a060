"""Tesseract in-process: the system's libtesseract through its C API, the model loaded once.

Each CLI run re-loads the kor traineddata (100+ ms) before reading a few text lines; here two worker
threads each keep one TessBaseAPI per (tessdata, lang), created on first use and reused (the page
segmentation mode is set per run), so a run costs only the recognition. ctypes releases the GIL
around every foreign call, so the two workers use the two cores at once. It is the very library the
``tesseract`` CLI runs (Debian's libtesseract5), fed the same pixels, and the words come out through
the same TSV writer (``TessBaseAPIGetTsvText``): both paths give the same words, boxes, confidences
and block/paragraph/line ids, read by one parser.

(The tesserocr wheel was tried first: it bundles its own libtesseract 5.5, whose LSTM reads differ from
Debian's 5.3 on some lines — an MRZ name came out "SO0OJIN" — so it would have changed what cards say.)

`submit` returns None when the backend cannot be used (no libtesseract, no tessdata, an API that fails
to initialise); the caller then runs the CLI. The reason is logged once.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

# Before libgomp loads with libtesseract: OpenMP's workers spin longer than the LSTM works on a few
# lines (2-3x slower on two cores); the CLI path sets the same for each run.
os.environ["OMP_THREAD_LIMIT"] = "1"

log = logging.getLogger(__name__)

WORKERS = 2  # the kiosk PC's two cores
TIMEOUT_MS = 15_000  # Tesseract's own deadline for one recognition (the CLI path's timeout)
OEM_LSTM_ONLY = 1
TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
LIBRARY_NAMES = ("libtesseract.so.5", "libtesseract.so.4")
# Where Debian's tesseract-ocr-* packages (5.x, then 4.x) and a source build put the models.
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
_P, _S, _I = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
_TEXT = ctypes.POINTER(ctypes.c_char)  # a string Tesseract allocated (freed with TessDeleteText)
_SIGNATURES = {
    "TessVersion": ([], _S),
    "TessBaseAPICreate": ([], _P),
    "TessBaseAPIInit2": ([_P, _S, _S, _I], _I),
    "TessBaseAPISetPageSegMode": ([_P, _I], None),
    "TessBaseAPISetVariable": ([_P, _S, _S], _I),
    "TessBaseAPISetImage": ([_P, _S, _I, _I, _I, _I], None),
    "TessBaseAPIRecognize": ([_P, _P], _I),
    "TessBaseAPIGetTsvText": ([_P, _I], _TEXT),
    "TessDeleteText": ([_TEXT], None),
    "TessBaseAPIClear": ([_P], None),
    "TessBaseAPIEnd": ([_P], None),
    "TessBaseAPIDelete": ([_P], None),
    "TessMonitorCreate": ([], _P),
    "TessMonitorSetDeadlineMSecs": ([_P, _I], None),
    "TessMonitorDelete": ([_P], None),
}


@cache
def library() -> ctypes.CDLL | None:
    """The system libtesseract with the C API's signatures declared, or None (then the CLI reads)."""
    names = [ctypes.util.find_library("tesseract"), *LIBRARY_NAMES]
    for name in filter(None, names):
        try:
            lib = ctypes.CDLL(name)
            for function, (arguments, result) in _SIGNATURES.items():
                getattr(lib, function).argtypes = arguments
                getattr(lib, function).restype = result
        except (OSError, AttributeError):
            continue
        return lib
    return None


def version() -> str:
    lib = library()
    return lib.TessVersion().decode() if lib is not None else ""


class BackendUnavailable(RuntimeError):
    """The in-process backend cannot run this read; the CLI should."""


_disabled: list[str] = []  # the first reason the backend was turned off (logged once)
_lock = threading.Lock()
_local = threading.local()
_executor: ThreadPoolExecutor | None = None
_handles: list[int] = []  # every API created, freed at exit


def disable(reason: str) -> None:
    with _lock:
        if _disabled:
            return
        _disabled.append(reason)
    log.warning("in-process Tesseract off, OCR runs the tesseract CLI per read: %s", reason)


def disabled_reason() -> str | None:
    return _disabled[0] if _disabled else None


def tessdata_dir() -> str | None:
    """TESSDATA_PREFIX when it holds models, else the first system folder with traineddata."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    for folder in candidates:
        if folder and any(Path(folder).glob("*.traineddata")):
            return folder.rstrip("/") + "/"
    return None


@cache
def model_installed(lang: str) -> bool:
    """Whether ``lang``'s traineddata is in the tessdata folder (an optional model, say chi_tra).
    Looked up once: every card asks, and the folder does not change while the kiosk runs."""
    folder = tessdata_dir()
    return folder is not None and Path(folder, f"{lang}.traineddata").is_file()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="tesseract")
        return _executor


class _Api:
    """One TessBaseAPI handle, used by one worker thread only."""

    def __init__(self, lib: ctypes.CDLL, path: str, lang: str) -> None:
        self.lib, self.handle = lib, lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit2(self.handle, path.encode(), lang.encode(), OEM_LSTM_ONLY) != 0:
            lib.TessBaseAPIDelete(self.handle)
            raise BackendUnavailable(f"cannot load {lang} from {path}")
        self.psm = -1
        with _lock:
            _handles.append(self.handle)

    def set(self, name: str, value: str) -> None:
        self.lib.TessBaseAPISetVariable(self.handle, name.encode(), value.encode())

    def read(self, data: bytes, width: int, height: int, channels: int, psm: int) -> str | None:
        """The TSV of one image (kept alive by the caller), or None when Tesseract gave up."""
        lib, handle = self.lib, self.handle
        if psm != self.psm:  # one model serves every mode: a line read (7) beside the stacks (6)
            lib.TessBaseAPISetPageSegMode(handle, psm)
            self.psm = psm
        lib.TessBaseAPISetImage(handle, data, width, height, channels, width * channels)
        monitor = lib.TessMonitorCreate()
        try:
            lib.TessMonitorSetDeadlineMSecs(monitor, TIMEOUT_MS)
            if lib.TessBaseAPIRecognize(handle, monitor) != 0:
                return None
            text = lib.TessBaseAPIGetTsvText(handle, 0)
            try:
                return ctypes.string_at(text).decode("utf-8", "replace") if text else ""
            finally:
                lib.TessDeleteText(text)
        finally:
            lib.TessMonitorDelete(monitor)
            lib.TessBaseAPIClear(handle)


@atexit.register
def _end_all() -> None:
    """Free the models at exit (the pool's workers are joined before atexit handlers run), else
    libtesseract's object cache prints a LEAK warning per dictionary."""
    lib = library()
    with _lock:
        handles, _handles[:] = list(_handles), []
    if lib is None:
        return
    for handle in handles:
        lib.TessBaseAPIEnd(handle)
        lib.TessBaseAPIDelete(handle)


def _api(lang: str) -> _Api:
    """This worker thread's API for ``lang`` from the tessdata folder, loaded once."""
    lib, path = library(), tessdata_dir()
    if lib is None or path is None:
        raise BackendUnavailable("no libtesseract" if lib is None else "no tessdata")
    apis: dict[tuple[str, str], _Api] = _local.__dict__.setdefault("apis", {})
    if (path, lang) not in apis:
        apis[path, lang] = _Api(lib, path, lang)
    return apis[path, lang]


def _pixels(image: np.ndarray) -> tuple[bytes, int, int, int]:
    """Raw bytes for SetImage: grey as is, BGR(A) as RGB(A) (what the CLI's PNG carries)."""
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 3:
        image = image[:, :, [2, 1, 0, 3][: image.shape[2]]]
    channels = 1 if image.ndim == 2 else image.shape[2]
    height, width = image.shape[:2]
    return np.ascontiguousarray(image).tobytes(), width, height, channels


def recognise(image: np.ndarray, lang: str, psm: int, whitelist: str) -> str | None:
    """One run in this thread: the TSV text, or None when Tesseract gave up (timeout)."""
    api = _api(lang)
    data, width, height, channels = _pixels(image)
    if whitelist:  # as the CLI's -c options: spaces kept apart from the character list
        api.set("tessedit_char_whitelist", whitelist.replace(" ", ""))
        api.set("preserve_interword_spaces", "1" if " " in whitelist else "0")
    try:
        tsv = api.read(data, width, height, channels, psm)
    finally:
        if whitelist:
            api.set("tessedit_char_whitelist", "")
            api.set("preserve_interword_spaces", "0")
    return None if tsv is None else f"{TSV_HEADER}\n{tsv}"


def usable(image: np.ndarray) -> bool:
    """Images SetImage takes as the CLI's PNG would read them (8-bit, 1/3/4 channels, not empty)."""
    channels = 1 if image.ndim == 2 else image.shape[2] if image.ndim == 3 else 0
    return image.dtype == np.uint8 and channels in (1, 3, 4) and image.size > 0


def available() -> bool:
    if _disabled:
        return False
    if library() is None:
        disable("no libtesseract (" + ", ".join(LIBRARY_NAMES) + ")")
        return False
    if tessdata_dir() is None:
        disable("no traineddata in TESSDATA_PREFIX or " + ", ".join(TESSDATA_DIRS))
        return False
    return True


def submit(image: np.ndarray, lang: str, psm: int, whitelist: str) -> Future[str | None] | None:
    """Queue a run on the worker pool; None when the in-process backend is off (use the CLI)."""
    if not usable(image) or not available():
        return None
    job: Callable[[], str | None] = _Job(np.array(image, copy=True), lang, psm, whitelist)
    return _pool().submit(job)


class _Job:
    """A run's own copy of its image (the caller may reuse its buffer while the run waits)."""

    def __init__(self, image: np.ndarray, lang: str, psm: int, whitelist: str) -> None:
        self.image, self.lang, self.psm, self.whitelist = image, lang, psm, whitelist

    def __call__(self) -> str | None:
        return recognise(self.image, self.lang, self.psm, self.whitelist)


def warm_up(langs: tuple[str, ...] = ("kor", "eng", "kor+eng")) -> list[Future[None]]:
    """Load the models in both workers ahead of the first card (at reader start, off the GUI thread).

    Each worker takes one job at a time and a job blocks until its partner has started, so every
    worker gets one of each pair; the futures finish when the models are loaded."""
    if not available():
        return []
    futures: list[Future[None]] = []
    for lang in langs:
        barrier = threading.Barrier(WORKERS, timeout=TIMEOUT_MS / 1000)
        futures += [_pool().submit(_load, barrier, lang) for _ in range(WORKERS)]
    return futures


def _load(barrier: threading.Barrier, lang: str) -> None:
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass
    try:
        _api(lang)
    except BackendUnavailable as exc:
        disable(str(exc))
