"""Reference pictures shipped in ``compliance/vision/data`` (provenance in data/PROVENANCE.md).

Loaded lazily and cached: a process that never looks at an image never decodes them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from importlib import resources

import numpy as np
from PIL import Image, ImageDraw

# The emblem renderings: one large flat drawing and four small gold-gradient ones (different artists' styles).
EMBLEMS = (
    "emblem_prc_wikimedia_548x600.png",
    "emblem_prc_wikimedia2_gradient_88x95.png",
    "emblem_prc_gold_80x85.png",
    "emblem_prc_gold_90x90.png",
    "emblem_prc_gold_92x98.png",
)
POLICE = "police_badge_510x438.png"
FLAG_SVG = "flag_cn_isoflags_4x3.svg"


def _data(name: str) -> bytes:
    return resources.files("compliance.vision").joinpath("data", name).read_bytes()


@cache
def load_rgba(name: str) -> Image.Image:
    """A reference as RGBA, cropped to its visible pixels (the police badge sits in a wide transparent canvas)."""
    import io

    im = Image.open(io.BytesIO(_data(name))).convert("RGBA")
    box = im.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    return im.crop(box) if box else im


def _matrix(text: str | None) -> np.ndarray:
    """An SVG ``matrix(a,b,c,d,e,f)`` as a 3x3 affine matrix (identity when absent)."""
    m = np.eye(3)
    if text:
        nums = [float(v) for v in re.findall(r"[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?", text)]
        if text.strip().startswith("matrix") and len(nums) == 6:
            a, b, c, d, e, f = nums
            m = np.array([[a, c, e], [b, d, f], [0, 0, 1]])
        elif text.strip().startswith("scale"):
            sx = nums[0]
            sy = nums[1] if len(nums) > 1 else sx
            m = np.diag([sx, sy, 1.0])
    return m


@cache
def _flag_geometry() -> tuple[tuple[float, float, float, float], list[np.ndarray]]:
    """The flag's red field (x, y, w, h) and its five star polygons, in the SVG group's coordinates.

    The shipped SVG clips the field to 4:3; the unclipped rectangle is the official 3:2 field (GB 12982: the
    big star at (5, 5) and the small ones at (10, 2) (12, 4) (12, 7) (10, 9) on a 30 x 20 grid), so both
    aspect ratios come from the same drawing.
    """
    ns = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
    root = ET.fromstring(_data(FLAG_SVG))
    poly = root.find(".//svg:defs/svg:polygon", ns)
    assert poly is not None
    pts = np.array([[float(v) for v in p.split(",")] for p in poly.attrib["points"].split()])
    base = _matrix(poly.attrib.get("transform"))
    group = root.find(".//svg:g[@id='flag']", ns)
    assert group is not None
    rect = group.find("svg:rect", ns)
    assert rect is not None
    field = tuple(float(rect.attrib[k]) for k in ("x", "y", "width", "height"))
    stars = []
    for use in group.findall("svg:use", ns):
        m = _matrix(use.attrib.get("transform")) @ base
        hom = np.c_[pts, np.ones(len(pts))] @ m.T
        stars.append(hom[:, :2])
    return field, stars  # type: ignore[return-value]


def render_flag(width: int, aspect: float = 1.5, *, supersample: int = 4) -> Image.Image:
    """The PRC flag, ``width`` pixels wide, at 3:2 (``aspect=1.5``, official) or 4:3 (the SVG's crop)."""
    (x0, y0, fw, fh), stars = _flag_geometry()
    fw = min(fw, fh * aspect)
    height = max(1, round(width / aspect))
    ss = supersample
    W, H = width * ss, height * ss
    sx, sy = W / fw, H / fh
    im = Image.new("RGB", (W, H), (0xDE, 0x29, 0x10))
    draw = ImageDraw.Draw(im)
    for star in stars:
        # The SVG star polygon lists its points in pentagram order, so a plain fill draws the star (even-odd
        # leaves the centre hollow, nonzero fills it; PIL fills the whole outline, which is the wanted star).
        outline = _star_outline(star)
        draw.polygon([((px - x0) * sx, (py - y0) * sy) for px, py in outline], fill=(0xFF, 0xDE, 0x00))
    return im.resize((width, height), Image.Resampling.LANCZOS)


def _star_outline(pentagram: np.ndarray) -> np.ndarray:
    """The ten-point outline of a star given as the five tips in pentagram order (what the SVG stores)."""
    tips = pentagram[[0, 2, 4, 1, 3]]  # pentagram order -> around the star
    centre = tips.mean(axis=0)
    radius = float(np.linalg.norm(tips[0] - centre))
    inner = radius * 0.381966  # inner radius of a regular five-pointed star
    out = []
    for i in range(5):
        a, b = tips[i], tips[(i + 1) % 5]
        mid = (a + b) / 2 - centre
        mid = mid / (np.linalg.norm(mid) + 1e-12) * inner
        out.extend([a, centre + mid])
    return np.array(out)
