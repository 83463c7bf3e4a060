"""BM25 (bm25s) over each entry's questions and paraphrases, and the confidence abstention is decided on.

Confidence = BM25 score of the best entry / the most evidence the query's terms could give anywhere in
the index (for each term, its best single-term score over all documents; a term the index has never
seen counts as the rarest one). It is near 1 when the best entry explains every word of the question and
falls towards 0 when the question is mostly about something the FAQ does not know (weather, stocks).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kiosk.assistant.knowledge import Answerable
from kiosk.assistant.language import KoreanAnalyzer


@dataclass(frozen=True)
class Hit:
    answerable: Answerable
    score: float
    confidence: float


class FaqIndex:
    def __init__(self, entries: Sequence[Answerable], analyzer: KoreanAnalyzer) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
        self.entries = list(entries)
        self.analyzer = analyzer
        # One document per entry: its question and every paraphrase together, so a question that mixes
        # two phrasings of the same entry ("사전 채무조정 금리 얼마나 깎아줘요") still finds it.
        # (Measured on the calibration half: better than one document per paraphrase.)
        documents = [
            [
                term
                for text in (item.entry.question, item.entry.question_en, *item.entry.paraphrases)
                if text
                for term in analyzer.terms(text, known=True)
            ]
            for item in self.entries
        ]
        analyzer.save_cache()
        self._bm25: Any = bm25s.BM25()
        self._bm25.index(documents, show_progress=False)
        self._vocab: set[str] = {term for doc in documents for term in doc}
        self._term_best: dict[str, float] = {}
        best = [self._single_term_best(term) for term in sorted(self._vocab)]
        # a word the FAQ has never seen weighs like its rarest word: it is strong evidence of another topic
        self._unseen_weight = max(best) if best else 1.0

    def _single_term_best(self, term: str) -> float:
        if term not in self._term_best:
            self._term_best[term] = float(np.max(self._bm25.get_scores([term])))
        return self._term_best[term]

    def search(self, text: str, k: int = 3) -> list[Hit]:
        terms = self.analyzer.terms(text)
        if not terms:
            return []
        unique = list(dict.fromkeys(terms))
        known = [t for t in unique if t in self._vocab]
        ceiling = sum(self._single_term_best(t) for t in known)
        ceiling += self._unseen_weight * (len(unique) - len(known))
        if not known or ceiling <= 0:
            return []
        entry_scores = np.asarray(self._bm25.get_scores(known), dtype=float)
        order = np.argsort(-entry_scores)[:k]
        return [
            Hit(self.entries[i], float(entry_scores[i]), min(1.0, float(entry_scores[i]) / ceiling))
            for i in order
            if entry_scores[i] > 0
        ]
