"""The chatbot panel for the lobby kiosk (issue 9): ``ChatPanel`` over ``kiosk.assistant``."""

from ui.chat.panel import ChatPanel

__all__ = ["ChatPanel"]
