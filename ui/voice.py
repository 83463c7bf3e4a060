"""Offline voice guidance with espeak-ng's Korean voice, run as a QProcess so the GUI never waits.

Every screen hands its guidance text to ``VoiceGuide.say``; it is spoken only while voice is on, and
``replay()`` repeats the last text ("다시 듣기"). ``reset()`` puts voice and rate back to the kiosk's
defaults at the end of a visit. With ``record_dir`` set (tests, benches, machines without a sound card)
each utterance is written as a WAV file instead of played.
"""

from __future__ import annotations

import itertools
import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Signal

log = logging.getLogger(__name__)
_VOICES = {"ko": "ko", "en": "en"}


class VoiceGuide(QObject):
    """Speaks one utterance at a time; a new one interrupts the old (a kiosk never talks over itself)."""

    spoken = Signal(str)  # the text, when espeak-ng finished it
    failed = Signal(str)  # a reason for the log/staff mode; the visit goes on without voice

    def __init__(
        self,
        command: str = "espeak-ng",
        *,
        default_enabled: bool = False,
        default_rate_wpm: int = 150,
        record_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._command = shutil.which(command) or command
        self._default_enabled = default_enabled
        self._default_rate = default_rate_wpm
        self.enabled = default_enabled
        self.rate_wpm = default_rate_wpm
        self.language = "ko"
        self.last_text = ""
        self.last_cue = ""
        self._record_dir = record_dir
        self._counter = itertools.count(1)
        self._process: QProcess | None = None

    # -- settings a visitor changes -------------------------------------------------------------------
    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        if not on:
            self.stop()
        elif self.last_text:
            self.replay()

    def set_rate(self, wpm: int) -> None:
        self.rate_wpm = max(80, min(300, wpm))

    def reset(self) -> None:
        """Back to the kiosk's defaults and silent: the next visitor starts fresh."""
        self.stop()
        self.enabled = self._default_enabled
        self.rate_wpm = self._default_rate
        self.language = "ko"
        self.last_text = ""
        self.last_cue = ""

    # -- speaking --------------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        """Remember ``text`` as this screen's guidance and speak it when voice is on."""
        self.last_text = text
        if self.enabled:
            self._speak(text)

    def cue(self, text: str) -> None:
        """A short spoken cue for a tap (the tapped button's words), only while voice is on.

        It does not replace the screen's guidance: 다시 듣기 still repeats what the screen said."""
        if self.enabled and text.strip():
            self.last_cue = text
            self._speak(text)

    def replay(self) -> None:
        """다시 듣기: speak the current guidance again, even if voice is off (the visitor asked)."""
        if self.last_text:
            self._speak(self.last_text)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.finished.disconnect()  # an interrupted utterance is not a failure
        if process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
            process.waitForFinished(200)
        process.deleteLater()

    def is_speaking(self) -> bool:
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning

    def _speak(self, text: str) -> None:
        self.stop()
        args = ["-v", _VOICES.get(self.language, "ko"), "-s", str(self.rate_wpm)]
        if self._record_dir is not None:
            self._record_dir.mkdir(parents=True, exist_ok=True)
            args += ["-w", str(self._record_dir / f"utterance-{next(self._counter):04d}.wav")]
        args.append(text)
        process = QProcess(self)
        process.setProperty("utterance", text)
        # Bound methods, not lambdas capturing self: a lambda held by the child's connection kept a
        # parentless guide alive only through it, so the child's deleteLater dropped the last reference
        # and deleted the guide (and the child again) inside the child's destructor — a crash.
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        process.start(self._command, args)

    def _on_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        process = self.sender()
        if isinstance(process, QProcess):
            self._finished(process, code, str(process.property("utterance")))

    def _on_error(self, error: QProcess.ProcessError) -> None:
        process = self.sender()
        if isinstance(process, QProcess):
            self._error(process, error)

    def _finished(self, process: QProcess, code: int, text: str) -> None:
        if process is self._process:
            self._process = None
        if code == 0:
            self.spoken.emit(text)
        else:
            reason = bytes(process.readAllStandardError().data()).decode(errors="replace")[-200:]
            log.warning("voice guidance failed (exit %s): %s", code, reason.strip())
            self.failed.emit(f"voice exit {code}")
        process.deleteLater()

    def _error(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            log.warning("voice guidance unavailable: %s did not start", self._command)
            self.failed.emit("voice program missing")
