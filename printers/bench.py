"""Figures for ``kiosk bench print``: ticket size and print time against the serial limit, PDFs.

The serial limit is bytes ÷ (baud/10): no printer on that cable can be faster. The naive ticket is the
same template the usual way with python-escpos (Hangul as raster images, QR as an image).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from printers.documents.demo_cert import make_demo_credentials
from printers.documents.pades import DocumentSigner, pades_sign
from printers.documents.render import register_fonts, render_document
from printers.documents.samples import SAMPLE_DOCUMENT_FIELDS
from printers.escpos.emulator import EmulatedPrinter
from printers.escpos.receipt import render_receipt
from printers.escpos.samples import SAMPLE_FIELDS
from printers.escpos.transport import ReceiptPrinter

MODEL = "bixolon-srp-350iii"


def emulated_print_seconds(payload: bytes, baud: int, runs: int = 3) -> list[float]:
    """Time from the first byte written to the emulator's cut, once per run."""
    times = []
    with (
        EmulatedPrinter(MODEL, baud=baud) as emulator,
        ReceiptPrinter.open(emulator.port_name, MODEL, baud=baud) as p,
    ):
        for run in range(runs):
            start = time.perf_counter()
            p.send(payload)
            if not emulator.wait_for_jobs(run + 1, 10 + 3 * len(payload) / (baud / 10)):
                raise TimeoutError("emulated printer did not finish the ticket")
            times.append(time.perf_counter() - start)
    return times


def run_bench(runs: int = 3) -> dict[str, Any]:
    ticket = render_receipt("ticket", SAMPLE_FIELDS["ticket"], MODEL)
    naive = render_receipt("ticket", SAMPLE_FIELDS["ticket"], MODEL, hangul_as_image=True, native_qr=False)
    result: dict[str, Any] = {"model": MODEL, "ticket": {"bytes": len(ticket.payload), "target_bytes": 1000}}
    for baud in (19200, 115200):
        limit = len(ticket.payload) / (baud / 10)
        times = emulated_print_seconds(ticket.payload, baud, runs)
        median = statistics.median(times)
        result["ticket"][f"baud_{baud}"] = {
            "serial_limit_s": round(limit, 4),
            "emulated_s_median": round(median, 4),
            "emulated_s_runs": [round(t, 4) for t in times],
            "ratio_to_limit": round(median / limit, 3),
            "target_ratio": 1.2,
        }
    naive_times = emulated_print_seconds(naive.payload, 115200, 1)
    result["naive_ticket"] = {
        "how": "python-escpos, Hangul as raster images, QR as image",
        "bytes": len(naive.payload),
        "serial_limit_s_19200": round(len(naive.payload) / 1920, 3),
        "serial_limit_s_115200": round(len(naive.payload) / 11520, 3),
        "emulated_s_115200": round(naive_times[0], 3),
    }
    start = time.perf_counter()
    register_fonts()
    result["pdf_font_load_ms_once"] = round((time.perf_counter() - start) * 1000, 1)
    signer = DocumentSigner.from_demo(make_demo_credentials())
    pdfs: dict[str, Any] = {}
    for template, fields in SAMPLE_DOCUMENT_FIELDS.items():
        render_ms, sign_ms, sizes = [], [], []
        for _ in range(runs):
            start = time.perf_counter()
            rendered = render_document(template, fields)
            middle = time.perf_counter()
            signed = pades_sign(rendered.pdf, signer)
            render_ms.append((middle - start) * 1000)
            sign_ms.append((time.perf_counter() - middle) * 1000)
            sizes.append(len(signed))
        pdfs[template] = {
            "render_ms_median": round(statistics.median(render_ms), 1),
            "sign_ms_median": round(statistics.median(sign_ms), 1),
            "bytes_unsigned": len(rendered.pdf),
            "bytes_signed": max(sizes),
            "pages": rendered.pages,
            "target_ms": 150,
            "target_bytes": 120_000,
        }
    result["pdf"] = pdfs
    return result
