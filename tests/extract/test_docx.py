from __future__ import annotations

from tests.docs_render import make_docx


def test_docx_paragraphs_tables_headers_footers(checker):
    data = make_docx(["叉车司机证快速班，七天拿证。"], table=[["证书国家认可", "咨询电话"]],
                     header="人社部备案机构", footer="地址：中华路88号")
    report = checker.check_bytes(data, source="ad.docx")
    assert report.media_type.endswith("wordprocessingml.document")
    cats = {f.category.value for f in report.findings}
    assert {"guarantee_pass", "impersonate_authority", "state_name"} <= cats
    evidence = {f.evidence for f in report.findings}
    assert "七天拿证" in evidence and "人社部备案" in evidence
    assert all(f.location.page == 1 and f.location.origin.value == "docx" for f in report.findings)
    # The footer's 中华路 is an address: no state_name finding from it.
    assert not any(f.evidence == "中华" for f in report.findings)


def test_docx_misnamed_is_recognised_by_content(tmp_path, checker):
    path = tmp_path / "notes.txt"
    path.write_bytes(make_docx(["包过"]))
    report = checker.check_file(path)
    assert report.media_type.endswith("wordprocessingml.document")
    assert [f.evidence for f in report.findings] == ["包过"]


def test_broken_docx_is_an_error_report(checker):
    from tests.docs_render import make_zip

    data = make_zip({"word/document.xml": b"<not xml", "[Content_Types].xml": b"<Types/>"})
    report = checker.check_bytes(data, source="broken.docx")
    assert report.verdict.value == "error" and report.error.code == "docx_unreadable"
