"""Every receipt and document template printed once: on the emulator, and as signed PDFs.

Used by ``kiosk print sample --emulated --out DIR`` and by the demo; returns one line per artefact.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from printers.documents.demo_cert import make_demo_credentials
from printers.documents.pades import DocumentSigner, pades_sign
from printers.documents.render import render_document
from printers.documents.samples import SAMPLE_DOCUMENT_FIELDS
from printers.escpos.emulator import EmulatedPrinter
from printers.escpos.paper import PrintedJob
from printers.escpos.samples import SAMPLE_FIELDS
from printers.escpos.transport import ReceiptPrinter


@dataclass(frozen=True)
class Artefact:
    path: Path
    size: int
    millis: float
    note: str = ""

    def line(self) -> str:
        note = f" · {self.note}" if self.note else ""
        return f"{self.path.name:<24} {self.size:>8,} bytes {self.millis:>8.1f} ms{note}"


def print_receipt_samples(out_dir: Path, model: str = "bixolon-srp-350iii") -> list[Artefact]:
    """Send each receipt template to an emulated printer; keep the bytes sent and the paper."""
    artefacts: list[Artefact] = []
    with EmulatedPrinter(model) as emulator, ReceiptPrinter.open(emulator.port_name, model) as printer:
        for template, fields in SAMPLE_FIELDS.items():
            rendered = printer.render(template, fields)
            jobs_before = len(emulator.jobs)
            bytes_before = len(emulator.received_bytes)
            start = time.perf_counter()
            printer.send(rendered.payload)
            wire_budget = 5 + 3 * len(rendered.payload) / printer.rate
            if not emulator.wait_for_bytes(bytes_before + len(rendered.payload), wire_budget):
                raise TimeoutError(f"the emulated printer did not receive all of {template}")
            job: PrintedJob | None
            if printer.model.cutter:
                emulator.wait_for_jobs(jobs_before + 1, 5)
                job = emulator.jobs[-1] if len(emulator.jobs) > jobs_before else None
            else:
                job = emulator.tear_off()
            millis = (time.perf_counter() - start) * 1000
            health = printer.read_health()
            bin_path = out_dir / f"{template}.bin"
            bin_path.write_bytes(rendered.payload)
            note = f"{model}, health {health.state}"
            if rendered.warnings:
                note += f", {len(rendered.warnings)} substitution(s)"
            artefacts.append(Artefact(bin_path, len(rendered.payload), millis, note))
            if job is not None:
                png_path = out_dir / f"{template}.png"
                job.image.save(png_path)
                artefacts.append(Artefact(png_path, png_path.stat().st_size, millis, "paper"))
        if emulator.unknown_commands:
            raise RuntimeError(f"emulator saw unknown commands: {emulator.unknown_commands[:3]}")
    return artefacts


def print_document_samples(out_dir: Path) -> list[Artefact]:
    """Each document template as a PDF, PAdES-signed with a throwaway demo certificate."""
    signer = DocumentSigner.from_demo(make_demo_credentials())
    artefacts = []
    for template, fields in SAMPLE_DOCUMENT_FIELDS.items():
        start = time.perf_counter()
        rendered = render_document(template, fields)
        signed = pades_sign(rendered.pdf, signer)
        millis = (time.perf_counter() - start) * 1000
        path = out_dir / f"{template}.pdf"
        path.write_bytes(signed)
        note = f"{rendered.doc_id} v{rendered.version}, {rendered.pages} page(s), signed (demo CA)"
        artefacts.append(Artefact(path, len(signed), millis, note))
    return artefacts
