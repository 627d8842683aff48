"""Evidence pictures: each page with findings, every finding's box drawn and labelled by category."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from compliance.contract import Category, Finding, Report
from compliance.extract.document import Document

_COLOURS: dict[Category, tuple[int, int, int]] = {
    Category.STATE_NAME: (220, 20, 60),
    Category.QUALIFICATION_TERM: (255, 140, 0),
    Category.GUARANTEE_PASS: (199, 21, 133),
    Category.IMPERSONATE_AUTHORITY: (139, 0, 0),
    Category.ABSOLUTE_CLAIM: (30, 144, 255),
    Category.MISLEADING_CLAIM: (0, 128, 128),
    Category.NATIONAL_EMBLEM: (178, 34, 34),
    Category.NATIONAL_FLAG: (178, 34, 34),
    Category.ORGAN_MARK: (128, 0, 128),
    Category.CERTIFICATE_REGISTRY: (85, 107, 47),
}
# Debian's fonts-wqy-zenhei / fonts-wqy-microhei (installed by .ci/run and the README's set-up): labels carry the
# category's Chinese title; without them the ASCII category id is drawn with Pillow's own font.
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
CATEGORY_TITLES: dict[Category, str] = {
    Category.STATE_NAME: "国家名称字样",
    Category.QUALIFICATION_TERM: "职业资格等用语",
    Category.GUARANTEE_PASS: "保过承诺",
    Category.IMPERSONATE_AUTHORITY: "假借机关名义",
    Category.ABSOLUTE_CLAIM: "绝对化用语",
    Category.MISLEADING_CLAIM: "误导宣传",
    Category.NATIONAL_EMBLEM: "国徽",
    Category.NATIONAL_FLAG: "国旗",
    Category.ORGAN_MARK: "机关标志/印章",
    Category.CERTIFICATE_REGISTRY: "备案核验",
}


@lru_cache(maxsize=8)
def _font(size: int) -> tuple[Any, bool]:
    from PIL import ImageFont

    for path in _FONT_CANDIDATES:
        if Path(path).is_file():
            return ImageFont.truetype(path, size), True
    return ImageFont.load_default(), False


def _slug(source: str) -> str:
    base = re.sub(r"[^\w.-]+", "_", Path(source.split("!/")[-1]).name)[-60:] or "input"
    return f"{base}-{hashlib.sha1(source.encode()).hexdigest()[:8]}"


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def annotate(document: Document, report: Report, out_dir: Path) -> list[str]:
    """Write one PNG per page that has boxed findings; return the paths written."""
    from PIL import ImageDraw

    by_page: dict[int | None, list[Finding]] = {}
    for f in report.findings:
        if f.location.bbox is not None:
            by_page.setdefault(f.location.page, []).append(f)
    written: list[str] = []
    if not by_page:
        return written
    out_dir.mkdir(parents=True, exist_ok=True)
    for page in document.pages:
        findings = by_page.get(page.number)
        if not findings or page.raster is None:
            continue
        image = page.raster().convert("RGB")
        k = page.raster_scale
        draw = ImageDraw.Draw(image)
        size = max(14, min(image.size) // 45)
        font, cjk = _font(size)
        width = max(2, min(image.size) // 300)
        placed: list[tuple[float, float, float, float]] = []
        for f in findings:
            x0, y0, x1, y1 = (v * k for v in f.location.bbox or ())
            colour = _COLOURS[f.category]
            draw.rectangle((x0 - width, y0 - width, x1 + width, y1 + width), outline=colour, width=width)
            label = f"{CATEGORY_TITLES[f.category]} {f.category.value}" if cjk else f.category.value
            tx, ty = x0, max(0, y0 - size - 2 * width)
            box = draw.textbbox((tx, ty), label, font=font)
            if any(_overlap(box, other) for other in placed):
                # Neighbouring findings on one line: put this label under its box instead of over the other.
                ty = y1 + 2 * width
                box = draw.textbbox((tx, ty), label, font=font)
            placed.append(box)
            draw.rectangle(box, fill=colour)
            draw.text((tx, ty), label, fill=(255, 255, 255), font=font)
        path = out_dir / f"{_slug(report.source)}-p{page.number or 1}.png"
        image.save(path)
        written.append(str(path))
    return written
