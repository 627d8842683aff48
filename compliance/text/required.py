"""Literals a pattern cannot match without: a cheap, exact reason to skip most pattern verifications.

A rule pattern is verified by running its regex (or spaCy token pattern) around every anchor hit;
in ordinary text most anchors (劳动 in 劳动合同, 确保 in 确保过程) have nothing around them that the
pattern could match. If every match of a regex must contain one of the strings {颁发, 认证, 备案, …},
and none of them occurs in the anchor's window, the regex cannot match there, and need not run.

``regex_requirements`` proves such sets from the regex's parse tree and errs only towards proving
nothing: case-insensitive parts, back-references and unknown constructs give up.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the stdlib's own parser; stable since 3.11
from re import _parser as sre_parse
from typing import Any

_CAP = 512  # strings per literal set; larger products are cut into separate requirements
_SMALL_CLASS = 32  # [abc] / [0-9]: characters a class may expand to
MIN_LENGTH = 2  # single characters are too common to be worth a look-up

Lang = frozenset[str]


class _GiveUp(Exception):
    pass


def regex_requirements(pattern: str, flags: int = 0) -> list[Lang]:
    """Sets S1..Sk such that any match of ``pattern`` contains a string of each Si (case-sensitive).

    Only sets whose strings all have at least MIN_LENGTH characters are returned; [] proves nothing.
    """
    try:
        tree = sre_parse.parse(pattern, flags)
        if tree.state.flags & re.IGNORECASE:
            return []
        _, reqs = _sequence(list(tree))
    except (_GiveUp, re.error, RecursionError):
        return []
    return _useful(reqs)


def token_requirements(pattern: list[dict[str, Any]]) -> list[Lang]:
    """The same for a spaCy Matcher pattern: every token spec that must match once (no OP, or OP 1/+)
    and names its exact text (TEXT/ORTH: "x" or {"IN": [...]}) requires one of those texts."""
    reqs: list[Lang] = []
    for spec in pattern:
        if spec.get("OP", "1") not in ("1", "+"):
            continue
        for key in ("TEXT", "ORTH"):
            value = spec.get(key)
            if isinstance(value, str):
                reqs.append(frozenset([value]))
            elif isinstance(value, dict) and set(value) == {"IN"} and value["IN"]:
                reqs.append(frozenset(str(v) for v in value["IN"]))
    return _useful(reqs)


def _useful(reqs: list[Lang]) -> list[Lang]:
    out: list[Lang] = []
    for req in reqs:
        if req and "" not in req and min(map(len, req)) >= MIN_LENGTH and req not in out:
            out.append(req)
    return out


def _concat(left: Lang, right: Lang) -> Lang | None:
    if len(left) * len(right) > _CAP:
        return None
    return frozenset(a + b for a in left for b in right)


def _sequence(items: list[tuple[Any, Any]]) -> tuple[Lang | None, list[Lang]]:
    """(the sequence's whole finite language or None, requirements proven inside it)."""
    reqs: list[Lang] = []
    run: Lang = frozenset([""])  # the finite language of the items since the last cut
    whole: Lang | None = run
    for op, av in items:
        lang, inner = _item(op, av)
        reqs.extend(inner)
        joined = _concat(run, lang) if lang is not None else None
        if joined is None:
            reqs.append(run)  # the run so far must occur (dropped later if it may be empty)
            whole = None
            run = lang if lang is not None else frozenset([""])
        else:
            run = joined
            whole = run if whole is not None else None
    reqs.append(run)
    return whole, reqs


def _item(op: Any, av: Any) -> tuple[Lang | None, list[Lang]]:
    """(the finite language the item matches, or None; requirements that hold whenever it matches)."""
    if op is sre.LITERAL:
        return frozenset([chr(av)]), []
    if op is sre.IN:
        return _charset(av), []
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return frozenset([""]), []  # zero-width: the strings around it stay contiguous
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            raise _GiveUp
        return _sequence(list(sub))
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(list(av))  # matches a subset of what the plain group would
    if op is sre.BRANCH:
        return _branch([_sequence(list(alt)) for alt in av[1]])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        lang, inner = _sequence(list(sub))
        if hi == 0:
            return frozenset([""]), []
        if lo == 0:
            optional = lang | {""} if lang is not None and hi == 1 else None
            return optional, []
        reqs = list(inner)
        if lang is not None:
            reqs.append(lang)
        return (lang if lo == hi == 1 else None), reqs
    if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
        raise _GiveUp
    return None, []  # ANY, NOT_LITERAL, CATEGORY, …: some single character or worse


def _charset(items: list[tuple[Any, Any]]) -> Lang | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _SMALL_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # NEGATE, CATEGORY, big ranges
        if len(chars) > _SMALL_CLASS:
            return None
    return frozenset(chars)


def _branch(alts: list[tuple[Lang | None, list[Lang]]]) -> tuple[Lang | None, list[Lang]]:
    langs = [lang for lang, _ in alts]
    whole: Lang | None = None
    if all(lang is not None for lang in langs):
        union = frozenset().union(*langs)  # type: ignore[arg-type]
        whole = union if len(union) <= _CAP else None
    # A requirement of the branch: one requirement of every alternative, taken together.
    picked: set[str] = set()
    for lang, reqs in alts:
        options = [r for r in reqs if "" not in r]
        if lang is not None and "" not in lang:
            options.append(lang)
        if not options:
            return whole, []
        picked |= max(options, key=lambda r: (min(map(len, r)), -len(r)))
    if len(picked) > _CAP:
        return whole, []
    return whole, [frozenset(picked)]


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters a non-empty match of ``pattern`` can start with; None when unknown or unbounded,
    or when the pattern can match the empty string."""
    try:
        tree = sre_parse.parse(pattern, flags)
        if tree.state.flags & re.IGNORECASE:
            return None
        first, nullable = _first(list(tree))
    except (_GiveUp, re.error, RecursionError):
        return None
    return None if nullable else first


def may_be_empty(pattern: str, flags: int = 0) -> bool:
    """Can ``pattern`` match the empty string (True when unsure)?"""
    try:
        return bool(sre_parse.parse(pattern, flags).getwidth()[0] == 0)
    except (re.error, RecursionError):
        return True


def max_width(pattern: str, flags: int = 0) -> int | None:
    """The longest match ``pattern`` can make, None when unbounded."""
    try:
        width = sre_parse.parse(pattern, flags).getwidth()[1]
    except (re.error, RecursionError):
        return None
    return None if width >= sre.MAXREPEAT else int(width)


def _first(items: list[tuple[Any, Any]]) -> tuple[frozenset[str] | None, bool]:
    """(first characters of a sequence, may it match empty?); None = any character."""
    out: set[str] = set()
    for op, av in items:
        first, nullable = _first_item(op, av)
        if first is None:
            return None, False
        out |= first
        if not nullable:
            return frozenset(out), False
    return frozenset(out), True


def _first_item(op: Any, av: Any) -> tuple[frozenset[str] | None, bool]:
    if op is sre.LITERAL:
        return frozenset([chr(av)]), False
    if op is sre.IN:
        chars = _charset(av)
        return chars, False
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return frozenset(), True
    if op is sre.SUBPATTERN:
        if av[1] & re.IGNORECASE:
            raise _GiveUp
        return _first(list(av[3]))
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _first(list(av))
    if op is sre.BRANCH:
        out: set[str] = set()
        nullable = False
        for alt in av[1]:
            first, empty = _first(list(alt))
            if first is None:
                return None, False
            out |= first
            nullable = nullable or empty
        return frozenset(out), nullable
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        if hi == 0:
            return frozenset(), True
        first, empty = _first(list(sub))
        return first, empty or lo == 0
    if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
        raise _GiveUp
    return None, False
