"""Token-level patterns (spaCy Matcher over jieba words) for phrasings that span several words.

A regex over characters cannot tell 保证 … 通过 in one claim from 保证质量，通过… in two; a token pattern
with a bounded gap of whole words, run on the clause around a cheap anchor, can. spaCy's blank Chinese
pipeline with the jieba segmenter needs no model download. It is loaded on first use and runs only on
clauses that hold an anchor, so it stays off the hot path.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()
_nlp: Any = None


def _pipeline() -> Any:
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import logging

                import jieba
                import spacy

                # spaCy's segmenter initialises jieba, which otherwise prints its dictionary build to stderr.
                jieba.setLogLevel(logging.WARNING)
                _nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return _nlp


class TokenMatcher:
    """One rule's token patterns; ``spans(clause)`` gives character spans of matches in the clause."""

    def __init__(self, patterns: list[list[dict[str, Any]]]) -> None:
        self._patterns = patterns
        self._matcher: Any = None

    def _get(self) -> Any:
        if self._matcher is None:
            from spacy.matcher import Matcher

            matcher = Matcher(_pipeline().vocab)
            for i, pattern in enumerate(self._patterns):
                matcher.add(f"p{i}", [pattern])
            self._matcher = matcher
        return self._matcher

    def spans(self, clause: str) -> tuple[tuple[int, int, int], ...]:
        """(start, end, pattern index) character spans; cached because ads repeat their clauses."""
        return _match(self, clause)


# Appended to every clause so that a pattern can say "and then the clause ends" ({IS_PUNCT: true}):
# 全员通过 at the end of a clause is a claim, 全员通过努力 is not. Spans are clipped back to the clause.
END = "。"


@lru_cache(maxsize=4096)
def _match(tm: TokenMatcher, clause: str) -> tuple[tuple[int, int, int], ...]:
    doc = _pipeline()(clause + END)
    matcher = tm._get()
    out = []
    for key, start, end in matcher(doc):
        span = doc[start:end]
        out.append((span.start_char, min(span.end_char, len(clause)), int(doc.vocab.strings[key][1:])))
    return tuple(out)
