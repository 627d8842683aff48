"""A hash map from uint64 codes to ints, looked up for many codes at once in numpy.

Short strings pack into one uint64 (up to four UTF-16 units), so dictionary and trie look-ups for a
whole text become a few vector operations. A sorted array with searchsorted costs a cache miss per
bisection step (~70-300 ns per code here); one probe into a sparse open-addressing table costs one.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

UNIT_BITS = 16
MAX_UNITS = 64 // UNIT_BITS
_MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the high bits of code * MULT


def pack(word: str) -> int:
    """``word`` (1-4 BMP characters, none U+0000) as a left-aligned code; 0-padding keeps lengths apart."""
    code = 0
    for i, ch in enumerate(word):
        code |= ord(ch) << (UNIT_BITS * (MAX_UNITS - 1 - i))
    return code


def packable(word: str) -> bool:
    return 0 < len(word) <= MAX_UNITS and all(0 < ord(ch) < 0x10000 for ch in word)


class PackedMap:
    """Open addressing with linear probing; code 0 marks an empty slot and is never a key."""

    def __init__(self, codes: npt.NDArray[np.uint64], values: npt.NDArray[np.intp] | None = None) -> None:
        """``values`` None: a set (``get`` gives 0 for members; no value table is kept)."""
        keep = codes != 0
        codes, first = np.unique(codes[keep], return_index=True)
        is_set = values is None
        values = np.zeros(len(codes), dtype=np.intp) if values is None else values[keep][first]
        bits = max(4, int(len(codes) * 4 - 1).bit_length())  # load factor <= 1/4: probe runs stay short
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        table = np.zeros(1 << bits, dtype=np.uint64)
        stored = np.full(1 << bits, -1, dtype=np.intp)
        slot = self._home(codes)
        pending = np.arange(len(codes))
        self._probes = 0
        while len(pending):
            self._probes += 1
            at = slot[pending]
            free = table.take(at) == 0
            # Among codes aiming at the same free slot the first takes it; the others move on.
            _, first_free = np.unique(at[free], return_index=True)
            winners = pending[free][first_free]
            table[slot[winners]] = codes[winners]
            stored[slot[winners]] = values[winners]
            placed = np.zeros(len(codes), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & self._mask
        self._table = table
        self._values = None if is_set else stored

    def __len__(self) -> int:
        return int(np.count_nonzero(self._table))

    def _home(self, codes: npt.NDArray[np.uint64]) -> npt.NDArray[np.intp]:
        return ((codes * _MULT) >> self._shift).astype(np.intp)

    def get(self, codes: npt.NDArray[np.uint64]) -> npt.NDArray[np.intp]:
        """The value of each code, -1 where the code is not a key."""
        out = np.full(len(codes), -1, dtype=np.intp)
        slot = self._home(codes)
        active = np.flatnonzero(codes)
        for _ in range(self._probes):
            if not len(active):
                break
            at = slot.take(active)
            got = self._table.take(at)
            hit = got == codes.take(active)
            out[active[hit]] = 0 if self._values is None else self._values.take(at[hit])
            more = ~hit & (got != 0)
            active = active[more]
            slot[active] = (at[more] + 1) & self._mask
        return out

    def contains(self, codes: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
        return self.get(codes) >= 0
