"""Deterministic certificate and poster images for the OCR tests and the OCR benchmark.

Everything is drawn with Pillow and the WenQuanYi CJK fonts (Debian fonts-wqy-zenhei / fonts-wqy-microhei),
so the tests need no image files and no network. Each image comes with its ground truth: the text lines as
drawn and one box per character, carried through every geometric degradation (the boxes are the axis-aligned
hull of each character's transformed corners), so a test can check a finding's ``location.bbox`` against
where the term really is.

The same ``seed`` always gives the same pixels (for a given Pillow and font version).
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

Box = tuple[float, float, float, float]

FONT_DIR = Path("/usr/share/fonts/truetype/wqy")
FONTS: tuple[tuple[str, int], ...] = (("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0), ("wqy-zenhei.ttc", 1))


def fonts_available() -> bool:
    return all((FONT_DIR / name).is_file() for name, _ in FONTS)


def font(size: int, which: int = 0) -> ImageFont.FreeTypeFont:
    name, index = FONTS[which % len(FONTS)]
    return ImageFont.truetype(str(FONT_DIR / name), size, index=index)


# -- ground truth -----------------------------------------------------------------------------------


@dataclass(slots=True)
class GtLine:
    text: str
    char_boxes: list[Box]

    @property
    def box(self) -> Box:
        return _hull(self.char_boxes)


@dataclass(slots=True)
class Rendered:
    name: str
    kind: str  # "certificate" | "poster"
    image: Image.Image
    lines: list[GtLine]
    clean: bool = False  # a genuine certificate: no prohibited wording drawn
    wrapped: list[str] = field(default_factory=list)  # terms drawn split across two lines
    degradation: str = "none"

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def term_boxes(self, term: str) -> list[Box]:
        """Boxes of every occurrence of ``term`` inside one drawn line."""
        out = []
        for line in self.lines:
            start = line.text.find(term)
            while start >= 0:
                out.append(_hull(line.char_boxes[start:start + len(term)]))
                start = line.text.find(term, start + 1)
        return out

    def encode(self, fmt: str = "PNG", **params: object) -> bytes:
        buf = io.BytesIO()
        self.image.save(buf, format=fmt, **params)
        return buf.getvalue()


def _hull(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _draw_line(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fnt: ImageFont.FreeTypeFont,
               fill: tuple[int, int, int], tracking: float = 0.0) -> GtLine:
    """Draw one line (character by character when ``tracking`` spaces the letters) and return its boxes."""
    x, y = xy
    top, bottom = fnt.getbbox("国")[1], fnt.getbbox("国")[3]
    boxes: list[Box] = []
    if tracking:
        for ch in text:
            adv = fnt.getlength(ch)
            draw.text((x, y), ch, font=fnt, fill=fill)
            boxes.append((x, y + top, x + adv, y + bottom))
            x += adv + tracking
    else:
        draw.text((x, y), text, font=fnt, fill=fill)
        for i in range(len(text)):
            boxes.append((x + fnt.getlength(text[:i]), y + top, x + fnt.getlength(text[:i + 1]), y + bottom))
    return GtLine(text, boxes)


def _line_width(text: str, fnt: ImageFont.FreeTypeFont, tracking: float = 0.0) -> float:
    return fnt.getlength(text) + tracking * max(len(text) - 1, 0)


# -- vocabulary ---------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀英", "桂兰", "志强", "建华", "晓东", "海燕"]
OCCUPATIONS = ["电工", "焊工", "育婴员", "保育师", "中式烹调师", "美容师", "养老护理员", "健康管理师", "茶艺师",
               "物流服务师", "汽车维修工", "家政服务员", "西式面点师", "网络与信息安全管理员", "电子商务师",
               "企业人力资源管理师"]
LEVELS = ["五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师"]
CITIES = ["重庆市渝北区", "重庆市江北区", "成都市武侯区", "西安市雁塔区", "长沙市岳麓区", "昆明市五华区"]
SCHOOL_NAMES = ["明德", "启航", "恒达", "博远", "新程", "立信", "德才", "华技"]

# Prohibited wording for certificates: (header, title, issuer suffix, footer) pools.
BAD_HEADERS = ["中华人民共和国", "全国职业技能人才评价", "国家人才培养工程"]
BAD_TITLES = ["职业资格证书", "国家职业资格证书", "职业技能鉴定证书", "全国通用职业技能证书", "人员资格证书"]
BAD_ISSUERS = ["中国职业技能评价中心", "国家职业技能鉴定指导中心", "全国职业技能认证管理中心", "中华技能人才评价协会",
               "人力资源和社会保障部职业技能鉴定中心"]
BAD_FOOTERS = ["本证书全国通用，官网可查", "人社部备案，全国联网可查", "国家认可，终身有效", "国家级职业资格，官方认证",
               "全国通用 人社部授权颁发"]

# Poster lines: each carries at least one prohibited term; LAWFUL_POSTER lines carry none.
BAD_HEADLINES = ["{occ}证 {n}天拿证", "零基础 包过班", "{occ}培训 考不过退款", "国家认可 {occ}证书",
                 "百分百通过 不过包退"]
BAD_POSTER = ["100%通过率 不过包退", "官方指定培训机构", "学完即发国家职业资格证书", "全国联网可查 终身有效",
              "内部名额有限 高薪入职", "考官授课 命题组专家辅导", "最权威的职业技能鉴定中心",
              "不限学历 不限年龄 无门槛", "挂证挂靠 轻松月入过万", "免考包过 快速取证", "人社部备案 政府主推项目",
              "一次通过 保证通过", "国家级培训基地 行业第一", "包拿证 毕业推荐高薪工作"]
LAWFUL_POSTER = ["报名热线：023-6888 1234", "地址：渝中区民族路128号五楼", "周末班 晚班 灵活安排", "小班教学 实操为主",
                 "课程共48课时 含实操24课时", "欢迎来电咨询 免费试听"]
# Terms drawn split across a line break (the text engine must still find them).
WRAP_TERMS = ["包过", "保过", "不过包退", "职业资格", "官网可查", "国家认可", "人社部备案", "高薪入职", "快速取证",
              "全国通用"]
FILLER = "本校师资力量雄厚教学设施齐全学员遍布各地欢迎广大学员前来咨询报名我们竭诚为您服务课程安排灵活实用"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _id_number(rng: random.Random) -> str:
    body = "5001" + "".join(rng.choice("0123456789") for _ in range(13))
    return body + rng.choice("0123456789X")


def certificate_code(rng: random.Random) -> str:
    """A 职业技能等级证书 number: one capital letter and 21 digits."""
    return rng.choice("SY") + "".join(rng.choice("0123456789") for _ in range(21))


# -- certificates ---------------------------------------------------------------------------------------


def certificate(seed: int, *, clean: bool = False, size: tuple[int, int] = (1600, 1130)) -> Rendered:
    """A skill certificate: prohibited header/title/issuer/footer unless ``clean`` (a genuine-looking
    职业技能等级证书 from a fictional filed evaluation body)."""
    rng = random.Random(seed)
    w, h = size
    s = w / 1600  # layout is designed at 1600 px wide
    which = rng.randrange(len(FONTS))
    bg = rng.choice([(252, 248, 236), (255, 255, 255), (246, 241, 226), (240, 246, 250)])
    img = Image.new("RGB", size, bg)
    draw = ImageDraw.Draw(img)
    frame = rng.choice([(160, 30, 30), (150, 110, 40), (30, 60, 120)])
    for inset, width in ((int(30 * s), max(1, int(8 * s))), (int(52 * s), max(1, int(2 * s)))):
        draw.rectangle((inset, inset, w - inset, h - inset), outline=frame, width=width)
    if rng.random() < 0.5:  # faint guilloche-like background lines, as on printed forms
        pale = tuple(min(255, c - 14) for c in bg)
        for k in range(0, h, max(4, int(18 * s))):
            draw.line((int(60 * s), k, w - int(60 * s), k + int(40 * s)), fill=pale, width=1)

    lines: list[GtLine] = []
    ink = (25, 25, 25)
    if not clean and rng.random() < 0.6:
        hdr = rng.choice(BAD_HEADERS)
        f = font(int(44 * s), which)
        lines.append(_draw_line(draw, ((w - _line_width(hdr, f, 6 * s)) / 2, 95 * s), hdr, f, frame, 6 * s))
    title = "职业技能等级证书" if clean else rng.choice(BAD_TITLES)
    f = font(int(70 * s), which)
    track = 14 * s if rng.random() < 0.5 else 0.0
    lines.append(_draw_line(draw, ((w - _line_width(title, f, track)) / 2, 165 * s), title, f, frame, track))

    # Photo placeholder on the left.
    draw.rectangle((int(170 * s), int(340 * s), int(410 * s), int(650 * s)), outline=(120, 120, 120), width=2)
    occupation = rng.choice(OCCUPATIONS)
    school = rng.choice(CITIES) + rng.choice(SCHOOL_NAMES) + "职业培训学校"
    issuer = school if clean else rng.choice(BAD_ISSUERS)
    fields = [
        f"姓名：{_name(rng)}",
        f"性别：{rng.choice('男女')}",
        f"身份证号：{_id_number(rng)}",
        f"职业（工种）：{occupation}",
        f"职业技能等级：{rng.choice(LEVELS)}",
        f"证书编号：{certificate_code(rng)}",
        f"评价机构：{issuer}",
        f"发证日期：{rng.randint(2019, 2025)}年{rng.randint(1, 12):02d}月{rng.randint(1, 28):02d}日",
    ]
    f = font(int(36 * s), which)
    y = 320 * s
    for text in fields:
        lines.append(_draw_line(draw, (480 * s, y), text, f, ink))
        y += 64 * s
    footer = "证书查询网址：jndj.osta.org.cn" if clean else rng.choice(BAD_FOOTERS)
    f = font(int(30 * s), which)
    lines.append(_draw_line(draw, ((w - _line_width(footer, f)) / 2, h - 150 * s), footer, f, ink))
    # A red seal ring with a star over the issuer line (no text: seal text belongs to the vision detectors).
    cx, cy, r = 1250 * s, 790 * s, 105 * s
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(210, 40, 40), width=max(2, int(7 * s)))
    draw.regular_polygon((cx, cy, r * 0.35), 5, fill=(210, 40, 40))
    return Rendered(name=f"cert-{seed}{'-clean' if clean else ''}", kind="certificate", image=img,
                    lines=lines, clean=clean)


# -- posters ----------------------------------------------------------------------------------------------


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    w, h = size
    t = np.linspace(0.0, 1.0, h)[:, None, None]
    arr = (np.array(top)[None, None, :] * (1 - t) + np.array(bottom)[None, None, :] * t)
    return Image.fromarray(np.broadcast_to(arr, (h, w, 3)).astype(np.uint8))


def poster(seed: int, *, size: tuple[int, int] = (1080, 1440)) -> Rendered:
    """A training-ad poster: a headline, bullet claims, lawful contact lines and a paragraph in which one
    prohibited term is wrapped across two lines."""
    rng = random.Random(seed)
    w = size[0]
    s = w / 1080
    which = rng.randrange(len(FONTS))
    scheme = rng.choice([
        ((200, 20, 30), (120, 10, 20), (255, 230, 80), (255, 255, 255)),
        ((20, 70, 160), (10, 30, 90), (255, 220, 60), (255, 255, 255)),
        ((255, 244, 214), (255, 214, 160), (190, 20, 20), (40, 30, 30)),
        ((235, 245, 255), (200, 225, 250), (20, 60, 150), (30, 30, 30)),
    ])
    top, bottom, head_ink, ink = scheme
    img = _gradient(size, top, bottom)
    draw = ImageDraw.Draw(img)
    lines: list[GtLine] = []

    occ = rng.choice(OCCUPATIONS[:8])
    headline = rng.choice(BAD_HEADLINES).format(occ=occ, n=rng.choice([3, 5, 7, 15, 30]))
    f = font(int(84 * s), which)
    while _line_width(headline, f) > w * 0.9:
        f = font(int(f.size * 0.9), which)
    lines.append(_draw_line(draw, ((w - _line_width(headline, f)) / 2, 90 * s), headline, f, head_ink))

    f = font(int(46 * s), which)
    y = 260 * s
    picks = rng.sample(BAD_POSTER, 4) + rng.sample(LAWFUL_POSTER, 2)
    rng.shuffle(picks)
    for text in picks:
        lines.append(_draw_line(draw, (90 * s, y), text, f, ink))
        y += 82 * s

    # A paragraph whose lines are cut at a fixed width, with one term straddling a line break.
    term = rng.choice(WRAP_TERMS)
    k = rng.randrange(1, len(term))
    per_line = 18
    f = font(int(40 * s), which)
    start = rng.randrange(0, len(FILLER) - 2 * per_line - 10)
    cut = start + per_line - k  # the filler runs on around the term, as in a real paragraph
    first = FILLER[start:cut] + term[:k]
    second = term[k:] + FILLER[cut:cut + per_line - (len(term) - k)]
    rest = cut + per_line - (len(term) - k)
    third = FILLER[rest:rest + 10] + "。"
    y += 40 * s
    for text in (first, second, third):
        lines.append(_draw_line(draw, (90 * s, y), text, f, ink))
        y += 62 * s
    return Rendered(name=f"poster-{seed}", kind="poster", image=img, lines=lines, wrapped=[term])


def long_picture(seed: int, parts: int = 4) -> Rendered:
    """A "long picture" ad (长图) as shared on phones: several posters stacked, 1080 px wide."""
    posters = [poster(seed + k) for k in range(parts)]
    w, h = posters[0].image.size
    img = Image.new("RGB", (w, h * parts))
    lines: list[GtLine] = []
    for k, p in enumerate(posters):
        img.paste(p.image, (0, h * k))
        lines += [GtLine(ln.text, [(b[0], b[1] + h * k, b[2], b[3] + h * k) for b in ln.char_boxes]) for ln in p.lines]
    return Rendered(name=f"long-{seed}", kind="poster", image=img, lines=lines,
                    wrapped=[t for p in posters for t in p.wrapped])


def banner(seed: int) -> Rendered:
    """A wide, short banner (3200x240): one line of large text."""
    rng = random.Random(seed)
    img = Image.new("RGB", (3200, 240), (200, 20, 30))
    text = " ".join(rng.sample(["国家认可", "零基础包过", "不过包退", "七天拿证", "官方指定"], 4)) + " 热线023-6888"
    line = _draw_line(ImageDraw.Draw(img), (60, 60), text, font(100, rng.randrange(len(FONTS))), (255, 230, 80))
    return Rendered(name=f"banner-{seed}", kind="poster", image=img, lines=[line])


# -- geometry -----------------------------------------------------------------------------------------------


def _apply_h(r: Rendered, H: np.ndarray, size: tuple[int, int], image: Image.Image, name: str) -> Rendered:
    """Move every character box through homography ``H`` (source → destination pixels)."""

    def move(b: Box) -> Box:
        pts = np.array([[b[0], b[1], 1], [b[2], b[1], 1], [b[2], b[3], 1], [b[0], b[3], 1]], dtype=float) @ H.T
        pts = pts[:, :2] / pts[:, 2:3]
        return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))

    lines = [GtLine(ln.text, [move(b) for b in ln.char_boxes]) for ln in r.lines]
    return replace(r, image=image, lines=lines, degradation=_join(r.degradation, name))


def _join(old: str, new: str) -> str:
    return new if old == "none" else f"{old}+{new}"


def _warp(r: Rendered, H: np.ndarray, size: tuple[int, int], fill: tuple[int, int, int], name: str) -> Rendered:
    inv = np.linalg.inv(H)
    inv = inv / inv[2, 2]
    img = r.image.transform(size, Image.Transform.PERSPECTIVE, tuple(inv.flatten()[:8]),
                            resample=Image.Resampling.BICUBIC, fillcolor=fill)
    return _apply_h(r, H, size, img, name)


def _fit(corners: np.ndarray, H: np.ndarray, margin: float) -> tuple[np.ndarray, tuple[int, int]]:
    """Translate ``H`` so that the warped corners sit inside a canvas with ``margin`` pixels around them."""
    pts = np.c_[corners, np.ones(4)] @ H.T
    pts = pts[:, :2] / pts[:, 2:3]
    lo = pts.min(axis=0) - margin
    hi = pts.max(axis=0) + margin
    T = np.array([[1, 0, -lo[0]], [0, 1, -lo[1]], [0, 0, 1]], dtype=float)
    return T @ H, (int(np.ceil(hi[0] - lo[0])), int(np.ceil(hi[1] - lo[1])))


def _corners(r: Rendered) -> np.ndarray:
    w, h = r.image.size
    return np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=float)


def rotate(r: Rendered, degrees: float, fill: tuple[int, int, int] = (255, 255, 255)) -> Rendered:
    """Rotate counter-clockwise by ``degrees`` (canvas grows to hold the whole page)."""
    t = np.deg2rad(degrees)
    w, h = r.image.size
    c, s = np.cos(t), np.sin(t)
    # Image y points down, so a counter-clockwise turn on screen is [[c, s], [-s, c]].
    R = np.array([[c, s, 0], [-s, c, 0], [0, 0, 1]], dtype=float)
    C = np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1]], dtype=float)
    H, size = _fit(_corners(r), R @ C, 0)
    return _warp(r, H, size, fill, f"rotate{degrees:g}")


def quarter_turn(r: Rendered, turns: int) -> Rendered:
    """Exact rotation by 90° × ``turns`` counter-clockwise (a scan fed sideways or upside down)."""
    turns %= 4
    if not turns:
        return r
    w, h = r.image.size
    op = {1: Image.Transpose.ROTATE_90, 2: Image.Transpose.ROTATE_180, 3: Image.Transpose.ROTATE_270}[turns]
    H = {
        1: np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], dtype=float),  # (x, y) → (y, w − x)
        2: np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], dtype=float),
        3: np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], dtype=float),  # (x, y) → (h − y, x)
    }[turns]
    return _apply_h(r, H, r.image.size, r.image.transpose(op), f"turn{90 * turns}")


def _homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    hvec = np.linalg.solve(np.array(rows, dtype=float), np.array(rhs, dtype=float))
    return np.append(hvec, 1.0).reshape(3, 3)


def perspective(r: Rendered, rng: random.Random, strength: float = 0.06,
                fill: tuple[int, int, int] = (255, 255, 255), margin: float = 0.0) -> Rendered:
    """Move each page corner by up to ``strength`` of the page size (a photo taken at an angle)."""
    src = _corners(r)
    w, h = r.image.size
    dst = src + np.array([[rng.uniform(-1, 1) * strength * w, rng.uniform(-1, 1) * strength * h] for _ in range(4)])
    H, size = _fit(src, _homography(src, dst), margin)
    return _warp(r, H, size, fill, f"perspective{strength:g}")


# -- pixels -------------------------------------------------------------------------------------------------


def _pixels(r: Rendered, image: Image.Image, name: str) -> Rendered:
    return replace(r, image=image, degradation=_join(r.degradation, name))


def blur(r: Rendered, radius: float) -> Rendered:
    return _pixels(r, r.image.filter(ImageFilter.GaussianBlur(radius)), f"blur{radius:g}")


def jpeg(r: Rendered, quality: int) -> Rendered:
    buf = io.BytesIO()
    r.image.convert("RGB").save(buf, format="JPEG", quality=quality)
    img = Image.open(io.BytesIO(buf.getvalue()))
    img.load()
    return _pixels(r, img, f"jpeg{quality}")


def scale(r: Rendered, factor: float) -> Rendered:
    """Resample to ``factor`` × the size (< 1: a low-resolution scan)."""
    w, h = r.image.size
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    img = r.image.resize(size, Image.Resampling.LANCZOS if factor < 1 else Image.Resampling.BICUBIC)
    H = np.diag([size[0] / w, size[1] / h, 1.0])
    return _apply_h(r, H, size, img, f"scale{factor:g}")


def noise(r: Rendered, sigma: float, rng: random.Random) -> Rendered:
    arr = np.asarray(r.image.convert("RGB"), dtype=np.float32)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    arr = arr + gen.normal(0.0, sigma, arr.shape)
    return _pixels(r, Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), f"noise{sigma:g}")


def lighting(r: Rendered, rng: random.Random, strength: float = 0.35) -> Rendered:
    """Uneven light: a smooth brightness falloff from a random bright spot."""
    arr = np.asarray(r.image.convert("RGB"), dtype=np.float32)
    h, w = arr.shape[:2]
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / np.hypot(w, h)
    gain = 1.0 - strength * np.clip(d, 0, 1)
    arr = arr * gain[:, :, None]
    return _pixels(r, Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), f"lighting{strength:g}")


def phone_photo(r: Rendered, rng: random.Random, severity: float = 1.0) -> Rendered:
    """A phone photo of a printed page: on a desk, slightly turned and tilted, soft, unevenly lit, JPEG."""
    desk = rng.choice([(92, 74, 60), (150, 150, 145), (60, 62, 70), (190, 180, 160)])
    w, h = r.image.size
    out = perspective(r, rng, strength=0.04 * severity, fill=desk, margin=0.05 * max(w, h))
    out = rotate(out, rng.uniform(-4, 4) * severity, fill=desk)
    out = lighting(out, rng, 0.35 * severity)
    out = blur(out, 1.0 * severity)
    out = noise(out, 5.0 * severity, rng)
    out = jpeg(out, int(70 - 15 * severity))
    return replace(out, degradation=_join(r.degradation, f"phone{severity:g}"))


# Named degradations for the recall suite and the benchmark: each takes the rendered page and a seeded RNG.
DEGRADATIONS: dict[str, Callable[[Rendered, random.Random], Rendered]] = {
    "clean": lambda r, rng: r,
    "rotate_small": lambda r, rng: rotate(r, rng.choice([-1, 1]) * rng.uniform(1.5, 5)),
    "turn90": lambda r, rng: quarter_turn(r, 1),
    "turn180": lambda r, rng: quarter_turn(r, 2),
    "turn270": lambda r, rng: quarter_turn(r, 3),
    "blur": lambda r, rng: blur(r, rng.uniform(1.0, 1.8)),
    "perspective": lambda r, rng: perspective(r, rng, 0.06),
    "jpeg": lambda r, rng: jpeg(r, rng.randint(30, 60)),
    "low_res": lambda r, rng: scale(r, rng.uniform(0.45, 0.6)),
    "noise_light": lambda r, rng: jpeg(noise(lighting(r, rng, 0.4), 8.0, rng), 60),
    "phone": lambda r, rng: phone_photo(r, rng, 1.0),
}


def degrade(r: Rendered, name: str, seed: int) -> Rendered:
    return DEGRADATIONS[name](r, random.Random(seed * 7919 + len(name)))


def dataset(seed: int = 0, per_degradation: int = 3,
            degradations: Sequence[str] = tuple(DEGRADATIONS)) -> list[Rendered]:
    """Certificates and posters crossed with every degradation, plus clean genuine certificates."""
    out: list[Rendered] = []
    k = seed * 1000
    for name in degradations:
        for i in range(per_degradation):
            k += 1
            base = certificate(k) if i % 2 == 0 else poster(k)
            out.append(degrade(base, name, k))
    for i in range(per_degradation):
        k += 1
        out.append(degrade(certificate(k, clean=True), "phone" if i % 2 else "clean", k))
    return out


if __name__ == "__main__":  # pragma: no cover - writes samples for a person to look at
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "out/render")
    target.mkdir(parents=True, exist_ok=True)
    for item in dataset(per_degradation=2):
        item.image.convert("RGB").save(target / f"{item.name}-{item.degradation}.jpg", quality=90)
    print(f"wrote samples to {target}")
