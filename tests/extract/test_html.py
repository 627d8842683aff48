"""Visible text of a web page: what a reader sees, including alt and title texts; never scripts or styles."""

from __future__ import annotations

from compliance.extract.html import html_text

PAGE = """<!DOCTYPE html>
<html><head>
<title>叉车司机培训</title>
<meta name="description" content="快速取证，全国通用">
<meta name="viewport" content="width=device-width">
<style>.banner::after { content: "样式里的包过"; }</style>
<script>var slogan = "脚本里的保过"; document.title = slogan;</script>
</head>
<body>
<h1>欢迎报名</h1>
<p>本期课程<b>实操</b>为主。</p>
<img src="cert.png" alt="国家认可证书样本">
<a href="/q" title="官网可查">证书查询</a>
<noscript>请启用脚本</noscript>
<!-- 注释里的包过 -->
<template><p>模板里的包过</p></template>
<svg><text>图形里的包过</text></svg>
<script type="application/ld+json">{"name": "包过班"}</script>
</body></html>"""


def test_scripts_styles_and_hidden_parts_are_dropped():
    text = html_text(PAGE)
    hidden_parts = ("脚本里的保过", "样式里的包过", "模板里的包过", "图形里的包过", "注释里的包过", "包过班",
                    "var slogan", "content:")
    for hidden in hidden_parts:
        assert hidden not in text


def test_visible_text_alt_title_and_description_are_kept():
    text = html_text(PAGE)
    visible_parts = ("叉车司机培训", "快速取证，全国通用", "欢迎报名", "实操", "证书查询",
                     "国家认可证书样本", "官网可查")
    for visible in visible_parts:
        assert visible in text
    assert "width=device-width" not in text  # only description-like meta tags are text


def test_blocks_are_separated():
    text = html_text("<p>第一段</p><p>第二段</p>")
    assert text.split("\n") == ["第一段", "第二段"]


def test_entities_are_decoded():
    assert html_text("<p>包&nbsp;过 &amp; 保&#36807;</p>") == "包\xa0过 & 保过"


def test_fragment_and_plain_text():
    assert html_text("<div>七天拿证</div>") == "七天拿证"
    assert html_text("just text 包过") == "just text 包过"


def test_page_is_checked_for_its_visible_claims(checker):
    report = checker.check_bytes(PAGE.encode("utf-8"), source="page.html")
    assert report.media_type == "text/html"
    evidence = {f.evidence for f in report.findings}
    assert {"快速取证", "国家认可", "官网可查"} <= evidence
    assert not any("脚本" in (f.context or "") or "样式" in (f.context or "") for f in report.findings)
    assert all(f.location.origin.value == "html" for f in report.findings)
    # Offsets are in the extracted text, which is what the evidence was cut from.
    text = html_text(PAGE)
    assert all(text[f.location.start:f.location.end] == f.evidence for f in report.findings)
