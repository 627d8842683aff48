from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from tests.docs_render import make_zip, text_pdf

REPO = Path(__file__).resolve().parent.parent


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "compliance.cli", *args], capture_output=True, text=True,
                          cwd=cwd or REPO, timeout=300)


def _reports(stdout: str) -> dict[str, dict]:
    out = {}
    for line in stdout.splitlines():
        doc = json.loads(line)
        assert set(doc) == {"engine", "reports"} and len(doc["reports"]) == 1
        out[doc["reports"][0]["source"]] = doc["reports"][0]
    return out


def test_folder_and_archive_batch_with_attacks(tmp_path):
    folder = tmp_path / "campaign"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("零基础包过", encoding="utf-8")
    (folder / "sub" / "b.txt").write_bytes("学员完成学习后颁发结业证明".encode("gb18030"))
    (folder / "sub" / "c.bin").write_bytes(b"\x00\x01\x02\x03" * 100)
    archive = tmp_path / "upload.zip"
    archive.write_bytes(make_zip({"ok.txt": "证书国家认可".encode(), "../evil.txt": b"x",
                                  "bomb.txt": b"\0" * 3_000_000}))
    summary = tmp_path / "summary.csv"
    res = _cli("check", str(folder), str(archive), "--format", "jsonl", "--jobs", "2", "--summary", str(summary))
    assert res.returncode == 2, res.stderr  # errors present; the batch still finished
    reports = _reports(res.stdout)
    assert reports[str(folder / "a.txt")]["verdict"] == "violation"
    assert reports[str(folder / "sub" / "b.txt")]["verdict"] == "clean"
    assert reports[str(folder / "sub" / "c.bin")]["error"]["code"] == "unsupported_media"
    assert reports[f"{archive}!/ok.txt"]["verdict"] == "violation"
    assert reports[f"{archive}!/../evil.txt"]["error"]["code"] == "archive_unsafe"
    assert reports[f"{archive}!/bomb.txt"]["error"]["code"] == "archive_unsafe"
    assert len(reports) == 6
    assert "archive_unsafe" in res.stderr
    with summary.open(encoding="utf-8-sig") as fh:
        rows = {r["source"]: r for r in csv.DictReader(fh)}
    assert len(rows) == 6
    a = rows[str(folder / "a.txt")]
    assert a["verdict"] == "violation" and a["guarantee_pass"] == "1" and a["categories"] == "guarantee_pass"
    assert rows[f"{archive}!/bomb.txt"]["error_code"] == "archive_unsafe"


def test_annotate_draws_boxes_on_pdf_pages(tmp_path):
    from PIL import Image

    pdf = tmp_path / "brochure.pdf"
    pdf.write_bytes(text_pdf([[(60, 100, "本班承诺包过，七天拿证")]]))
    out = tmp_path / "evidence"
    res = _cli("check", str(pdf), "--format", "json", "--annotate", str(out))
    assert res.returncode == 1, res.stderr
    report = json.loads(res.stdout)["reports"][0]
    assert len(report["annotations"]) == 1
    image = Image.open(report["annotations"][0]).convert("RGB")
    k = image.width / 595  # rendered at 144 dpi: 2 pixels per point
    box = next(f for f in report["findings"] if f["evidence"] == "包过")["location"]["bbox"]
    x0, y0, _x1, y1 = (v * k for v in box)
    # The frame is drawn just outside the box: pixels on its left edge are coloured, not white or black.
    edge = [image.getpixel((int(x0) - 2, int((y0 + y1) / 2)))]
    assert any(abs(r - g) > 60 or abs(g - b) > 60 for r, g, b in edge)


def test_text_inputs_and_stdin_in_one_run(tmp_path):
    res = subprocess.run([sys.executable, "-m", "compliance.cli", "check", "-", "--text", "包过", "--format", "jsonl"],
                         input="國家認可".encode("big5"), capture_output=True, cwd=REPO, timeout=120)
    assert res.returncode == 1
    reports = _reports(res.stdout.decode())
    assert reports["<stdin>"]["encoding"] == "big5" and reports["--text"]["verdict"] == "violation"
