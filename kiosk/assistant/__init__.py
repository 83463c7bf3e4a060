"""24-hour FAQ assistant (chatbot), Qt-free: kiwipiepy + bm25s over config/faq, abstains when unsure.

Public API: ``Assistant.load(settings.assistant)`` then ``ask(question) -> ChatAnswer``;
``mask_chat_text`` / ``Transcript`` for hand-off transcripts; ``load_faq`` for `kiosk faq check`.
"""

from kiosk.assistant.engine import ABSTAIN_EN, ABSTAIN_KO, Assistant, ChatAnswer
from kiosk.assistant.knowledge import Answerable, FaqEntry, load_faq
from kiosk.assistant.privacy import Transcript, mask_chat_text

__all__ = [
    "ABSTAIN_EN",
    "ABSTAIN_KO",
    "Answerable",
    "Assistant",
    "ChatAnswer",
    "FaqEntry",
    "Transcript",
    "load_faq",
    "mask_chat_text",
]
