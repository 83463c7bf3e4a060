"""Where each window of `kiosk demo` goes on one screen: rectangles in, rectangles out (no Qt).

The plan is made from the screen's available area (`QScreen.availableGeometry()`), so every window is
fully on screen and none covers another, with or without a window manager:

    ┌──────────┬───────────────────────────────┬──────────────┐
    │          │                               │ 시연 제어    │
    │  lobby   │            desk               ├──────────────┤
    │ (scaled  │                               │ 대기실 화면  │
    │  kiosk,  │                               ├──────────────┤
    │  9:16)   │                               │ 휴대전화     │
    │          ├───────────────┬───────┬───────┴──────────────┤
    │          │ counter       │printer│ pads                 │
    │          │ (scaled,16:10)│ paper ├──────────────────────┤
    │          │               │       │ scanner              │
    └──────────┴───────────────┴───────┴──────────────────────┘

The lobby keeps its portrait kiosk shape and the counter its landscape shape (both are shown scaled);
the desk takes what is left at the top. Rectangles are *outer* (frame) rectangles: the demo subtracts
the window manager's title bar and borders when it places a window.
"""

from __future__ import annotations

from dataclasses import dataclass

LOBBY_ASPECT = 1080 / 1920  # width / height of the kiosk screen in portrait
COUNTER_ASPECT = 1280 / 800  # the counter screen (landscape)
GAP = 4  # px between windows, so frames drawn by a window manager never touch


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        """One past the last column (x + w)."""
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def contains(self, other: Rect) -> bool:
        inside_x = self.x <= other.x and other.right <= self.right
        return inside_x and self.y <= other.y and other.bottom <= self.bottom

    def overlaps(self, other: Rect) -> bool:
        """True when the two share at least one pixel (touching edges do not overlap)."""
        return (
            self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom
        )

    def inset(self, left: int, top: int, right: int, bottom: int) -> Rect:
        """This rectangle less a frame of these widths (never below 1×1)."""
        return Rect(self.x + left, self.y + top, max(1, self.w - left - right), max(1, self.h - top - bottom))


class ScreenTooSmall(ValueError):
    """The screen cannot hold the demo's windows side by side."""


WINDOWS = ("lobby", "desk", "control", "hall", "phone", "counter", "printer", "pads", "scanner")


def plan_layout(available: Rect, gap: int = GAP) -> dict[str, Rect]:
    """One rectangle per name in WINDOWS, all inside ``available`` and pairwise apart by ``gap``."""
    if available.w < 640 or available.h < 400:
        size = f"{available.w}×{available.h}"
        raise ScreenTooSmall(f"the screen is too small for the demo ({size}, need 640×400)")
    x0, y0, width, height = available.x, available.y, available.w, available.h
    lobby = Rect(x0, y0, round(height * LOBBY_ASPECT), height)
    lobby = Rect(lobby.x, lobby.y, min(lobby.w, width // 3), lobby.h)
    rx = lobby.right + gap
    rw = available.right - rx
    # Bottom strip: the counter at its landscape shape, the printer's paper, then pads over scanner.
    strip_h = round(height * 0.40)
    top_h = height - strip_h - gap
    strip_y = y0 + top_h + gap
    counter_w = min(round(strip_h * COUNTER_ASPECT), rw // 2)
    counter = Rect(rx, strip_y, counter_w, strip_h)
    printer_w = max(150, round(rw * 0.16))
    printer = Rect(counter.right + gap, strip_y, printer_w, strip_h)
    devices_x = printer.right + gap
    devices_w = available.right - devices_x
    pads_h = (strip_h - gap) // 2
    pads = Rect(devices_x, strip_y, devices_w, pads_h)
    scanner = Rect(devices_x, pads.bottom + gap, devices_w, strip_h - pads_h - gap)
    # Top: the desk, with the control window, the hall display and the emulated phone's inbox in a
    # column to its right: the phone a quarter (it scrolls), the hall a fifth but at least 150 px (its
    # 120 px minimum, ui.desk.demo_hall, under a window manager's title bar), the control's words the rest.
    side_w = max(260, round(rw * 0.24))
    desk = Rect(rx, y0, rw - side_w - gap, top_h)
    side_x = desk.right + gap
    side_w = available.right - side_x
    rows_h = top_h - 2 * gap
    phone_h = rows_h // 4
    hall_h = min(max(150, rows_h // 5), rows_h // 3)
    control = Rect(side_x, y0, side_w, rows_h - phone_h - hall_h)
    hall = Rect(side_x, control.bottom + gap, side_w, hall_h)
    phone = Rect(side_x, hall.bottom + gap, side_w, phone_h)
    return {
        "lobby": lobby,
        "desk": desk,
        "control": control,
        "hall": hall,
        "phone": phone,
        "counter": counter,
        "printer": printer,
        "pads": pads,
        "scanner": scanner,
    }


def all_apart(rects: dict[str, Rect]) -> list[tuple[str, str]]:
    """The pairs of names whose rectangles overlap (empty when the layout is clean)."""
    names = sorted(rects)
    return [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if rects[a].overlaps(rects[b])]
