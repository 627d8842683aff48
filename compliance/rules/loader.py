"""YAML lexicons → validated rules, with a version hash of exactly what was loaded."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from compliance.contract import Category
from compliance.rules.schema import CategoryFile, CategoryInfo, ContextFile, Rule, RuleFile
from compliance.text.normalize import fold

CATEGORY_FILE = "_categories.yaml"
CONTEXT_FILE = "_context.yaml"


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the rule."""


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    categories: dict[Category, CategoryInfo]
    context: ContextFile
    version: str
    sources: dict[str, str] = field(default_factory=dict)  # rule id -> file name

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def basis(self, rule: Rule) -> str:
        return rule.basis or self.categories[rule.category].basis

    def action(self, rule: Rule) -> str:
        return rule.action or self.categories[rule.category].action

    def authority(self, rule: Rule) -> str:
        return rule.authority or self.categories[rule.category].authority


def default_lexicon_dir() -> Path:
    return Path(str(resources.files("compliance.lexicons")))


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path.name}: cannot read YAML: {exc}") from exc


def _explain(path: Path, exc: ValidationError, data: Any) -> LexiconError:
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            try:
                rid = data["rules"][loc[1]].get("id", f"#{loc[1]}")
            except (KeyError, IndexError, TypeError, AttributeError):
                rid = f"#{loc[1]}"
            where = f"rule {rid}: " + ".".join(str(p) for p in loc[2:])
        lines.append(f"{where}: {err['msg']}")
    return LexiconError(f"{path.name}: " + "; ".join(lines))


def _fold_rule(rule: Rule, fname: str) -> Rule:
    """Store terms, anchors and exceptions in normalised form, and check each one can ever match."""

    def folded(items: list[str], what: str) -> list[str]:
        out = []
        for item in items:
            f = fold(item)
            if not f:
                raise LexiconError(f"{fname}: rule {rule.id}: {what} {item!r} is empty once normalised")
            out.append(f)
        return list(dict.fromkeys(out))

    terms = folded(rule.terms, "term")
    patterns = [p.model_copy(update={"anchors": folded(p.anchors, "anchor")}) for p in rule.patterns]
    tokens = [t.model_copy(update={"anchors": folded(t.anchors, "anchor")}) for t in rule.tokens]
    keys = terms + [a for p in patterns for a in p.anchors] + [a for t in tokens for a in t.anchors]
    for what, phrases in (("not_inside", rule.not_inside), ("review_inside", rule.review_inside)):
        for phrase in folded(phrases, what):
            if not any(k in phrase for k in keys):
                raise LexiconError(
                    f"{fname}: rule {rule.id}: {what} phrase {phrase!r} contains none of the rule's "
                    "terms or anchors, so it could never apply"
                )
    return rule.model_copy(
        update={
            "terms": terms,
            "patterns": patterns,
            "tokens": tokens,
            "not_inside": folded(rule.not_inside, "not_inside"),
            "review_inside": folded(rule.review_inside, "review_inside"),
        }
    )


def load_rules(directory: Path | None = None) -> RuleSet:
    directory = directory or default_lexicon_dir()
    if not directory.is_dir():
        raise LexiconError(f"lexicon directory not found: {directory}")
    cat_path, ctx_path = directory / CATEGORY_FILE, directory / CONTEXT_FILE
    for required in (cat_path, ctx_path):
        if not required.is_file():
            raise LexiconError(f"{required.name}: missing from {directory}")
    try:
        categories = CategoryFile.model_validate(_read_yaml(cat_path)).categories
    except ValidationError as exc:
        raise LexiconError(f"{cat_path.name}: {exc}") from exc
    ctx_data = _read_yaml(ctx_path)
    try:
        context = ContextFile.model_validate(ctx_data)
    except ValidationError as exc:
        raise _explain(ctx_path, exc, ctx_data) from exc

    rules: list[Rule] = []
    sources: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = _read_yaml(path)
        try:
            parsed = RuleFile.model_validate(data)
        except ValidationError as exc:
            raise _explain(path, exc, data) from exc
        for rule in parsed.rules:
            if rule.id in sources:
                raise LexiconError(f"{path.name}: rule {rule.id}: duplicate id (also in {sources[rule.id]})")
            if rule.category not in categories:
                raise LexiconError(f"{path.name}: rule {rule.id}: category {rule.category} has no entry "
                                   f"in {CATEGORY_FILE}")
            sources[rule.id] = path.name
            rules.append(_fold_rule(rule, path.name))
    if not rules:
        raise LexiconError(f"no rules found in {directory}")

    canonical = json.dumps(
        {
            "rules": [r.model_dump(mode="json") for r in rules],
            "categories": {k.value: v.model_dump(mode="json") for k, v in categories.items()},
            "context": context.model_dump(mode="json"),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    version = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
    return RuleSet(tuple(rules), categories, context, version, sources)
