"""Every occurrence of many short keys in a folded text, found in numpy rather than per character.

pyahocorasick walks the text one character at a time and looks each character up among a node's
children by linear search; with the ~150 different first characters of the lexicon, that costs about
100 ns per character here, more than everything else in the engine together. This matcher walks a
trie level by level instead: level 1 is one table look-up over the whole text, and each further level
advances only the positions still inside some key (a few per cent after level 2), all of them at once.
The result is the same set of (start, key) pairs as the automaton's, overlapping matches included.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from compliance.text.packed import PackedMap

_BMP = 0x10000


class KeyMatcher:
    def __init__(self, keys: Sequence[str]) -> None:
        """``keys[i]`` is key id ``i``; keys must be distinct. Keys that cannot occur in folded text
        (empty, astral characters, U+0000) are never reported."""
        children: list[dict[int, int]] = [{}]
        terminal = [-1]
        for kid, key in enumerate(keys):
            if not key or any(not 0 < ord(ch) < _BMP for ch in key):
                continue
            node = 0
            for ch in key:
                nxt = children[node].get(ord(ch))
                if nxt is None:
                    nxt = len(children)
                    children.append({})
                    terminal.append(-1)
                    children[node][ord(ch)] = nxt
                node = nxt
            terminal[node] = kid
        self.lengths = np.array([len(k) for k in keys], dtype=np.intp)
        self._terminal = np.array(terminal, dtype=np.intp)
        # Most positions that reach a node end a key there (国家, 包过): only those below a node with children
        # need the next level's hash look-up.
        self._inner = np.array([bool(c) for c in children], dtype=bool)
        # Levels 1 and 2 are where nearly all positions drop out, so they get dense tables: pair index =
        # (level-1 slot × width) looked up by the first unit, plus the second unit's slot.
        level1 = list(children[0].items())
        seconds = sorted({unit for _, node in level1 for unit in children[node]})
        self._width = len(seconds) + 1
        self._starts = np.zeros(_BMP, dtype=bool)  # can a key start with this unit?
        self._offset = np.zeros(_BMP, dtype=np.int32)
        self._single = np.full(_BMP, -1, dtype=np.intp)  # one-unit keys
        for slot, (unit, node) in enumerate(level1):
            self._starts[unit] = True
            self._offset[unit] = slot * self._width
            self._single[unit] = terminal[node]
        self._is_single = self._single >= 0
        self._has_single = bool(self._is_single.any())
        self._second = np.zeros(_BMP, dtype=np.int32)  # 0 = no key has this unit second
        for slot, unit in enumerate(seconds, start=1):
            self._second[unit] = slot
        # 0 = no such node. int32: the table is megabytes and looked up at random, so its size is cache misses.
        self._pair = np.zeros(max(1, len(level1) * self._width), dtype=np.int32)
        for slot, (_, node) in enumerate(level1):
            for unit, child in children[node].items():
                self._pair[slot * self._width + self._second[unit]] = child
        # Deeper levels: (parent << 16 | unit) → child, in a hash map.
        deep = [(parent, unit, child) for _, node in level1 for parent in self._below(children, node)
                for unit, child in children[parent].items()]
        self._next = PackedMap(np.array([(p << 16) | u for p, u, _ in deep], dtype=np.uint64),
                               np.array([c for _, _, c in deep], dtype=np.intp))

    @staticmethod
    def _below(children: list[dict[int, int]], node: int) -> list[int]:
        """Nodes at depth >= 2 under the level-1 ``node`` (the parents of level-3+ transitions)."""
        out: list[int] = []
        todo = list(children[node].values())
        while todo:
            parent = todo.pop()
            out.append(parent)
            todo.extend(children[parent].values())
        return out

    def find(self, folded: npt.NDArray[np.uint16]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """(starts, key ids) of every occurrence of every key in ``folded``, in no particular order."""
        n = len(folded)
        empty = np.zeros(0, dtype=np.intp)
        if not n:
            return empty, empty
        # One spare unit so that reading one past the last character is safe; 0 is no key's character.
        padded = np.empty(n + 1, dtype=np.uint16)
        padded[:n] = folded
        padded[n] = 0
        starts: list[npt.NDArray[np.intp]] = []
        kids: list[npt.NDArray[np.intp]] = []
        pos = np.flatnonzero(self._starts.take(folded))
        first = folded.take(pos)
        if self._has_single:
            done = np.flatnonzero(self._is_single.take(first))
            starts.append(pos.take(done))
            kids.append(self._single.take(first.take(done)))
        node = self._pair.take(self._offset.take(first) + self._second.take(padded[1:].take(pos)))
        alive = np.flatnonzero(node)
        pos, node = pos.take(alive), node.take(alive)
        depth = 2
        shift = np.uint64(16)
        while len(pos):
            term = self._terminal.take(node)
            done = np.flatnonzero(term >= 0)
            if len(done):
                starts.append(pos.take(done))
                kids.append(term.take(done))
            inner = np.flatnonzero(self._inner.take(node))
            pos, node = pos.take(inner), node.take(inner)
            child = self._next.get((node.astype(np.uint64) << shift) | padded.take(pos + depth).astype(np.uint64))
            alive = np.flatnonzero(child >= 0)
            pos, node = pos.take(alive), child.take(alive)
            depth += 1
        if not starts:
            return empty, empty
        return np.concatenate(starts), np.concatenate(kids)
