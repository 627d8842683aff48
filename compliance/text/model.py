"""A second opinion on paraphrase: a small statistical model over character n-grams, per sentence.

The rules find what their vocabulary and patterns describe, and every blind batch of new phrasing shows them
missing some (recall 0.78-0.85 before each round of rule fixes; fixtures/eval/README.md). This model scores each
sentence for the categories whose wording rotates most (guarantees, borrowed authority, job and certificate-market
hooks) and, where the rules found nothing of that category in the sentence, reports it for *review*: a person
decides, the verdict never becomes `violation` from the model alone, and the finding says which character
sequences weighed most.

Features: the engine's own fold (simplified, lower case, separators dropped), then character 1-3-grams, sublinear
TF times IDF, L2-normalised; one logistic regression per category. Weights, vocabulary and thresholds are package
data (data/sentence_model.npz), trained offline by tests/text/train_sentence_model.py on the labelled sets; the
thresholds were chosen on batches held out of training (README, "Statistical second opinion").
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from compliance.text.normalize import fold, fold_table

MAX_N = 3
# Sentences end at these; a sentence longer than this is scored in windows of this many characters.
_SENTENCE_END = re.compile(r"[。！？!?；;\n\r]+")
_WINDOW = 160
_MIN_FOLDED = 6  # shorter sentences carry too little to score (学学过学 is not a claim)


def ngram_counts(folded: str) -> Counter[str]:
    """Character 1..MAX_N-grams of a folded string, counted (the training script uses this same function)."""
    counts: Counter[str] = Counter()
    for n in range(1, MAX_N + 1):
        for i in range(len(folded) - n + 1):
            counts[folded[i : i + n]] += 1
    return counts


@dataclass(frozen=True)
class Sentence:
    start: int  # original offsets
    end: int
    scores: dict[str, float]
    cues: dict[str, list[str]]  # category -> the n-grams that weighed most


def sentences(text: str) -> list[tuple[int, int]]:
    """Original [start, end) spans of the sentences of ``text``, long ones cut into windows, blank ones skipped."""
    spans: list[tuple[int, int]] = []
    table = fold_table()
    pos = 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        for lo in range(pos, end, _WINDOW):
            hi = min(end, lo + _WINDOW)
            # Evidence starts and ends on a real character, never on a separator (,包过 → 包过).
            while lo < hi and not table.fold_char(text[lo]):
                lo += 1
            while hi > lo and not table.fold_char(text[hi - 1]):
                hi -= 1
            if lo < hi:
                spans.append((lo, hi))
        if m is not None:
            pos = m.end()
    return spans


class SentenceModel:
    """Per-category probabilities for sentences; ``thresholds`` says which categories report and from where."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.categories: list[str] = [str(c) for c in data["categories"]]
        self.thresholds: dict[str, float] = {
            c: float(t) for c, t in zip(self.categories, data["thresholds"], strict=True) if float(t) < 1.0
        }
        self.version = str(data["version"])
        vocab = [str(v) for v in data["ngrams"]]
        self._index = {g: i for i, g in enumerate(vocab)}
        self._ngrams = vocab
        self._idf: npt.NDArray[np.float32] = data["idf"].astype(np.float32)
        self._coef: npt.NDArray[np.float32] = data["coef"].astype(np.float32)  # [vocab, categories]
        self._intercept: npt.NDArray[np.float32] = data["intercept"].astype(np.float32)

    def score(self, text: str) -> list[Sentence]:
        out = []
        for start, end in sentences(text):
            folded = fold(text[start:end])
            if len(folded) < _MIN_FOLDED:
                continue
            out.append(self._score_one(start, end, folded))
        return out

    def _score_one(self, start: int, end: int, folded: str) -> Sentence:
        rows, vals = [], []
        for gram, tf in ngram_counts(folded).items():
            i = self._index.get(gram)
            if i is not None:
                rows.append(i)
                vals.append((1.0 + math.log(tf)) * float(self._idf[i]))
        if not rows:
            logits = self._intercept
            contrib = np.zeros((0, len(self.categories)), dtype=np.float32)
        else:
            x = np.asarray(vals, dtype=np.float32)
            x /= float(np.linalg.norm(x)) or 1.0
            contrib = self._coef[rows] * x[:, None]
            logits = contrib.sum(axis=0) + self._intercept
        probs = 1.0 / (1.0 + np.exp(-logits))
        scores = {c: float(p) for c, p in zip(self.categories, probs, strict=True)}
        cues: dict[str, list[str]] = {}
        for k, c in enumerate(self.categories):
            if c in self.thresholds and scores[c] >= self.thresholds[c] and len(rows):
                # Longer sequences first: a reader learns more from 退回 than from 退.
                order = sorted(range(len(rows)), key=lambda j: (len(self._ngrams[rows[j]]) < 2, -contrib[j, k]))
                cues[c] = [self._ngrams[rows[j]] for j in order[:4] if contrib[j, k] > 0]
        return Sentence(start, end, scores, cues)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def load_model() -> SentenceModel | None:
    """The shipped model, or None when the package data is missing (the rules still run)."""
    with _lock:
        try:
            ref = resources.files("compliance.text").joinpath("data/sentence_model.npz")
            with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as z:
                return SentenceModel({k: z[k] for k in z.files})
        except (FileNotFoundError, OSError, KeyError, ValueError):
            return None
