"""Images (PNG, JPEG, TIFF, WebP, BMP, GIF) → pages of OCR lines.

Coordinate space: every box on a page is in pixels of the image **as a viewer shows it**, that is after the
EXIF orientation has been applied, at the file's full resolution (``Page.width`` × ``Page.height``). Work
done on other pixel grids (downscaled, upscaled or rotated copies for the OCR engine) is mapped back here,
so a finding's ``location.bbox`` can be drawn straight onto the picture.

Steps for each page (TIFF frames are pages; GIF, WebP and MPO files give their first frame):
1. Refuse pictures above ``max_pixels`` from the header alone, before anything is decoded (bombs).
2. Apply the EXIF orientation; flatten transparency onto white; bring 16-bit and CMYK to 8-bit RGB.
3. Scale for OCR: large images down to ``OCR_MAX_AREA`` pixels (JPEG decodes straight at a reduced size),
   small ones up to ``OCR_MIN_SIDE`` on the longer side so that thin strokes survive detection.
4. OCR; if the lines say the page is sideways or upside down, turn it and read again (one extra pass,
   only for such pages), keeping the better reading.
5. Put the lines in reading order (compliance/ocr/layout.py) and map every box back (step 1's space).
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from compliance.contract import Origin
from compliance.extract.document import Box, Document, Page, Segment
from compliance.extract.errors import ExtractError
from compliance.ocr.base import OcrBackend, OcrLine
from compliance.ocr.layout import reading_order

# Decoders we open. Anything else Pillow knows (EPS runs Ghostscript, for one) is refused. Phone JPEGs
# with a second picture come out as MPO from the JPEG decoder; some Pillow versions list MPO apart.
FORMATS = ("PNG", "JPEG", "MPO", "TIFF", "WEBP", "BMP", "DIB", "GIF")
MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "MPO": "image/jpeg", "TIFF": "image/tiff",
               "WEBP": "image/webp", "BMP": "image/bmp", "DIB": "image/bmp", "GIF": "image/gif"}
DEFAULT_MAX_PIXELS = 80_000_000  # a 600 dpi A3 scan is 70 MP; decoded RGB at the limit is 240 MB
MAX_PAGES = 200  # TIFF frames read; the rest are reported in Document.warnings
# The OCR engine sees at most this many pixels (2400x1800): RapidOCR detects on a smaller copy anyway and
# crops lines for recognition from this one, where certificate text stays 50+ px high. A limit on area,
# not on the longer side, keeps long screenshots (1080x8000 ad "长图") readable.
OCR_MAX_AREA = 2400 * 1800
# Smaller pictures are enlarged up to this (at most 4×): thumbnails and low-resolution screenshots.
OCR_MIN_SIDE = 1000
MAX_UPSCALE = 4.0
WHITE = (255, 255, 255)

# Quarter turns counter-clockwise, as Image.transpose does them (points map back with _unturn).
_TURN = {1: Image.Transpose.ROTATE_90, 2: Image.Transpose.ROTATE_180, 3: Image.Transpose.ROTATE_270}


def image_document(data: bytes, *, backend: OcrBackend, max_pixels: int = DEFAULT_MAX_PIXELS,
                   max_pages: int = MAX_PAGES) -> Document:
    """OCR every page of an image file. Raises ExtractError(image_unreadable | image_too_large)."""
    im = _open(data)
    media = MEDIA_TYPES.get(im.format or "", "image/" + (im.format or "unknown").lower())
    frames = getattr(im, "n_frames", 1) if im.format == "TIFF" else 1
    doc_warnings: list[str] = []
    if frames > max_pages:
        doc_warnings.append(f"only the first {max_pages} of {frames} pages were read")
        frames = max_pages
    pages: list[Page] = []
    for index in range(frames):
        if index:
            try:
                im.seek(index)
            except (EOFError, OSError) as exc:
                doc_warnings.append(f"page {index + 1} could not be read: {exc}")
                break
        try:
            _check_size(im, max_pixels, index + 1 if frames > 1 else None)
            work, size, scale = _prepare(im, OCR_MAX_AREA, OCR_MIN_SIDE)
        except ExtractError as exc:
            if not index:
                raise
            # A later page that is broken or too large costs that page, not the pages already read.
            doc_warnings.append(f"page {index + 1} skipped: {exc.message}")
            continue
        segments = _segments(backend, work, scale)
        pages.append(Page(index + 1, segments, Origin.OCR, float(size[0]), float(size[1]),
                          raster=_rasterizer(data, index, max_pixels)))
    return Document(media, pages, warnings=doc_warnings)


def ocr_image(image: Image.Image, *, backend: OcrBackend, max_pixels: int = DEFAULT_MAX_PIXELS) -> list[Segment]:
    """Lines of an already-decoded picture (a rendered PDF page, say), in that picture's pixels.
    Its EXIF orientation, if any, is not applied: the caller's pixels are the coordinate space."""
    _check_size(image, max_pixels, None)
    work, _, scale = _prepare(image, OCR_MAX_AREA, OCR_MIN_SIDE, exif=False)
    return _segments(backend, work, scale)


# -- decoding ---------------------------------------------------------------------------------------------


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own bomb threshold; our limit is checked from the header right after.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=_formats())
    except Image.DecompressionBombError as exc:
        raise ExtractError("image_too_large", str(exc)) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ExtractError("image_unreadable", f"not a readable image ({_reason(exc)})") from exc


def _formats() -> tuple[str, ...]:
    Image.init()
    return tuple(f for f in FORMATS if f in Image.OPEN)


def _check_size(im: Image.Image, max_pixels: int, page: int | None) -> None:
    w, h = im.size
    if w <= 0 or h <= 0:
        raise ExtractError("image_unreadable", f"image has no pixels ({w}x{h})")
    if w * h > max_pixels:
        where = f"page {page}: " if page else ""
        raise ExtractError("image_too_large",
                           f"{where}{w}x{h} = {w * h:,} pixels exceeds the limit of {max_pixels:,}")


def _orientation(im: Image.Image) -> int:
    """The EXIF orientation (1-8; 1 = as stored)."""
    try:
        value = im.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block is ignored, as viewers do
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _prepare(im: Image.Image, max_area: int, min_side: int, *, exif: bool = True
             ) -> tuple[Image.Image, tuple[int, int], tuple[float, float]]:
    """The RGB copy the OCR reads, the page size as viewed, and the copy's pixels per page pixel (x, y)."""
    w, h = im.size
    orientation = _orientation(im) if exif else 1
    view = (h, w) if orientation in (5, 6, 7, 8) else (w, h)  # 5-8 swap width and height
    long_side = max(w, h)
    factor = 1.0
    if w * h > max_area:
        factor = math.sqrt(max_area / (w * h))
    elif long_side < min_side:
        factor = min(min_side / long_side, MAX_UPSCALE)
    try:
        if factor < 0.5 and im.format in ("JPEG", "MPO"):
            # Let the JPEG decoder skip detail we would throw away (1/2, 1/4, 1/8 scale): less time and memory.
            im.draft("RGB", (math.ceil(w * factor), math.ceil(h * factor)))
        im.load()  # decode now, so a truncated or corrupt file fails here and not in a later step
        frame = ImageOps.exif_transpose(im) if orientation != 1 else im
        rgb = _to_rgb(frame)
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        raise ExtractError("image_unreadable", f"could not decode the image ({_reason(exc)})") from exc
    target = (max(1, round(view[0] * factor)), max(1, round(view[1] * factor)))
    if rgb.size != target:
        resample = Image.Resampling.LANCZOS if factor < 1 else Image.Resampling.BICUBIC
        rgb = rgb.resize(target, resample, reducing_gap=3.0 if factor < 1 else None)
    return rgb, view, (target[0] / view[0], target[1] / view[1])


def _to_rgb(im: Image.Image) -> Image.Image:
    """8-bit RGB; transparency flattened onto white (text drawn on a transparent PNG is dark on nothing)."""
    mode = im.mode
    if mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        arr = np.asarray(im, dtype=np.float32)
        peak = float(arr.max(initial=0))
        top = 65535.0 if peak > 255 else 255.0 if peak > 1 else 1.0  # 16-bit, 8-bit in 32, or float 0..1
        im = Image.fromarray(np.clip(arr * (255.0 / top), 0, 255).astype(np.uint8), "L")
        mode = "L"
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info
    if has_alpha:
        rgba = im.convert("RGBA")
        base = Image.new("RGBA", rgba.size, (*_backdrop(rgba), 255))
        return Image.alpha_composite(base, rgba).convert("RGB")
    return im if mode == "RGB" else im.convert("RGB")


def _backdrop(rgba: Image.Image) -> tuple[int, int, int]:
    """White, unless what is drawn is itself light (white text cut out for dark pages): then black."""
    arr = np.asarray(rgba.reduce(4) if min(rgba.size) >= 64 else rgba)
    alpha = arr[:, :, 3]
    drawn = alpha >= 128
    if not drawn.any() or drawn.mean() > 0.8:
        return WHITE
    luminance = arr[:, :, :3][drawn].astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return (0, 0, 0) if float(luminance.mean()) > 200 else WHITE


def _rasterizer(data: bytes, index: int, max_pixels: int) -> Callable[[], Any]:
    """The page as viewed (EXIF applied, flattened, full size), decoded again only when someone asks."""

    def render() -> Image.Image:
        im = _open(data)
        if index:
            im.seek(index)
        _check_size(im, max_pixels, None)
        frame = ImageOps.exif_transpose(im) if _orientation(im) != 1 else im
        return _to_rgb(frame)

    return render


# -- OCR and orientation ----------------------------------------------------------------------------------


def _score(lines: list[OcrLine]) -> float:
    """How much readable horizontal text a reading found (vertical lines count half: usually misreads)."""
    return sum(ln.confidence * len(ln.text.strip()) * (0.5 if ln.vertical else 1.0) for ln in lines)


def _turn_guess(lines: list[OcrLine]) -> list[int]:
    """Quarter turns (counter-clockwise) to try after a first reading, most likely first; [] = upright.

    RapidOCR reads a sideways line by turning its crop 90° counter-clockwise, then its angle classifier
    says whether that crop was upside down: on a page turned 90° clockwise the crops come out upright,
    on one turned 90° counter-clockwise they come out flipped. Backends without an angle verdict
    (Tesseract) get every other orientation tried when the reading is poor.
    """
    chars = sum(len(ln.text) for ln in lines)
    vertical = [ln for ln in lines if ln.vertical]
    v_chars = sum(len(ln.text) for ln in vertical)
    if chars and v_chars * 2 > chars and v_chars >= 4:
        known = [ln for ln in vertical if ln.upright is not None]
        if not known:
            return [1, 3]
        flipped = sum(len(ln.text) for ln in known if not ln.upright)
        return [3, 1] if flipped * 2 > sum(len(ln.text) for ln in known) else [1, 3]
    known = [ln for ln in lines if ln.upright is not None and not ln.vertical]
    if known:
        flipped = sum(len(ln.text) for ln in known if not ln.upright)
        return [2] if flipped * 2 > sum(len(ln.text) for ln in known) else []
    # No angle verdicts: judge by the reading itself.
    mean_conf = sum(ln.confidence * len(ln.text) for ln in lines) / chars if chars else 0.0
    return [] if chars >= 8 and mean_conf >= 0.75 else [2, 1, 3]


def _read(backend: OcrBackend, work: Image.Image) -> tuple[list[OcrLine], int]:
    """The best reading and the quarter turns applied to ``work`` to get it."""
    lines = backend.read(work)
    best, best_turns, best_score = lines, 0, _score(lines)
    guesses = _turn_guess(lines)
    verdicts = getattr(backend, "classifies_angle", False) or any(ln.upright is not None for ln in lines)
    if verdicts and not lines:
        return lines, 0  # its detector found nothing; turning the page will not change that
    if verdicts:
        guesses = guesses[:1]  # the angle classifier's guess is reliable: one extra reading at most
    # Turning on an angle verdict needs the new reading to be about as good (an upside-down page reads as
    # well as the turned one line by line; the turn fixes reading order and character boxes). Guessing
    # blind needs a clearly better reading. Either way genuinely vertical text stays as first read.
    accept = 0.9 if verdicts else 1.05
    for turns in guesses:
        turned = backend.read(work.transpose(_TURN[turns]))
        score = _score(turned)
        if score > best_score * accept:
            best, best_turns, best_score = turned, turns, score
            if not _turn_guess(turned):
                break
    return best, best_turns


def _unturn(turns: int, size: tuple[int, int]) -> Callable[[float, float], tuple[float, float]]:
    """Maps a point of the turned image back onto the unturned one (``size`` = unturned width, height)."""
    w, h = size
    if turns == 1:  # ROTATE_90 sent (x, y) to (y, w - x)
        return lambda u, v: (w - v, u)
    if turns == 2:
        return lambda u, v: (w - u, h - v)
    if turns == 3:  # ROTATE_270 sent (x, y) to (h - y, x)
        return lambda u, v: (v, h - u)
    return lambda u, v: (u, v)


def _segments(backend: OcrBackend, work: Image.Image, scale: tuple[float, float]) -> list[Segment]:
    lines, turns = _read(backend, work)
    if not lines:
        return []
    back = _unturn(turns, work.size)
    sx, sy = scale

    def to_page(box: Box) -> Box:
        pts = [back(box[0], box[1]), back(box[2], box[1]), back(box[2], box[3]), back(box[0], box[3])]
        xs = [p[0] / sx for p in pts]
        ys = [p[1] / sy for p in pts]
        return (min(xs), min(ys), max(xs), max(ys))

    segments = []
    for i in reading_order([ln.polygon for ln in lines]):
        ln = lines[i]
        chars = [to_page(b) for b in ln.char_boxes] if ln.char_boxes and len(ln.char_boxes) == len(ln.text) else None
        segments.append(Segment(ln.text, to_page(ln.bbox), round(ln.confidence, 4), chars))
    return segments


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
