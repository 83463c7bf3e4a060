"""Re-export of the tour's input helper so tests type Hangul the way an input method does."""

from ui.lobby.tour import type_hangul

__all__ = ["type_hangul"]
