"""The `compliance` command: exit status, output formats, stdin, rules and lexicon tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli import app
from compliance.rules.loader import load_rules

REPO = Path(__file__).resolve().parents[1]
AD = "叉车司机证快速班，报名学员包过，欢迎咨询。"
LAWFUL = "本课程循序渐进，注重实操，每周二、四晚上课。"
MEDIUM_ONLY = "包教包会，随到随学"  # guarantee_pass.effect: a medium-severity promise of results

runner = CliRunner()


def run(*args: str, stdin: bytes | None = None):
    # A wide terminal, so that tables are not cut to 80 columns.
    return runner.invoke(app, list(args), input=stdin, env={"COLUMNS": "300"})


@pytest.fixture
def files(tmp_path):
    (tmp_path / "ad.txt").write_text(AD, encoding="utf-8")
    (tmp_path / "lawful.txt").write_text(LAWFUL, encoding="utf-8")
    (tmp_path / "medium.txt").write_text(MEDIUM_ONLY, encoding="utf-8")
    return tmp_path


def _json(result) -> dict:
    return json.loads(result.stdout)


def test_clean_input_exits_0(files, assert_contract):
    result = run("check", str(files / "lawful.txt"), "--format", "json")
    assert result.exit_code == 0, result.output
    document = _json(result)
    assert_contract(document)
    assert [r["verdict"] for r in document["reports"]] == ["clean"]


def test_findings_exit_1_and_table_shows_them(files):
    result = run("check", str(files / "ad.txt"))
    assert result.exit_code == 1
    assert "guarantee_pass" in result.stdout
    assert "包过" in result.stdout
    assert "violation" in result.stdout


def test_narrow_or_piped_table_stacks_findings_and_brackets_the_evidence(files):
    # 60 columns cannot hold five columns of Chinese; uncoloured output must still show which characters are meant.
    result = runner.invoke(app, ["check", str(files / "ad.txt")], env={"COLUMNS": "60"})
    assert result.exit_code == 1
    assert "⟦包过⟧" in result.stdout
    line = next(ln for ln in result.stdout.splitlines() if "guarantee_pass.bao_guo" in ln)
    assert line.startswith("• high")


def test_piped_table_is_not_cut_to_80_columns(files):
    proc = subprocess.run([sys.executable, "-m", "compliance.cli", "check", str(files / "ad.txt")],
                          capture_output=True, env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
                          cwd=REPO, timeout=120)
    out = proc.stdout.decode()
    assert proc.returncode == 1, proc.stderr.decode()
    assert "┃" in out and "⟦包过⟧" in out
    assert max(len(ln) for ln in out.splitlines()) > 80
    assert b"Building prefix dict" not in proc.stderr


def test_json_output_matches_the_contract(files, assert_contract):
    result = run("check", str(files / "ad.txt"), str(files / "lawful.txt"), "--format", "json")
    assert result.exit_code == 1
    document = _json(result)
    assert_contract(document)
    reports = {Path(r["source"]).name: r for r in document["reports"]}
    assert reports.keys() == {"ad.txt", "lawful.txt"}
    hit = next(f for f in reports["ad.txt"]["findings"] if f["category"] == "guarantee_pass")
    start, end = hit["location"]["start"], hit["location"]["end"]
    assert AD[start:end] == hit["evidence"] == "包过"


def test_jsonl_is_one_document_per_line(files, assert_contract):
    result = run("check", str(files / "ad.txt"), str(files / "lawful.txt"), "--format", "jsonl")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        document = json.loads(line)
        assert_contract(document)
        assert len(document["reports"]) == 1
    assert [json.loads(line)["reports"][0]["verdict"] for line in lines] == ["violation", "clean"]


def test_missing_file_exits_2_and_the_others_are_still_reported(files, assert_contract):
    missing = files / "nope.txt"
    result = run("check", str(files / "ad.txt"), str(missing), str(files / "lawful.txt"), "--format", "jsonl")
    assert result.exit_code == 2
    reports = [json.loads(line)["reports"][0] for line in result.stdout.splitlines()]
    by_name = {Path(r["source"]).name: r for r in reports}
    assert by_name.keys() == {"ad.txt", "nope.txt", "lawful.txt"}
    assert by_name["nope.txt"]["verdict"] == "error"
    assert by_name["nope.txt"]["error"]["code"] == "not_found"
    assert by_name["ad.txt"]["verdict"] == "violation"
    assert by_name["lawful.txt"]["verdict"] == "clean"
    assert "nope.txt" in result.stderr and "not_found" in result.stderr


def test_error_wins_over_findings_whatever_the_order(files):
    missing = str(files / "nope.txt")
    assert run("check", missing, str(files / "ad.txt"), "--format", "json").exit_code == 2
    assert run("check", str(files / "ad.txt"), missing, "--format", "json").exit_code == 2


def test_no_inputs_exits_2():
    result = run("check")
    assert result.exit_code == 2
    assert "nothing to check" in result.stderr
    assert result.stdout == ""


def test_fail_on_threshold(files):
    medium = str(files / "medium.txt")
    shown = _json(run("check", medium, "--format", "json"))
    severities = {f["severity"] for r in shown["reports"] for f in r["findings"]}
    assert severities == {"medium"}, "the test input must have only medium findings"
    assert run("check", medium, "--format", "json").exit_code == 1  # default: low
    assert run("check", medium, "--format", "json", "--fail-on", "medium").exit_code == 1
    assert run("check", medium, "--format", "json", "--fail-on", "high").exit_code == 0
    assert run("check", str(files / "ad.txt"), "--format", "json", "--fail-on", "high").exit_code == 1


def test_text_option(assert_contract):
    result = run("check", "--text", AD, "--text", LAWFUL, "--format", "json")
    assert result.exit_code == 1
    document = _json(result)
    assert_contract(document)
    assert [(r["source"], r["verdict"]) for r in document["reports"]] == [
        ("--text[0]", "violation"), ("--text[1]", "clean"),
    ]


def test_stdin_gb18030_through_the_installed_module(assert_contract):
    """`-` reads raw bytes from stdin; run as a real process so stdin is a byte stream."""
    proc = subprocess.run(
        [sys.executable, "-m", "compliance.cli", "check", "-", "--format", "json"],
        input=AD.encode("gb18030"), capture_output=True, timeout=120, cwd=REPO, check=False,
    )
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")
    document = json.loads(proc.stdout)
    assert_contract(document)
    (report,) = document["reports"]
    assert report["source"] == "<stdin>"
    assert report["encoding"] == "gb18030"
    assert [(f["evidence"], f["location"]["start"]) for f in report["findings"]
            if f["category"] == "guarantee_pass"] == [("包过", AD.index("包过"))]


def test_stdin_in_process():
    result = run("check", "-", "--format", "json", stdin=LAWFUL.encode("gb18030"))
    assert result.exit_code == 0
    assert _json(result)["reports"][0]["verdict"] == "clean"


COMPLAINT = "投诉：某机构宣称证书国家认可、人社部颁发，交了3000元后发现是假证。"


def test_complaint_option_raises_the_reported_claims_for_review(assert_contract):
    # As --text the sentence reports a claim and counts nothing; as a complaint the claims are the point.
    assert _json(run("check", "--text", COMPLAINT, "--format", "json"))["reports"][0]["verdict"] == "clean"
    result = run("check", "--complaint", COMPLAINT, "--format", "json")
    assert result.exit_code == 1
    document = _json(result)
    assert_contract(document)
    (report,) = document["reports"]
    assert report["source"] == "--complaint" and report["verdict"] == "review"
    assert {f["evidence"] for f in report["findings"]} >= {"国家认可", "人社部颁发"}
    assert all(any("complaint" in n for n in f["notes"]) for f in report["findings"])


def test_complaint_from_stdin_is_decoded_by_content_and_bad_bytes_are_an_error(files):
    result = run("check", "--complaint", "-", "--format", "json", stdin=COMPLAINT.encode("gb18030"))
    assert result.exit_code == 1
    (report,) = _json(result)["reports"]
    assert report["source"] == "<stdin> (complaint)" and report["verdict"] == "review"
    # Undecodable bytes: an error report with its code and exit 2; the file beside it is still checked.
    result = run("check", "--complaint", "-", str(files / "ad.txt"), "--format", "json", stdin=b"\xff\xfe\x00\xd8")
    assert result.exit_code == 2
    reports = _json(result)["reports"]
    assert reports[0]["verdict"] == "error" and reports[0]["error"]["code"] == "undecodable"
    assert reports[1]["verdict"] == "violation"
    # stdin cannot be both the complaint and an attachment.
    assert run("check", "--complaint", "-", "-").exit_code == 2


def test_directory_input_checks_every_file(files):
    result = run("check", str(files), "--format", "jsonl")
    assert result.exit_code == 1
    names = sorted(Path(json.loads(line)["reports"][0]["source"]).name for line in result.stdout.splitlines())
    assert names == ["ad.txt", "lawful.txt", "medium.txt"]


def test_rules_json_lists_the_rules():
    result = run("rules", "--format", "json")
    ruleset = load_rules()  # loaded next to the command, not at session start: lexicons are data that changes
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["lexicon_version"] == ruleset.version
    assert [r["id"] for r in data["rules"]] == [r.id for r in ruleset.rules]
    for rule in data["rules"]:
        assert {"id", "category", "severity", "message", "file"} <= rule.keys()
        assert rule["file"].endswith(".yaml")
        assert "examples" not in rule


def test_rules_table():
    result = run("rules")
    assert result.exit_code == 0
    assert "guarantee_pass.bao_guo" in result.stdout


def test_lexicon_test_passes_for_the_bundled_lexicons():
    result = run("lexicon", "test")
    assert result.exit_code == 0, result.stdout
    assert " 0 failed" in result.stdout
    assert "FAIL" not in result.stdout


def _lexicon_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "lexicons"
    directory.mkdir()
    for name in ("_categories.yaml", "_context.yaml"):
        shutil.copy(REPO / "lexicons" / name, directory / name)
    return directory


RULE = """\
rules:
  - id: guarantee_pass.test
    category: guarantee_pass
    severity: high
    message: 测试
    terms: [包过]
    examples:
      flag: [{flag}]
"""


def test_lexicon_test_fails_on_a_failing_example(tmp_path):
    directory = _lexicon_copy(tmp_path)
    (directory / "a.yaml").write_text(RULE.format(flag="本课程注重实操"), encoding="utf-8")
    result = run("lexicon", "test", "--lexicon", str(directory))
    assert result.exit_code == 1
    assert "FAIL guarantee_pass.test" in result.stdout


def test_custom_lexicon_is_used_by_check(tmp_path):
    directory = _lexicon_copy(tmp_path)
    (directory / "a.yaml").write_text(RULE.format(flag="本班包过"), encoding="utf-8")
    result = run("check", "--lexicon", str(directory), "--text", "国家认可，本班包过", "--format", "json")
    assert result.exit_code == 1
    (report,) = _json(result)["reports"]
    # Only the custom rule (the statistical model's review findings are not lexicon rules: set apart).
    assert {f["rule_id"] for f in report["findings"] if not f["rule_id"].startswith("model.")} == {
        "guarantee_pass.test"}


def test_broken_lexicon_exits_2(tmp_path):
    directory = _lexicon_copy(tmp_path)
    (directory / "a.yaml").write_text(RULE.format(flag="本班包过").replace("severity: high", "severity: huge"),
                                      encoding="utf-8")
    result = run("check", "--lexicon", str(directory), "--text", "本班包过")
    assert result.exit_code == 2
    assert "a.yaml" in result.stderr and "guarantee_pass.test" in result.stderr


def test_lexicon_eval_scores_a_labelled_set(tmp_path):
    labelled = tmp_path / "set.jsonl"
    items = [
        {"id": "a", "kind": "ad_violation", "text": AD, "expect": ["guarantee_pass"], "forbid": ["state_name"]},
        {"id": "b", "kind": "ad_violation", "text": LAWFUL, "expect": ["absolute_claim"], "forbid": []},
        {"id": "c", "kind": "news", "text": "本报讯 某机构宣称“包过”被查处。", "expect": [],
         "forbid": ["guarantee_pass"]},
    ]
    labelled.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    result = run("lexicon", "eval", str(labelled))
    assert result.exit_code == 0, result.output
    assert "guarantee_pass" in result.stdout and "1/1 1.000" in result.stdout
    assert "absolute_claim" in result.stdout and "0/1 0.000" in result.stdout
    assert "b [ad_violation]" in result.stdout  # the missed item is listed
    assert "a [ad_violation]" not in result.stdout
    below = run("lexicon", "eval", str(labelled), "--min-recall", "0.9")
    assert below.exit_code == 1


def test_lexicon_eval_bad_file_exits_2(tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "text": "包过"}\n{not json\n', encoding="utf-8")
    result = run("lexicon", "eval", str(broken))
    assert result.exit_code == 2
    assert "broken.jsonl:2" in result.output
