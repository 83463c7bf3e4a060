"""The emulated devices of one demo role, driven through their real drivers (bytes on a pty).

- `DemoPad`: an EmulatedPad replaying a shipped signature into the real SignaturePad driver.
- `DemoPrinter`: an EmulatedPrinter behind the real ReceiptPrinter (ESC/POS on a pty).
- `DemoScanner`: the virtual scanner's rendered card photographs, read by the real OCR pipeline.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from config import Settings
from devices.id.emulators.card_render import Perturbation, render_card
from devices.id.emulators.identities import SyntheticIdentity
from devices.id.image.pipeline import CardImagePipeline
from devices.id.model import DocumentKind, IdDocument
from devices.signature.emulator import EmulatedPad
from devices.signature.pad import SignaturePad
from devices.signature.record import SignatureRecord
from printers.escpos.emulator import EmulatedPrinter
from printers.escpos.transport import ReceiptPrinter


class DemoPad:
    def __init__(self, settings: Settings) -> None:
        self.emulator = EmulatedPad(settings=settings.signature)
        # The emulated pad's writer is a thread of this process, sharing the GIL with the hub and the
        # OCR of the same walk-in; on a busy machine it can pause longer than a real pad ever goes quiet.
        # Such a pause is not an unplugged pad, so the demo waits longer before calling it one.
        patient = settings.signature.model_copy(
            update={"stall_timeout_ms": max(settings.signature.stall_timeout_ms, 3000)}
        )
        self.pad = SignaturePad(self.emulator.port_name, patient)
        self.errors: list[str] = []
        self.pad.on_error(lambda code, message: self.errors.append(f"{code}: {message}"))

    def sign(
        self,
        document_sha256: str,
        consent_id: str | None = None,
        stroke: str | None = None,
        timeout_s: float = 20.0,
    ) -> SignatureRecord:
        """The person signs (the emulator replays strokes at the real rate); the record binds the hash."""
        self.pad.start_capture(document_sha256, consent_id)
        self.emulator.replay(stroke)  # blocks until the strokes are on the wire
        deadline = time.monotonic() + timeout_s
        while not (self.pad.pen_left.is_set() and self.pad.points):
            if self.errors or time.monotonic() > deadline:
                raise RuntimeError(f"signature pad: {self.errors or 'no signature in time'}")
            self.pad.pen_left.wait(0.1)
        return self.pad.finish()

    def replay_only(self, stroke: str | None = None) -> None:
        self.emulator.replay(stroke, block=False)

    def close(self) -> None:
        self.pad.stop()
        self.emulator.close()


class DemoPrinter:
    def __init__(self, settings: Settings) -> None:
        self.emulator = EmulatedPrinter(settings.printer.model).start()
        self.printer = ReceiptPrinter.open(
            self.emulator.port_name,
            settings.printer.model,
            status_timeout_s=settings.printer.status_timeout_s,
        )

    def print_ticket(self, fields: dict[str, Any], out_stem: Path, timeout_s: float = 30.0) -> dict[str, Any]:
        """Print, wait for the cut, and keep what came out: the raw bytes (.bin) and the paper (.png)."""
        before = len(self.emulator.jobs)
        rendered = self.printer.print_receipt("ticket", fields)
        if not self.emulator.wait_for_jobs(before + 1, timeout=timeout_s):
            raise RuntimeError("the emulated printer did not cut a ticket in time")
        job = self.emulator.jobs[before]
        out_stem.parent.mkdir(parents=True, exist_ok=True)
        out_stem.with_suffix(".bin").write_bytes(job.payload)
        self.emulator.save_job_png(before, out_stem.with_suffix(".png"))
        return {
            "bytes": len(job.payload),
            "warnings": list(rendered.warnings),
            "text": job.text,
            "bin": out_stem.with_suffix(".bin").name,
            "png": out_stem.with_suffix(".png").name,
        }

    def close(self) -> None:
        self.printer.close()
        self.emulator.stop()


class DemoScanner:
    """Puts a synthetic person's card on the virtual scanner and reads it with the real pipeline."""

    def __init__(self) -> None:
        self.pipeline = CardImagePipeline()

    def read(
        self, identity: SyntheticIdentity, seed: int, kind: DocumentKind = DocumentKind.RESIDENT_CARD
    ) -> IdDocument:
        frame = render_card(identity, kind, Perturbation.level("clean", seed))
        return self.pipeline.read(frame)
