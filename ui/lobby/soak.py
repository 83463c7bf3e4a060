"""``kiosk bench soak --visits N``: one lobby process, N scripted visits, and what it kept afterwards.

The real lobby window (offscreen) with every device emulated drives whole visits the way a visitor
would (the screenshot tour's buttons, without the screenshots): welcome → identify (typed, and every
``scan_every``-th visit the virtual ID scanner with OCR) → consent with an on-screen signature →
needs → results → ticket printed on the emulated printer → goodbye, whose wipe returns to welcome.
After a warm-up (caches, fonts, compiled modules), resident memory, OS threads and open file
descriptors are sampled at the start and the end; a kiosk that runs all day must not grow in any.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ui.lobby.driving import screen_of, settle, wait_until
from ui.lobby.screens.consent import ConsentScreen
from ui.lobby.screens.identify import IdentifyScreen
from ui.lobby.screens.needs import NeedsScreen
from ui.lobby.screens.results import ResultsScreen
from ui.lobby.screens.ticket import TicketScreen
from ui.lobby.tour import _enter_answer, answer_for, sign_on_canvas, type_hangul
from ui.lobby.window import LobbyWindow

TARGET_RSS_GROWTH_MB = 30.0


def rss_mb() -> float:
    """Resident set size of this process (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def os_threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def open_fds() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


def fd_targets() -> list[str]:
    """What each open descriptor points at (a leak shows what it is: a pty, a database, a socket)."""
    targets = []
    try:
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            # socket:[inode] and pipe:[inode] differ per object; only their kind says something
            targets.append(target.split(":[")[0] if ":[" in target else target)
    except OSError:
        pass
    return sorted(targets)


def sample() -> dict[str, Any]:
    gc.collect()
    return {
        "rss_mb": round(rss_mb(), 1),
        "os_threads": os_threads(),
        "python_threads": sorted(t.name for t in threading.enumerate()),
        "open_fds": open_fds(),
        "fd_targets": fd_targets(),
    }


def _identify(window: LobbyWindow, scan: bool) -> str:
    screen = screen_of(window, "identify", IdentifyScreen)
    services = window.services
    if scan and services.id_reader is not None and services.present_card is not None:
        screen.scan.click()
        wait_until(lambda: screen.mode in ("confirm", "choose"), 60, "the ID scanner to read the card")
    if screen.mode == "confirm":
        return "scanner"
    screen.manual.click()
    type_hangul(screen.name_edit, "김하늘")  # a synthetic identity, typed as a visitor would
    screen.birth_edit.setText("1974-05-12")
    screen.phone_edit.setText("010-0000-0000")
    return "manual"


def drive_visit(window: LobbyWindow, *, scan: bool = False) -> dict[str, str]:
    """One whole visit from the welcome screen back to it; returns how it went (for the report)."""
    window.primary.click()  # 상담 접수 시작
    identity = _identify(window, scan)
    window.primary.click()
    consent = screen_of(window, "consent", ConsentScreen)
    for card in consent.cards:
        (card.agree if card.item.required else card.refuse).click()
    window.primary.click()
    if consent.method == "pad":
        consent._set_method("screen")
    sign_on_canvas(consent.canvas)
    window.primary.click()
    settle(window)
    needs = screen_of(window, "needs", NeedsScreen)
    for _ in range(40):
        if window.current != "needs" or needs.question is None:
            break
        _enter_answer(needs, answer_for(needs.question))
        window.primary.click()
        settle(window)
    if window.current == "needs":
        raise RuntimeError("the needs screen could not go on (no questionnaire or matching)")
    results = screen_of(window, "results", ResultsScreen)
    wait_until(lambda: not results.loading, 30, "matching results")
    window.primary.click()
    ticket = screen_of(window, "ticket", TicketScreen)
    if ticket.mode == "choose":
        ticket.line_buttons["B"].click()
    wait_until(lambda: ticket.mode in ("shown", "unavailable"), 30, "the ticket")
    printed, ticket_mode = "none", str(ticket.mode)
    if ticket.mode == "shown":
        wait_until(lambda: window.draft.printed in ("done", "failed"), 30, "the ticket to print")
        printed = str(window.draft.printed)
    window.primary.click()  # → goodbye
    window.screens["goodbye"].on_primary()
    settle(window)
    wait_until(lambda: window.current == "welcome", 15, "the wipe back to the welcome screen")
    return {"identity": identity, "ticket": ticket_mode, "printed": printed}


def run_soak(
    window: LobbyWindow,
    visits: int,
    *,
    warmup: int = 20,
    scan_every: int = 10,
    progress: Callable[[int, dict[str, Any]], None] | None = None,
    progress_every: int = 50,
) -> dict[str, Any]:
    """``warmup`` visits, a sample, ``visits`` visits, a sample; the growth between the samples."""
    wait_until(lambda: window.warmed_up, 60, "the start-up warm-up")
    settle(window)
    for n in range(warmup):
        drive_visit(window, scan=scan_every > 0 and n % scan_every == 0)
    start = sample()
    outcomes: dict[str, int] = {}
    began = time.monotonic()
    for n in range(visits):
        how = drive_visit(window, scan=scan_every > 0 and n % scan_every == 0)
        for key, value in how.items():
            outcomes[f"{key}:{value}"] = outcomes.get(f"{key}:{value}", 0) + 1
        if progress is not None and (n + 1) % progress_every == 0:
            progress(
                n + 1, {"rss_mb": round(rss_mb(), 1), "os_threads": os_threads(), "open_fds": open_fds()}
            )
    wall = time.monotonic() - began
    end = sample()
    growth = round(end["rss_mb"] - start["rss_mb"], 1)
    new_threads = sorted(set(end["python_threads"]) - set(start["python_threads"]))
    new_fds = list((Counter(end.pop("fd_targets")) - Counter(start.pop("fd_targets"))).elements())
    return {
        "visits": visits,
        "warmup_visits": warmup,
        "scan_every": scan_every,
        "wall_s": round(wall, 1),
        "visits_per_minute": round(60 * visits / wall, 1) if wall > 0 else None,
        "outcomes": outcomes,
        "start": start,
        "end": end,
        "rss_growth_mb": growth,
        "os_thread_growth": end["os_threads"] - start["os_threads"],
        "new_python_threads": new_threads,
        "fd_growth": end["open_fds"] - start["open_fds"],
        "new_fds": new_fds,
        "targets": {"rss_growth_mb": TARGET_RSS_GROWTH_MB, "os_thread_growth": 0, "fd_growth": 0},
        "ok": growth <= TARGET_RSS_GROWTH_MB
        and end["os_threads"] <= start["os_threads"]
        and end["open_fds"] <= start["open_fds"],
    }
