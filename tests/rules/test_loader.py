"""Lexicon loading: strict validation with errors that name the file and the rule; a version hash of the rules."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from compliance.contract import Category
from compliance.rules.examples import run_examples
from compliance.rules.loader import CATEGORY_FILE, CONTEXT_FILE, LexiconError, load_rules

LEXICONS = Path(__file__).resolve().parents[2] / "lexicons"

RULE = """\
rules:
  - id: {rule_id}
    category: {category}
    severity: high
    message: 测试规则
    terms: [包过, 保过]
{extra}    examples:
      flag: [本班包过]
      ok: [确保过程透明]
"""


def _rule(rule_id: str = "guarantee_pass.test", category: str = "guarantee_pass", extra: str = "") -> str:
    return RULE.format(rule_id=rule_id, category=category, extra=textwrap.indent(textwrap.dedent(extra), "    "))


@pytest.fixture
def lexicon(tmp_path):
    """A rules directory with the bundled shared files; write rule files into it."""
    for name in (CATEGORY_FILE, CONTEXT_FILE):
        shutil.copy(LEXICONS / name, tmp_path / name)

    def write(name: str, text: str) -> Path:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path

    return write


def test_a_minimal_lexicon_loads(lexicon):
    rules = load_rules(lexicon("a.yaml", _rule()))
    assert [r.id for r in rules.rules] == ["guarantee_pass.test"]
    assert rules.sources == {"guarantee_pass.test": "a.yaml"}
    rule = rules.by_id("guarantee_pass.test")
    # Defaults come from _categories.yaml when the rule states none.
    assert rules.basis(rule) == rules.categories[Category.GUARANTEE_PASS].basis
    assert rules.authority(rule) == rules.categories[Category.GUARANTEE_PASS].authority
    with pytest.raises(KeyError):
        rules.by_id("guarantee_pass.nope")


def test_terms_are_stored_folded(lexicon):
    text = _rule(extra="not_inside: [麵包過期]\n").replace("[包过, 保过]", "[包過, ＢＡＯ过]")
    rules = load_rules(lexicon("a.yaml", text))
    rule = rules.rules[0]
    assert rule.terms == ["包过", "bao过"]
    assert rule.not_inside == ["面包过期"]


@pytest.mark.parametrize(
    ("files", "rule_id", "fname", "words"),
    [
        pytest.param({"a.yaml": _rule(extra="colour: red\n")}, "guarantee_pass.test", "a.yaml", ["colour"],
                     id="unknown-key"),
        pytest.param({"a.yaml": _rule(extra="patterns:\n  - regex: '包(过'\n    anchors: [包]\n")},
                     "guarantee_pass.test", "a.yaml", ["regex"], id="bad-regex"),
        pytest.param({"a.yaml": _rule(), "b.yaml": _rule()}, "guarantee_pass.test", "b.yaml",
                     ["duplicate", "a.yaml"], id="duplicate-id"),
        pytest.param({"a.yaml": _rule(category="bogus_category")}, "guarantee_pass.test", "a.yaml", ["category"],
                     id="bad-category"),
        pytest.param({"a.yaml": _rule(extra="not_inside: [过程透明]\n")},
                     "guarantee_pass.test", "a.yaml", ["not_inside", "过程透明"], id="not-inside-without-term"),
        pytest.param({"a.yaml": _rule(extra="review_inside: [国家级重点技工学校]\n")},
                     "guarantee_pass.test", "a.yaml", ["review_inside"], id="review-inside-without-term"),
        pytest.param({"a.yaml": _rule(extra="severity_level: 3\n")}, "guarantee_pass.test", "a.yaml",
                     ["severity_level"], id="unknown-key-2"),
        pytest.param({"a.yaml": _rule().replace("[包过, 保过]", "['，', '😀']")}, "guarantee_pass.test", "a.yaml",
                     ["empty"], id="term-only-separators"),
        pytest.param({"a.yaml": _rule().replace("    terms: [包过, 保过]\n", "")}, "guarantee_pass.test", "a.yaml",
                     ["terms"], id="no-matcher"),
    ],
)
def test_lexicon_errors_name_the_file_and_the_rule(lexicon, files, rule_id, fname, words):
    directory = None
    for name, text in files.items():
        directory = lexicon(name, text)
    with pytest.raises(LexiconError) as info:
        load_rules(directory)
    message = str(info.value)
    assert fname in message
    assert rule_id in message
    for word in words:
        assert word in message


def test_not_inside_checks_the_rules_own_terms(lexicon):
    # 确保过程 holds 保过, one of the rule's terms, so the exception can apply and loads.
    rules = load_rules(lexicon("a.yaml", _rule(extra="not_inside: [确保过程]\n")))
    assert rules.rules[0].not_inside == ["确保过程"]


def test_category_must_have_an_entry_in_categories_file(lexicon, tmp_path):
    data = yaml.safe_load((tmp_path / CATEGORY_FILE).read_text(encoding="utf-8"))
    del data["categories"]["guarantee_pass"]
    (tmp_path / CATEGORY_FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_rules(lexicon("a.yaml", _rule()))
    message = str(info.value)
    assert "a.yaml" in message and "guarantee_pass.test" in message and CATEGORY_FILE in message


def test_invalid_yaml_names_the_file(lexicon):
    with pytest.raises(LexiconError, match=r"a\.yaml"):
        load_rules(lexicon("a.yaml", "rules: [\n  - id: x"))


@pytest.mark.parametrize("missing", [CATEGORY_FILE, CONTEXT_FILE])
def test_shared_files_are_required(lexicon, tmp_path, missing):
    lexicon("a.yaml", _rule())
    (tmp_path / missing).unlink()
    with pytest.raises(LexiconError, match=missing):
        load_rules(tmp_path)


def test_empty_and_missing_directories(lexicon, tmp_path):
    with pytest.raises(LexiconError):
        load_rules(tmp_path / "nowhere")
    with pytest.raises(LexiconError, match="no rules"):
        load_rules(tmp_path)  # only the shared files


# -- version ---------------------------------------------------------------------------------------------


def test_version_is_stable(lexicon):
    directory = lexicon("a.yaml", _rule())
    first = load_rules(directory).version
    assert load_rules(directory).version == first
    # Comments and layout are not rules.
    lexicon("a.yaml", "# a comment\n" + _rule().replace("terms: [包过, 保过]", "terms:\n      - 包过\n      - 保过"))
    assert load_rules(directory).version == first


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("[包过, 保过]", "[包过, 保过, 包拿证]"),  # a term added
        lambda text: text.replace("severity: high", "severity: medium"),
        lambda text: text.replace("flag: [本班包过]", "flag: [本班包过, 学员保过]"),  # examples are part of a rule
        lambda text: text.replace("message: 测试规则", "message: 另一条说明"),
    ],
)
def test_version_changes_when_a_rule_changes(lexicon, change):
    directory = lexicon("a.yaml", _rule())
    before = load_rules(directory).version
    lexicon("a.yaml", change(_rule()))
    assert load_rules(directory).version != before


def test_version_changes_with_shared_context(lexicon, tmp_path):
    directory = lexicon("a.yaml", _rule())
    before = load_rules(directory).version
    with (tmp_path / CONTEXT_FILE).open("a", encoding="utf-8") as fh:
        fh.write("\n# appended: comments do not count\n")
    assert load_rules(directory).version == before
    data = yaml.safe_load((tmp_path / CONTEXT_FILE).read_text(encoding="utf-8"))
    data["prohibition_markers"].append("绝对禁止")
    (tmp_path / CONTEXT_FILE).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_rules(directory).version != before


def test_bundled_lexicon_version_matches_a_copy(tmp_path):
    copy = tmp_path / "lexicons"
    shutil.copytree(LEXICONS, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    assert load_rules(copy).version == load_rules().version


# -- the bundled lexicons --------------------------------------------------------------------------------


def test_bundled_lexicons_load(ruleset):
    assert ruleset.rules
    ids = [r.id for r in ruleset.rules]
    assert len(ids) == len(set(ids))
    for rule in ruleset.rules:
        assert rule.id.split(".")[0] == rule.category.value, "rule ids start with their category"
        assert ruleset.sources[rule.id].endswith(".yaml")
    # Every category with literal vocabulary in DOMAIN.md has rules.
    covered = {r.category for r in ruleset.rules}
    for category in (Category.STATE_NAME, Category.QUALIFICATION_TERM, Category.GUARANTEE_PASS,
                     Category.IMPERSONATE_AUTHORITY, Category.ABSOLUTE_CLAIM, Category.MISLEADING_CLAIM):
        assert category in covered


def test_bundled_rule_examples_pass(ruleset):
    """Every rule's annotated examples: flag texts are flagged by that rule alone, ok texts are not."""
    count, failures = run_examples(ruleset)
    assert count == sum(len(r.examples.flag) + len(r.examples.ok) for r in ruleset.rules)
    assert count > 100
    assert failures == []


def test_run_examples_reports_a_failing_example(lexicon):
    text = _rule().replace("ok: [确保过程透明]", "ok: [本班保过]").replace("flag: [本班包过]", "flag: [本课程注重实操]")
    count, failures = run_examples(load_rules(lexicon("a.yaml", text)))
    assert count == 2
    assert {(f.rule_id, f.kind, f.text) for f in failures} == {
        ("guarantee_pass.test", "flag", "本课程注重实操"),
        ("guarantee_pass.test", "ok", "本班保过"),
    }
    assert next(f for f in failures if f.kind == "ok").found == ("保过",)
