"""Synthetic certificate pages with marks pasted in, and the ground truth of where they are.

Everything is drawn from a seed (``random.Random``), so a failing case can be regenerated from its number.
Positives: the national emblem (any of the shipped renderings) at 40-600 px, rotated up to +-20 degrees,
perspective-skewed, partly overprinted by text, then the whole page colour-shifted, turned grey or one-ink
monochrome, blurred and JPEG-compressed. Hard negatives: the police badge (which contains the emblem),
red/gold logos (discs, stars, sunbursts, ribbons, laurel rings), the flag, company and organ seals.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from compliance.vision.refs import EMBLEMS, POLICE, load_rgba, render_flag

PAGE = (1600, 1130)
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

ORGAN_SEALS = [
    "重庆市人力资源和社会保障局",
    "某某市市场监督管理局",
    "北京市人力资源和社会保障局",
    "四川省人力资源和社会保障厅",
    "某某县人民政府",
    "上海市教育委员会",
    "中华人民共和国人力资源和社会保障部",
    "某某市公安局",
    "广东省市场监督管理局",
    "某某区人民政府办公室",
    "江苏省教育厅",
    "某某市财政局",
]
COMPANY_SEALS = [
    "某某教育科技有限公司",
    "重庆华龙职业技能培训学校",
    "北京启航教育咨询有限公司",
    "深圳市某某职业培训中心",
    "成都天府技能培训学校",
    "某某人力资源服务有限公司",
    "上海某某企业管理咨询有限公司",
    "中国某某职业技能协会",
    "广州市某某信息技术有限公司",
    "某某职业技术学院",
    "杭州某某文化传播有限公司",
    "某某市家政服务行业协会",
]
SEAL_CENTRE = ["", "", "专用章", "培训专用章", "证书专用章", "合同专用章"]

_TEXT = (
    "职业技能等级证书 培训合格证书 结业证书 姓名 性别 出生年月 身份证号码 证书编号 发证日期 "
    "经考核成绩合格特发此证 职业工种 等级 评价机构 培训项目 学时 成绩优秀 准予结业 "
    "本证书可在网站查询 有效期 健康管理师 育婴员 保育员 电工 焊工 茶艺师 心理咨询 营养配餐员 "
    "中式烹调师 养老护理员 企业人力资源管理师 计算机操作员 会计 电子商务师 二〇二四年六月 "
    "兹证明该学员参加培训 理论考试 实操考核 均达到要求 颁发此证 以资鼓励 特此证明"
)
_CHARS = [c for c in _TEXT if not c.isspace()]


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, max(6, int(size)))


@dataclass
class Mark:
    kind: str  # emblem | police | flag | seal_organ | seal_company | logo
    bbox: tuple[float, float, float, float]
    text: str | None = None
    meta: dict = field(default_factory=dict)


@dataclass
class Case:
    image: Image.Image
    marks: list[Mark]
    damage: dict = field(default_factory=dict)
    seed: int | None = None

    def of(self, kind: str) -> list[Mark]:
        return [m for m in self.marks if m.kind == kind]


# -- page --------------------------------------------------------------------------------------------


def random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(n))


def blank_page(rng: random.Random, size: tuple[int, int] = PAGE) -> Image.Image:
    """A certificate-like page: paper tint, a frame, a title, lines of text, maybe a photo box and a table."""
    W, H = size
    paper = rng.choice([(255, 255, 255), (252, 248, 236), (248, 244, 230), (244, 248, 252), (253, 246, 246),
                        (246, 250, 242), (240, 240, 240)])
    im = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(im)
    if rng.random() < 0.35:
        # Guilloche-like background lines (security printing on certificates).
        tint = tuple(max(0, c - rng.randint(12, 35)) for c in paper)
        period = rng.uniform(20, 60)
        for k in range(0, W + H, rng.randint(14, 30)):
            pts = [(x, k - x * 0.6 + 8 * math.sin(x / period)) for x in range(0, W, 20)]
            draw.line(pts, fill=tint, width=1)
    if rng.random() < 0.8:
        frame = rng.choice([(180, 140, 60), (170, 30, 30), (30, 60, 140), (40, 110, 60), (90, 90, 90)])
        m = rng.randint(20, 70)
        draw.rectangle([m, m, W - m, H - m], outline=frame, width=rng.randint(3, 14))
        if rng.random() < 0.6:
            m2 = m + rng.randint(12, 28)
            draw.rectangle([m2, m2, W - m2, H - m2], outline=frame, width=rng.randint(1, 3))
    ink = rng.choice([(20, 20, 20), (40, 40, 40), (10, 10, 60)])
    title_size = rng.randint(50, 90)
    title = rng.choice(["职业技能等级证书", "培训合格证书", "结业证书", "荣誉证书", "岗位能力证书", "专业技能证书"])
    tw = draw.textlength(title, font=font(title_size))
    title_ink = rng.choice([ink, (190, 30, 30), (150, 110, 30)])
    draw.text(((W - tw) / 2, rng.randint(110, 200)), title, fill=title_ink, font=font(title_size))
    y = rng.randint(300, 380)
    size_t = rng.randint(22, 40)
    x0 = rng.randint(120, 260)
    while y < H - 150:
        if rng.random() < 0.85:
            n = rng.randint(4, int((W - 2 * x0) / size_t))
            draw.text((x0 + rng.randint(0, 80), y), random_text(rng, n), fill=ink, font=font(size_t))
        y += int(size_t * rng.uniform(1.6, 2.6))
    if rng.random() < 0.4:
        px, py = rng.randint(1100, 1350), rng.randint(300, 500)
        draw.rectangle([px, py, px + 180, py + 240], fill=(220, 225, 232), outline=(120, 120, 120), width=2)
        draw.ellipse([px + 50, py + 40, px + 130, py + 130], fill=(170, 175, 185))
        draw.rectangle([px + 30, py + 140, px + 150, py + 240], fill=(170, 175, 185))
    if rng.random() < 0.3:
        tx, ty = rng.randint(150, 400), rng.randint(450, 650)
        for i in range(5):
            draw.line([tx, ty + i * 60, tx + 800, ty + i * 60], fill=ink, width=2)
        for j in range(4):
            draw.line([tx + j * 266, ty, tx + j * 266, ty + 240], fill=ink, width=2)
    return im


# -- marks -------------------------------------------------------------------------------------------


def emblem_image(rng: random.Random, size: int, ref: str | None = None) -> Image.Image:
    """An emblem rendering scaled so its longer side is ``size`` pixels."""
    name = ref or rng.choices(EMBLEMS, weights=[4, 1, 1, 1, 1])[0]
    im = load_rgba(name)
    k = size / max(im.size)
    return im.resize((max(1, round(im.width * k)), max(1, round(im.height * k))), Image.Resampling.LANCZOS)


def police_image(size: int) -> Image.Image:
    im = load_rgba(POLICE)
    k = size / max(im.size)
    return im.resize((max(1, round(im.width * k)), max(1, round(im.height * k))), Image.Resampling.LANCZOS)


def flag_image(rng: random.Random, width: int) -> Image.Image:
    return render_flag(width, rng.choice([1.5, 1.5, 4 / 3])).convert("RGBA")


def _star(cx: float, cy: float, r: float, rot: float = -90.0) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = math.radians(rot + i * 36)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


RED = (222, 41, 16)
GOLD = (255, 222, 0)


def logo_image(rng: random.Random, size: int) -> Image.Image:
    """A red/gold logo that is not the emblem: the kinds of marks training bodies print on certificates.

    Built from parts (a base shape, an inner motif, maybe tails or drapes below), so the negatives cover many
    combinations, including emblem-like ones (a red disc in a gold wreath with stars and a gate-like bar).
    """
    ss = 3
    S = size * ss
    im = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    red = tuple(min(255, max(0, c + rng.randint(-25, 25))) for c in RED)
    gold = rng.choice([GOLD, (230, 180, 40), (212, 175, 55), (250, 200, 60)])
    other = rng.choice([(30, 60, 150), (20, 110, 60), (40, 40, 40), red])
    c = S / 2
    base = rng.choice(["disc", "ring", "sunburst", "shield", "laurel", "gear", "wheat", "square", "hexagon", "badge"])
    inner_r = S * 0.36
    if base == "disc":
        d.ellipse([0, 0, S - 1, S - 1], fill=gold)
        d.ellipse([S * 0.08, S * 0.08, S * 0.92, S * 0.92], fill=red)
        inner_r = S * 0.42
    elif base == "ring":
        d.ellipse([0, 0, S - 1, S - 1], fill=red)
        d.ellipse([S * 0.15, S * 0.15, S * 0.85, S * 0.85], fill=gold)
        d.ellipse([S * 0.22, S * 0.22, S * 0.78, S * 0.78], fill=rng.choice([red, other]))
        inner_r = S * 0.28
    elif base == "sunburst":
        n = rng.choice([16, 24, 32])
        for i in range(n):
            a0, a1 = math.radians(i * 360 / n), math.radians(i * 360 / n + 180 / n)
            d.polygon([(c, c), (c + c * math.cos(a0), c + c * math.sin(a0)),
                       (c + c * math.cos(a1), c + c * math.sin(a1))], fill=gold)
        d.ellipse([S * 0.22, S * 0.22, S * 0.78, S * 0.78], fill=red)
        inner_r = S * 0.28
    elif base == "shield":
        outline = [(S * 0.1, S * 0.05), (S * 0.9, S * 0.05), (S * 0.9, S * 0.55), (c, S * 0.98), (S * 0.1, S * 0.55)]
        d.polygon(outline, fill=rng.choice([red, other]))
        d.line([*outline, outline[0]], fill=gold, width=max(1, S // 25))
        inner_r = S * 0.3
    elif base in ("laurel", "wheat"):
        d.ellipse([S * 0.16, S * 0.13, S * 0.84, S * 0.81], fill=red)
        for i in range(rng.randint(12, 20)):
            a = math.radians(100 + i * 340 / 20)
            x, y = c + S * 0.41 * math.cos(a), c + S * 0.41 * math.sin(a)
            if base == "laurel":
                d.ellipse([x - S * 0.06, y - S * 0.03, x + S * 0.06, y + S * 0.03], fill=gold)
            else:
                d.polygon(_star(x, y, S * 0.05, rot=math.degrees(a)), fill=gold)
        inner_r = S * 0.32
    elif base == "gear":
        for i in range(12):
            a = math.radians(i * 30)
            x, y = c + S * 0.44 * math.cos(a), c + S * 0.44 * math.sin(a)
            d.rectangle([x - S * 0.06, y - S * 0.06, x + S * 0.06, y + S * 0.06], fill=gold)
        d.ellipse([S * 0.08, S * 0.08, S * 0.92, S * 0.92], fill=gold)
        d.ellipse([S * 0.18, S * 0.18, S * 0.82, S * 0.82], fill=red)
        inner_r = S * 0.3
    elif base == "square":
        d.rounded_rectangle([S * 0.05, S * 0.05, S * 0.95, S * 0.95], radius=S * 0.15, fill=red, outline=gold,
                            width=max(1, S // 20))
        inner_r = S * 0.36
    elif base == "hexagon":
        for k, col in ((0.95, gold), (0.8, red)):
            corners = [math.radians(30 + 60 * i) for i in range(6)]
            d.polygon([(c + c * k * math.cos(a), c + c * k * math.sin(a)) for a in corners], fill=col)
        inner_r = S * 0.32
    else:  # badge: concentric rings with text-like dashes
        d.ellipse([0, 0, S - 1, S - 1], fill=red)
        d.ellipse([S * 0.06, S * 0.06, S * 0.94, S * 0.94], fill=(255, 255, 255))
        d.ellipse([S * 0.2, S * 0.2, S * 0.8, S * 0.8], fill=red)
        for i in range(16):
            a = math.radians(i * 22.5)
            x, y = c + S * 0.37 * math.cos(a), c + S * 0.37 * math.sin(a)
            d.rectangle([x - S * 0.03, y - S * 0.03, x + S * 0.03, y + S * 0.03], fill=red)
        inner_r = S * 0.28
    motif = rng.choice(["star", "star", "arc_stars", "flag_stars", "gate", "book", "none", "star_gate"])
    r = inner_r
    if motif in ("star", "star_gate"):
        d.polygon(_star(c, c - (r * 0.25 if motif == "star_gate" else 0), r * rng.uniform(0.45, 0.75)), fill=gold)
    if motif == "arc_stars":
        d.polygon(_star(c, c - r * 0.35, r * 0.3), fill=gold)
        for k in range(4):
            a = math.radians(-160 + k * 47 + (20 if k > 1 else 0))
            d.polygon(_star(c + r * 0.6 * math.cos(a), c - r * 0.1 + r * 0.45 * math.sin(a), r * 0.12), fill=gold)
    if motif == "flag_stars":
        d.polygon(_star(c - r * 0.3, c - r * 0.2, r * 0.35), fill=gold)
        for k in range(4):
            d.polygon(_star(c + r * 0.25 + r * 0.12 * (k in (1, 2)), c - r * 0.55 + k * r * 0.25, r * 0.1), fill=gold)
    if motif in ("gate", "star_gate"):
        d.rectangle([c - r * 0.6, c + r * 0.25, c + r * 0.6, c + r * 0.4], fill=gold)
        d.rectangle([c - r * 0.4, c + r * 0.1, c + r * 0.4, c + r * 0.25], fill=gold)
    if motif == "book":
        d.polygon([(c - r * 0.6, c - r * 0.2), (c, c), (c + r * 0.6, c - r * 0.2), (c + r * 0.6, c + r * 0.4),
                   (c, c + r * 0.6), (c - r * 0.6, c + r * 0.4)], fill=(255, 255, 255))
        d.line([(c, c), (c, c + r * 0.6)], fill=red, width=max(1, S // 60))
    tails = rng.random()
    if tails < 0.25:  # ribbon tails
        col = rng.choice([red, gold])
        for sx in (1, -1):  # left tail, then its mirror image
            d.polygon([(c + sx * (x - 0.5) * S, y * S) for x, y in
                       ((0.3, 0.7), (0.18, 1.0), (0.3, 0.92), (0.42, 1.0), (0.45, 0.75))], fill=col)
    elif tails < 0.4:  # drapes, like the emblem's
        d.rectangle([S * 0.12, S * 0.72, S * 0.3, S * 0.98], fill=red)
        d.rectangle([S * 0.7, S * 0.72, S * 0.88, S * 0.98], fill=red)
        d.ellipse([S * 0.42, S * 0.8, S * 0.58, S * 0.96], fill=gold)
    return im.resize((size, size), Image.Resampling.LANCZOS)


def seal_image(rng: random.Random, text: str, diameter: int, *, oval: bool = False, centre: str = "",
               pale: bool = False, partial: bool = False) -> Image.Image:
    """A red stamp: ring, ring text along the upper arc (tops outward, read clockwise), a star, centre text.

    Returned as an RGBA ink layer; paste it with ``paste_ink`` (multiply), as a stamp prints over text.
    """
    ss = 2
    w = diameter * ss
    h = int(w * (rng.uniform(0.66, 0.78) if oval else 1.0))
    im = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(im)
    lw = max(2, int(w * rng.uniform(0.025, 0.045)))
    d.ellipse([lw // 2, lw // 2, w - 1 - lw // 2, h - 1 - lw // 2], outline=255, width=lw)
    cx, cy = w / 2, h / 2
    a, b = w / 2 - lw * 2.4, h / 2 - lw * 2.4
    n = len(text)
    span = min(260.0, max(160.0, n * (24 if not oval else 18)))
    # Characters as large as the arc allows (long organ names get smaller, condensed-looking characters).
    per_char = math.radians(span) * (a + b) / 2 * 0.85 / n
    fs = int(min(min(w, h) * (0.13 if not oval else 0.15), per_char))
    f = font(fs)
    for i, ch in enumerate(text):
        t = math.radians(-90 - span / 2 + span * (i + 0.5) / n)
        # Character centre sits half a character inside the text baseline ellipse.
        px, py = cx + (a - fs * 0.55) * math.cos(t), cy + (b - fs * 0.55) * math.sin(t)
        # Tangent direction of the ellipse: the character's "up" is the outward normal.
        nx, ny = math.cos(t) / max(a, 1), math.sin(t) / max(b, 1)
        up = math.degrees(math.atan2(ny, nx))
        glyph = Image.new("L", (fs * 2, fs * 2), 0)
        ImageDraw.Draw(glyph).text((fs / 2, fs / 2), ch, fill=255, font=f)
        glyph = glyph.rotate(-(up + 90), resample=Image.Resampling.BICUBIC)
        im.paste(255, (int(px - fs), int(py - fs)), glyph)
    star_r = min(w, h) * (0.17 if not oval else 0.1)
    star_cy = cy - (0 if not oval else h * 0.05) if not centre else cy - min(w, h) * 0.04
    if not oval or rng.random() < 0.5:
        d.polygon(_star(cx, star_cy, star_r), fill=255)
    if centre:
        cf = font(int(min(w, h) * 0.09))
        tw = d.textlength(centre, font=cf)
        d.text((cx - tw / 2, cy + min(w, h) * (0.2 if not oval else 0.12)), centre, fill=255, font=cf)
    arr = np.asarray(im).astype(np.float32) / 255.0
    arr = arr * np.clip(rng.uniform(0.8, 1.0) + np.random.default_rng(rng.randint(0, 1 << 30)).normal(
        0, 0.12, arr.shape), 0.3, 1.0)
    if pale:
        arr *= rng.uniform(0.35, 0.6)
    if partial:
        # Uneven inking: a side of the stamp pressed lightly.
        yy, xx = np.mgrid[0:h, 0:w]
        ang = rng.uniform(0, 2 * math.pi)
        ramp = ((xx - cx) * math.cos(ang) + (yy - cy) * math.sin(ang)) / (w / 2)
        arr *= np.clip(1.2 - rng.uniform(0.6, 1.1) * (ramp + 1), 0.05, 1.0)
    ink = rng.choice([(220, 30, 40), (200, 20, 30), (230, 50, 60), (210, 40, 70), (235, 60, 50)])
    rgba = np.zeros((h, w, 4), np.uint8)
    rgba[..., :3] = ink
    rgba[..., 3] = (np.clip(arr, 0, 1) * 255).astype(np.uint8)
    out = Image.fromarray(rgba, "RGBA")
    return out.resize((diameter, max(1, h // ss)), Image.Resampling.LANCZOS)


# -- placement ---------------------------------------------------------------------------------------


def transform_mark(rng: random.Random, im: Image.Image, rotation: float, skew: float) -> Image.Image:
    """Rotate (degrees, counter-clockwise) and perspective-skew (corner jitter, share of size) an RGBA mark."""
    out = im.rotate(rotation, resample=Image.Resampling.BICUBIC, expand=True)
    if skew > 0:
        w, h = out.size
        pad = int(max(w, h) * skew) + 2
        canvas = Image.new("RGBA", (w + 2 * pad, h + 2 * pad), (0, 0, 0, 0))
        canvas.paste(out, (pad, pad))
        W, H = canvas.size
        src = [(pad, pad), (pad + w, pad), (pad + w, pad + h), (pad, pad + h)]
        dst = [(x + rng.uniform(-1, 1) * w * skew, y + rng.uniform(-1, 1) * h * skew) for x, y in src]
        coeffs = _perspective_coeffs(dst, src)
        out = canvas.transform((W, H), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    box = out.getchannel("A").point(lambda a: 255 if a > 20 else 0).getbbox()
    return out.crop(box) if box else out


def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """PIL's PERSPECTIVE coefficients mapping output (dst) points back to input (src) points."""
    A, B = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        B.extend([u, v])
    return list(np.linalg.solve(np.array(A, float), np.array(B, float)))


def free_spot(rng: random.Random, page: Image.Image, size: tuple[int, int],
              taken: list[tuple[float, float, float, float]]) -> tuple[int, int]:
    W, H = page.size
    w, h = size
    for _ in range(60):
        x, y = rng.randint(0, max(0, W - w)), rng.randint(0, max(0, H - h))
        if all(x + w < b[0] or x > b[2] or y + h < b[1] or y > b[3] for b in taken):
            return x, y
    return rng.randint(0, max(0, W - w)), rng.randint(0, max(0, H - h))


def paste(page: Image.Image, mark: Image.Image, xy: tuple[int, int]) -> tuple[float, float, float, float]:
    page.paste(mark, xy, mark)
    return _bbox(mark, xy, page.size)


def paste_ink(page: Image.Image, ink: Image.Image, xy: tuple[int, int]) -> tuple[float, float, float, float]:
    """Multiply an ink layer onto the page: a stamp darkens what is under it and leaves black text black."""
    x, y = xy
    w, h = ink.size
    x0, y0, x1, y1 = max(0, x), max(0, y), min(page.width, x + w), min(page.height, y + h)
    if x1 <= x0 or y1 <= y0:
        return (x0, y0, x0, y0)
    region = np.asarray(page.crop((x0, y0, x1, y1))).astype(np.float32)
    layer = np.asarray(ink).astype(np.float32)[y0 - y:y1 - y, x0 - x:x1 - x]
    a = layer[..., 3:4] / 255.0
    out = region * (1 - a) + region * (layer[..., :3] / 255.0) * a
    page.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (x0, y0))
    return _bbox(ink, xy, page.size)


def _bbox(mark: Image.Image, xy: tuple[int, int], size: tuple[int, int]) -> tuple[float, float, float, float]:
    box = mark.getchannel("A").point(lambda a: 255 if a > 40 else 0).getbbox() or (0, 0, *mark.size)
    x, y = xy
    return (max(0, x + box[0]), max(0, y + box[1]), min(size[0], x + box[2]), min(size[1], y + box[3]))


def overprint(rng: random.Random, page: Image.Image, bbox: tuple[float, float, float, float]) -> None:
    """Lines of text printed across part of a mark (certificates print the holder's details over seals)."""
    x0, y0, x1, y1 = bbox
    h = y1 - y0
    draw = ImageDraw.Draw(page)
    size = int(np.clip(h * rng.uniform(0.08, 0.2), 10, 60))
    for _ in range(rng.randint(1, 2)):
        y = rng.uniform(y0 + h * 0.1, y1 - size)
        start = x0 - rng.uniform(0, 2) * size
        n = max(2, int((x1 - x0) * rng.uniform(0.4, 1.0) / size))
        draw.text((start, y), random_text(rng, n), fill=rng.choice([(20, 20, 20), (30, 30, 80)]), font=font(size))


# -- damage ------------------------------------------------------------------------------------------


def hue_shift(im: Image.Image, degrees: float) -> Image.Image:
    hsv = np.asarray(im.convert("HSV")).copy()
    hsv[..., 0] = (hsv[..., 0].astype(np.int16) + int(degrees / 360 * 256)) % 256
    return Image.fromarray(hsv, "HSV").convert("RGB")


def damage(rng: random.Random, im: Image.Image, *, strength: float = 1.0, keep_colour: bool = False
           ) -> tuple[Image.Image, dict]:
    """Whole-page degradations: colour shift or grey/monochrome print, blur, noise, JPEG.

    ``keep_colour``: no grey, monochrome or one-ink print (red seals are found by their colour).
    """
    info: dict = {}
    r = rng.random()
    if keep_colour and r < 0.38:
        r = 0.38 + r  # the same draw, moved into the colour-shift / untouched range
    if r < 0.2:
        info["colour"] = "grey"
        im = im.convert("L").convert("RGB")
    elif r < 0.3:
        info["colour"] = "mono"
        t = rng.randint(120, 170)
        im = im.convert("L").point(lambda v: 255 if v > t else 0).convert("RGB")
    elif r < 0.38:
        info["colour"] = "tint"
        ink = np.array(rng.choice([(200, 30, 30), (20, 20, 20), (30, 40, 140)]), np.float32)
        lum = np.asarray(im.convert("L")).astype(np.float32)[..., None] / 255.0
        im = Image.fromarray((255 - (1 - lum) * (255 - ink)).clip(0, 255).astype(np.uint8))
    elif r < 0.7:
        info["colour"] = "shift"
        deg = rng.uniform(-25, 25) * strength
        im = hue_shift(im, deg)
        gains = np.array([rng.uniform(0.8, 1.15) for _ in range(3)], np.float32)
        arr = np.asarray(im).astype(np.float32) * gains
        im = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
        info["hue"] = round(deg, 1)
    if rng.random() < 0.5:
        radius = rng.uniform(0.5, 2.0) * strength
        im = im.filter(ImageFilter.GaussianBlur(radius))
        info["blur"] = round(radius, 2)
    if rng.random() < 0.3:
        arr = np.asarray(im).astype(np.float32)
        arr += np.random.default_rng(rng.randint(0, 1 << 30)).normal(0, rng.uniform(3, 10), arr.shape)
        im = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
        info["noise"] = True
    if rng.random() < 0.7:
        q = rng.randint(int(15 + 40 * (1 - strength)), 90)
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=q)
        im = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
        info["jpeg"] = q
    return im, info


# -- cases -------------------------------------------------------------------------------------------

KINDS = ("emblem", "police", "logo", "flag", "seal_company", "seal_organ", "plain")


def log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def add_mark(rng: random.Random, page: Image.Image, kind: str, taken: list, *, size: int | None = None,
             rotation: float | None = None, skew: float | None = None, over: bool | None = None) -> Mark:
    """Draw one mark of ``kind`` somewhere free on ``page``; returns its ground truth."""
    rot = rng.uniform(-20, 20) if rotation is None else rotation
    sk = (rng.uniform(0, 0.08) if rng.random() < 0.5 else 0.0) if skew is None else skew
    meta: dict = {"rotation": round(rot, 1), "skew": round(sk, 3)}
    text = None
    if kind == "emblem":
        s = int(size or log_uniform(rng, 40, 600))
        im = emblem_image(rng, s)
        meta["size"] = s
    elif kind == "police":
        s = int(size or log_uniform(rng, 50, 600))
        im = police_image(s)
        meta["size"] = s
    elif kind == "logo":
        s = int(size or log_uniform(rng, 40, 400))
        im = logo_image(rng, s)
        meta["size"] = s
    elif kind == "flag":
        s = int(size or log_uniform(rng, 60, 600))
        im = flag_image(rng, s)
        meta["size"] = s
    elif kind in ("seal_company", "seal_organ"):
        s = int(size or rng.uniform(150, 320))
        text = rng.choice(ORGAN_SEALS if kind == "seal_organ" else COMPANY_SEALS)
        oval = rng.random() < 0.2
        centre, pale, partial = rng.choice(SEAL_CENTRE), rng.random() < 0.2, rng.random() < 0.2
        im = seal_image(rng, text, s, oval=oval, centre=centre, pale=pale, partial=partial)
        meta.update(size=s, oval=oval, pale=pale, partial=partial, centre=centre)
        rot = rng.uniform(-20, 20) if rotation is None else rotation
    else:
        raise ValueError(kind)
    im = transform_mark(rng, im, rot, sk)
    xy = free_spot(rng, page, im.size, taken)
    if kind.startswith("seal"):
        # Stamps land on text: put some text where the seal goes, then stamp over it.
        if rng.random() < 0.7:
            overprint(rng, page, (xy[0], xy[1], xy[0] + im.width, xy[1] + im.height))
        bbox = paste_ink(page, im, xy)
    else:
        bbox = paste(page, im, xy)
        if (rng.random() < 0.3 if over is None else over) and kind != "flag":
            overprint(rng, page, bbox)
            meta["overprint"] = True
    taken.append(bbox)
    return Mark(kind, bbox, text, meta)


def make_case(seed: int, kind: str, *, extras: bool = True, damaged: bool = True, **kw: object) -> Case:
    """A page with one mark of ``kind`` ('plain' for none), maybe a harmless extra mark, then damage."""
    rng = random.Random(seed)
    page = blank_page(rng)
    taken: list = []
    marks = []
    if kind != "plain":
        marks.append(add_mark(rng, page, kind, taken, **kw))  # type: ignore[arg-type]
    if extras and rng.random() < 0.4:
        extra = rng.choice(["logo", "seal_company"] if kind != "emblem" else ["logo", "seal_company", "seal_organ"])
        marks.append(add_mark(rng, page, extra, taken))
    info: dict = {}
    if damaged:
        page, info = damage(rng, page, keep_colour=kind.startswith("seal"))
    return Case(page, marks, info, seed)


def iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
