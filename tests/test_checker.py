"""The checker end to end: inputs by content, errors as reports, verdicts, and large files streamed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from compliance.checker import Checker
from compliance.contract import Category, Finding, Location, Origin, Severity, Status, Verdict
from compliance.settings import Settings
from compliance.verdict import verdict_of

DATA = Path(__file__).resolve().parent / "data"
AD = "叉车司机证快速班，报名学员包过，欢迎咨询。"
AD_HIT = AD.index("包过")
NEUTRAL = "本期课程内容丰富，老师认真负责，学员学习氛围良好。"


def _keys(report):
    return [(f.rule_id, f.location.start, f.location.end, f.evidence) for f in report.findings]


# -- verdicts ---------------------------------------------------------------------------------------------


def _finding(status: Status) -> Finding:
    return Finding(rule_id="guarantee_pass.bao_guo", category=Category.GUARANTEE_PASS, severity=Severity.HIGH,
                   confidence=0.9, term="包过", evidence="包过", location=Location(start=0, end=2), basis="b",
                   action="a", authority="x", status=status)


def test_verdict_of_findings():
    assert verdict_of([]) is Verdict.CLEAN
    assert verdict_of([_finding(Status.REVIEW)]) is Verdict.REVIEW
    assert verdict_of([_finding(Status.REVIEW), _finding(Status.VIOLATION)]) is Verdict.VIOLATION
    assert verdict_of([_finding(Status.VIOLATION), _finding(Status.REVIEW)]) is Verdict.VIOLATION
    assert verdict_of(iter([_finding(Status.REVIEW)])) is Verdict.REVIEW


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("报名学员包过，欢迎咨询。", Verdict.VIOLATION),
        ("本校是国家级重点技工学校，常年招生。", Verdict.REVIEW),
        ("本课程循序渐进，注重实操。", Verdict.CLEAN),
        ("", Verdict.CLEAN),
        ("本校是国家级重点技工学校，报名学员包过。", Verdict.VIOLATION),
    ],
)
def test_verdict_of_texts(checker, text, verdict):
    report = checker.check_text(text)
    assert report.verdict is verdict
    assert report.error is None
    assert report.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert sum(report.counts.values()) == len(report.findings)


def test_reference_notice_is_not_a_violation(checker):
    """The government notice that lists the forbidden words (渝人社办〔2023〕207号) quotes them; it claims nothing."""
    path = DATA / "000_1d0b67be0a6037f7.txt"
    report = checker.check_file(path)
    assert report.error is None
    assert report.media_type == "text/plain"
    assert report.characters and report.characters > 5000
    assert report.verdict is not Verdict.VIOLATION
    assert not [f for f in report.findings if f.status is Status.VIOLATION]


def test_the_same_words_in_an_ad_are_violations(checker):
    """Control for the notice: its prohibited words, used as claims, are found."""
    report = checker.check_text("中国职业技能鉴定中心颁发职业资格证书，零基础包过。")
    assert report.verdict is Verdict.VIOLATION
    assert {Category.STATE_NAME.value, Category.QUALIFICATION_TERM.value, Category.GUARANTEE_PASS.value} <= set(
        report.counts
    )


def test_a_scam_dressed_as_a_notice_is_still_checked(checker):
    scam = ("人社部发〔2024〕29号\n关于开展职业技能等级认定工作的通知\n各区县人力资源和社会保障局：\n"
            "现将有关事项通知如下：本次培训国家认可，考试包过，全国联网可查。报名电话：13800138000，报名费2980元，"
            "名额有限。\n特此通知。")
    report = checker.check_text(scam)
    assert report.verdict is Verdict.VIOLATION
    assert {"包过", "国家认可"} <= {f.evidence for f in report.findings}


def test_a_sales_pitch_appended_to_a_notice_is_flagged(checker):
    notice = (DATA / "000_1d0b67be0a6037f7.txt").read_text(encoding="utf-8")
    pitch = "报名学员包过，报名电话13800138000，报名费2980元。"
    assert checker.check_text(pitch).verdict is Verdict.VIOLATION
    report = checker.check_text(notice + "\n" + pitch)
    assert Category.GUARANTEE_PASS.value in report.counts


def test_truncated_findings_do_not_lower_the_verdict(checker):
    small = Checker(Settings(max_findings=2), ruleset=checker.ruleset)
    report = small.check_text("本校是国家级重点技工学校。报名学员包过，欢迎咨询。")
    assert report.findings_truncated
    assert report.counts.get(Category.GUARANTEE_PASS.value) == 1
    assert report.verdict is Verdict.VIOLATION


# -- files by content ---------------------------------------------------------------------------------------


def test_gbk_text_file(checker, tmp_path):
    path = tmp_path / "poster.txt"
    path.write_bytes(AD.encode("gbk"))
    report = checker.check_file(path)
    assert report.error is None
    assert report.source == str(path)
    assert report.media_type == "text/plain"
    assert report.encoding in ("gb18030", "gbk")
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert ("guarantee_pass.bao_guo", AD_HIT, AD_HIT + 2, "包过") in _keys(report)
    assert report.verdict is Verdict.VIOLATION


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"])
def test_encodings_give_the_same_findings(checker, tmp_path, encoding):
    text = "學員包過，證書國家認可。報名從速。"
    path = tmp_path / "ad.txt"
    path.write_bytes(text.encode(encoding))
    report = checker.check_file(path)
    assert _keys(report) == _keys(checker.check_text(text))
    assert report.findings


@pytest.mark.parametrize("pad", ["", " "], ids=["even", "odd"])
def test_html_named_txt_is_read_as_html(checker, tmp_path, pad):
    page = ("<!DOCTYPE html><html><head><title>叉车培训</title><script>var a='保过';</script></head>"
            f"<body><p>零基础包过</p><img src='a.png' alt='国家认可'>{pad}</body></html>")
    path = tmp_path / "landing_page.txt"
    path.write_bytes(page.encode("utf-8"))
    report = checker.check_file(path)
    assert report.media_type == "text/html"
    evidence = {f.evidence for f in report.findings}
    assert "零基础包过" in evidence
    assert "国家认可" in evidence
    assert "保过" not in evidence  # inside a script: not visible
    assert all(f.location.origin is Origin.HTML for f in report.findings)


def test_text_named_png_is_read_as_text(checker, tmp_path):
    path = tmp_path / "poster.png"
    path.write_bytes(AD.encode("utf-8"))
    report = checker.check_file(path)
    assert report.media_type == "text/plain"
    assert report.verdict is Verdict.VIOLATION


def test_broken_png_named_txt_is_an_error_report(checker, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    report = checker.check_file(path)
    assert report.verdict is Verdict.ERROR
    assert report.media_type == "image/png"
    assert report.error is not None
    # Unsupported while images are not read; unreadable (or no OCR) once they are: never text.
    assert report.error.code in {"unsupported_media", "image_unreadable", "ocr_unavailable"}
    assert report.findings == []
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("data", "media"),
    [
        (b"\x1f\x8b\x08\x00" + b"\x00" * 16, "application/gzip"),
        (b"7z\xbc\xaf\x27\x1c" + b"\x00" * 20, "application/x-7z-compressed"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "application/x-ole-storage"),
        (bytes(range(256)) * 8, "application/octet-stream"),
    ],
)
def test_unsupported_media_is_an_error_report(checker, tmp_path, data, media):
    path = tmp_path / "ad.txt"
    path.write_bytes(data)
    report = checker.check_file(path)
    assert report.verdict is Verdict.ERROR
    assert report.media_type == media
    assert report.error is not None and report.error.code == "unsupported_media"


def test_missing_file(checker, tmp_path):
    report = checker.check_file(tmp_path / "nope.txt")
    assert report.verdict is Verdict.ERROR
    assert report.error is not None and report.error.code == "not_found"
    assert report.findings == []


def test_directory(checker, tmp_path):
    report = checker.check_file(tmp_path)
    assert report.verdict is Verdict.ERROR
    assert report.error is not None and report.error.code == "is_directory"


def test_file_over_the_size_limit(checker, tmp_path):
    small = Checker(Settings(max_file_bytes=100), ruleset=checker.ruleset)
    path = tmp_path / "big.txt"
    path.write_bytes(("报名学员包过" * 20).encode())
    report = small.check_file(path)
    assert report.verdict is Verdict.ERROR
    assert report.error is not None and report.error.code == "file_too_large"
    assert report.findings == []
    assert small.check_bytes(path.read_bytes()).error.code == "file_too_large"
    # At the limit is fine.
    path.write_bytes(b"a" * 100)
    assert small.check_file(path).verdict is Verdict.CLEAN


def test_empty_file(checker, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    report = checker.check_file(path)
    assert report.verdict is Verdict.CLEAN
    assert report.error is None


# -- large files are streamed ------------------------------------------------------------------------------


def _large_text(min_chars: int) -> tuple[str, list[int]]:
    """Neutral text with 报名学员包过 every so often; returns the text and where each 包过 starts."""
    text, hits = "", []
    while len(text) < min_chars:
        text += NEUTRAL * 37
        hits.append(len(text) + 4)
        text += "报名学员包过，欢迎咨询。"
    return text, hits


@pytest.mark.parametrize(
    "settings",
    [Settings(), Settings(chunk_chars=10_000, read_bytes=4096)],
    ids=["default", "small-windows-and-blocks"],
)
def test_large_gb18030_file_streams_with_correct_offsets(checker, tmp_path, settings):
    text, hits = _large_text(60_000)
    text += "結業頒發職業資格證書"
    data = text.encode("gb18030")
    assert len(data) > 64 * 1024
    path = tmp_path / "large.txt"
    path.write_bytes(data)
    report = Checker(settings, ruleset=checker.ruleset).check_file(path)
    assert report.error is None
    assert report.encoding == "gb18030"
    assert report.characters == len(text)
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    starts = [f.location.start for f in report.findings if f.rule_id == "guarantee_pass.bao_guo"]
    assert starts == hits
    assert all(text[f.location.start:f.location.end] == f.evidence for f in report.findings)
    last = report.findings[-1]
    assert (last.category, last.evidence) == (Category.QUALIFICATION_TERM, "職業資格證")
    # Streaming finds what the whole text, analysed at once, finds.
    assert _keys(report) == _keys(checker.check_text(text))


def test_large_utf16_file_streams(checker, tmp_path):
    text, hits = _large_text(40_000)
    path = tmp_path / "large.txt"
    path.write_bytes(text.encode("utf-16"))
    report = checker.check_file(path)
    assert report.error is None
    assert [f.location.start for f in report.findings] == hits


def test_large_file_with_an_ascii_head_agrees_with_check_bytes(checker, tmp_path):
    text = "id,name,remark\n" * 5000 + "1,叉车培训,零基础包过\n"
    data = text.encode("gbk")
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    whole = checker.check_bytes(data)
    assert whole.verdict is Verdict.VIOLATION
    streamed = checker.check_file(path)
    assert streamed.verdict is Verdict.VIOLATION
    assert _keys(streamed) == _keys(whole)


def test_wording_lawful_for_filed_bodies_is_an_observation_not_a_finding(checker):
    report = checker.check_text("职业技能等级证书 证书编号：S000031000003235000781")
    assert report.verdict is Verdict.CLEAN and not report.findings
    assert [(o.kind, o.text) for o in report.observations] == [
        ("qualification_term.skill_level", "职业技能等级证书")]
    assert report.observations[0].location.start == 0 and report.observations[0].location.end == 8


def test_a_complaint_reports_claims_for_review_an_ad_does_not_claim_them(checker):
    text = "投诉：某机构宣称证书国家认可、人社部颁发，交了3000元后发现是假证。"
    assert checker.check_text(text).verdict is Verdict.CLEAN  # in an ad or a news item: a reported claim
    report = checker.check_complaint(text)
    assert report.verdict is Verdict.REVIEW
    assert {f.evidence for f in report.findings} >= {"国家认可", "人社部颁发"}
    assert all(f.status.value == "review" for f in report.findings)
    assert all(text[f.location.start:f.location.end] == f.evidence for f in report.findings)
    # The complainant asks for the body to be dealt with (要求查处): that does not make the claims a closed case.
    hotline = ("12345转办单：市民反映，某培训机构在抖音投放广告称“人社局指定培训点，免考直接发证”，市民交费2600元后"
               "发现证书在官方系统查询不到，要求查处。")
    assert checker.check_text(hotline).verdict is Verdict.CLEAN
    assert {f.category.value for f in checker.check_complaint(hotline).findings} >= {
        "impersonate_authority", "guarantee_pass"}
    # A rule statement keeps its effect in a complaint too.
    assert checker.check_complaint("严禁培训机构使用“国家”“包过”等字样。").verdict is Verdict.CLEAN
