"""The web page in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser is
downloaded): log in with a key, drop a rendered certificate image, see the findings table and the boxed page
picture, download the report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.service.helpers import ServerProcess, certificate_png

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.is_file() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def test_login_upload_certificate_see_boxes_download(tmp_path, browser):
    srv = ServerProcess(tmp_path / "var")
    key = srv.cli("admin", "create-key", "--role", "inspector", "--name", "browser").stdout.strip().splitlines()[-1]
    cert = tmp_path / "certificate.png"
    cert.write_bytes(certificate_png(["职业技能等级证书", "中华人民共和国职业资格证书", "零基础包过 国家认可"]))
    srv.start()
    try:
        page = browser.new_page(accept_downloads=True)
        page.goto(srv.url + "/")
        page.fill("#key", "wrong-key")
        page.click("#login")
        assert "密钥无效" in page.inner_text("body")
        page.fill("#key", key)
        page.click("#login")
        page.wait_for_selector("#upload-form")
        assert "上传检查" in page.inner_text("body")

        # Drop the file onto the drop zone (a DataTransfer built in the page), then submit.
        data = list(cert.read_bytes())
        page.evaluate(
            """(bytes) => {
                const dt = new DataTransfer();
                dt.items.add(new File([new Uint8Array(bytes)], "certificate.png", {type: "image/png"}));
                const drop = document.getElementById("drop");
                drop.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
            }""",
            data,
        )
        assert "certificate.png" in page.inner_text("#chosen")
        page.click("#submit")
        page.wait_for_url("**/jobs/*")

        # The page polls and reloads until the job is done; then the table and the boxed picture are there.
        page.wait_for_selector("table.findings", timeout=180_000)
        table = page.inner_text("table.findings")
        assert "保过承诺" in table and "零基础包过" in table
        assert "国家名称字样" in table and "中华人民共和国" in table
        assert "广告法" in table  # the basis column
        img = page.wait_for_selector("img.page")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img)
        assert img.evaluate("i => i.naturalWidth") >= 900
        page.screenshot(path=str(tmp_path / "results.png"), full_page=True)

        with page.expect_download() as dl:
            page.click("#download-html")
        saved = tmp_path / "report.html"
        dl.value.save_as(saved)
        html = saved.read_text(encoding="utf-8")
        assert "合规检查报告" in html and "零基础包过" in html and "data:image/png;base64," in html
        with page.expect_download() as dl:
            page.click("#download-csv")
        dl.value.save_as(tmp_path / "report.csv")
        assert "guarantee_pass" in (tmp_path / "report.csv").read_text(encoding="utf-8-sig")

        # The job list on the start page shows it finished.
        page.goto(srv.url + "/")
        assert "已完成" in page.inner_text("table.jobs")
    finally:
        srv.stop()
