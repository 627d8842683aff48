"""The image extractor around the OCR engine: formats, EXIF, transparency, pages, limits, scaling, boxes.

All with the colour-patch backend (tests/ocr/fakes.py), so these run in milliseconds.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from compliance.contract import Origin
from compliance.extract.errors import ExtractError
from compliance.extract.image import OCR_MAX_AREA, OCR_MIN_SIDE, image_document, ocr_image
from tests.ocr.fakes import BLUE, GREEN, RED, TEXTS, PatchBackend, patch_image

RED_BOX = (100, 60, 400, 110)
BLUE_BOX = (100, 200, 500, 260)


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **params)
    return buf.getvalue()


def near(box, expected, tol: float) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(box, expected, strict=True))


def sample(size=(800, 400)) -> Image.Image:
    return patch_image(size, {RED: RED_BOX, BLUE: BLUE_BOX})


@pytest.mark.parametrize(
    ("fmt", "params", "media"),
    [
        ("PNG", {}, "image/png"),
        ("JPEG", {"quality": 92}, "image/jpeg"),
        ("TIFF", {"compression": "tiff_lzw"}, "image/tiff"),
        ("WEBP", {"quality": 95}, "image/webp"),
        ("BMP", {}, "image/bmp"),
        ("GIF", {}, "image/gif"),
    ],
)
def test_every_format_by_content(fmt, params, media):
    backend = PatchBackend()
    doc = image_document(encode(sample(), fmt, **params), backend=backend)
    assert doc.media_type == media
    [page] = doc.pages
    assert page.origin is Origin.OCR and page.number == 1
    assert (page.width, page.height) == (800, 400)
    assert page.text == f"{TEXTS[RED]}\n{TEXTS[BLUE]}"  # reading order: top line first
    assert near(page.segments[0].bbox, RED_BOX, 3)
    assert page.segments[0].confidence == pytest.approx(0.97)


@pytest.mark.parametrize("mode", ["L", "1", "P", "CMYK", "LA", "I;16", "I", "RGBA"])
def test_pixel_modes_are_read_not_refused(mode):
    base = sample()
    img = base.convert(mode) if mode not in ("I;16", "I") else base.convert("L").convert(mode)
    fmt = "TIFF" if mode in ("CMYK", "I", "LA") else "PNG"
    backend = PatchBackend(tolerance=140)  # grey and bilevel renderings of the colours are far from them
    doc = image_document(encode(img, fmt), backend=backend)
    assert len(doc.pages) == 1 and backend.seen == [(OCR_MIN_SIDE, 500)]


def test_float_tiff_in_0_to_1_is_not_black():
    arr = np.ones((400, 800), dtype=np.float32)
    arr[60:110, 100:400] = 0.0  # a dark patch on white, as a float image stores it
    backend = PatchBackend()
    image_document(encode(Image.fromarray(arr, "F"), "TIFF"), backend=backend)
    assert backend.corners == [(255, 255, 255)]


def test_exif_orientation_boxes_are_in_the_viewed_image():
    # Stored landscape with orientation 6 (viewers turn it 90° clockwise): viewed it is 400 wide, 800 high.
    stored = sample()
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(stored, "JPEG", quality=95, exif=exif.tobytes())
    backend = PatchBackend()
    [page] = image_document(data, backend=backend).pages
    assert (page.width, page.height) == (400, 800)
    viewed = stored.transpose(Image.Transpose.ROTATE_270)  # what a viewer shows
    arr = np.asarray(viewed).astype(int)
    ys, xs = np.nonzero(np.abs(arr - np.array(RED)).max(axis=2) < 60)
    expected = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    red = next(s for s in page.segments if s.text == TEXTS[RED])
    assert near(red.bbox, expected, 3)
    # The raster for evidence pictures is the viewed image too.
    assert page.raster is not None and page.raster().size == (400, 800)


def test_transparency_is_flattened_onto_white():
    img = patch_image((800, 400), {RED: RED_BOX}, mode="RGBA", background=(0, 0, 0, 0))
    backend = PatchBackend()
    [page] = image_document(encode(img, "PNG"), backend=backend).pages
    # Transparent black would read as a black page; flattened it is white around the text.
    assert backend.corners == [(255, 255, 255)]
    assert page.text == TEXTS[RED]


def test_light_text_on_transparency_is_flattened_onto_black():
    # White lettering cut out for a dark web page would vanish on white.
    img = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    img.paste((255, 255, 255, 255), (100, 60, 400, 110))
    backend = PatchBackend()
    image_document(encode(img, "PNG"), backend=backend)
    assert backend.corners == [(0, 0, 0)]


def test_palette_transparency_is_flattened():
    img = patch_image((800, 400), {RED: RED_BOX}).convert("P")
    data = encode(img, "PNG", transparency=img.getpixel((0, 0)))
    backend = PatchBackend()
    image_document(data, backend=backend)
    assert backend.corners == [(255, 255, 255)]


def test_multipage_tiff_gives_one_page_per_frame():
    frames = [patch_image((600, 300), {RED: (10, 10, 200, 50)}), patch_image((500, 700), {BLUE: (50, 60, 300, 120)}),
              patch_image((600, 300), {GREEN: (20, 200, 300, 260)})]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    doc = image_document(buf.getvalue(), backend=PatchBackend())
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert [p.text for p in doc.pages] == [TEXTS[RED], TEXTS[BLUE], TEXTS[GREEN]]
    assert (doc.pages[1].width, doc.pages[1].height) == (500, 700)
    assert near(doc.pages[1].segments[0].bbox, (50, 60, 300, 120), 3)


def test_tiff_page_cap_is_a_warning():
    frames = [patch_image((300, 200), {RED: (10, 10, 200, 50)}) for _ in range(4)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    doc = image_document(buf.getvalue(), backend=PatchBackend(), max_pages=2)
    assert len(doc.pages) == 2 and "first 2 of 4 pages" in doc.warnings[0]


def test_a_too_large_later_tiff_page_is_skipped_with_a_warning():
    frames = [patch_image((300, 200), {RED: (10, 10, 200, 50)}), patch_image((900, 900), {BLUE: (10, 10, 200, 50)}),
              patch_image((300, 200), {GREEN: (10, 10, 200, 50)})]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    doc = image_document(buf.getvalue(), backend=PatchBackend(), max_pixels=100_000)
    assert [p.number for p in doc.pages] == [1, 3]
    assert "page 2 skipped" in doc.warnings[0] and "900x900" in doc.warnings[0]


def test_gif_first_frame_only():
    first = patch_image((600, 300), {RED: (10, 10, 200, 50)})
    second = patch_image((600, 300), {BLUE: (10, 100, 200, 150)})
    data = encode(first, "GIF", save_all=True, append_images=[second], duration=100, loop=0)
    doc = image_document(data, backend=PatchBackend())
    assert [p.text for p in doc.pages] == [TEXTS[RED]]


def test_pixel_limit_refuses_before_decoding():
    with pytest.raises(ExtractError) as err:
        image_document(encode(sample(), "PNG"), backend=PatchBackend(), max_pixels=100_000)
    assert err.value.code == "image_too_large"
    assert "800x400" in err.value.message and "100,000" in err.value.message


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG claiming huge dimensions with almost no data: a decompression bomb's calling card."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [20_000, 60_000])  # above our limit; above Pillow's own bomb error too
def test_decompression_bomb_is_image_too_large(side):
    with pytest.raises(ExtractError) as err:
        image_document(_png_header_only(side, side), backend=PatchBackend())
    assert err.value.code == "image_too_large"


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, b"GIF89a garbage", b"not an image at all"])
def test_unreadable_bytes(data):
    with pytest.raises(ExtractError) as err:
        image_document(data, backend=PatchBackend())
    assert err.value.code == "image_unreadable"


def test_truncated_image_is_unreadable_not_a_crash():
    data = encode(sample(), "PNG")
    with pytest.raises(ExtractError) as err:
        image_document(data[: len(data) // 2], backend=PatchBackend())
    assert err.value.code == "image_unreadable"


def test_formats_outside_the_list_are_refused():
    with pytest.raises(ExtractError) as err:
        image_document(encode(sample(), "PPM"), backend=PatchBackend())
    assert err.value.code == "image_unreadable"


def test_small_image_is_enlarged_and_boxes_come_back():
    img = patch_image((300, 150), {RED: (20, 10, 120, 30), BLUE: (20, 60, 200, 80)})
    backend = PatchBackend()
    [page] = image_document(encode(img, "PNG"), backend=backend).pages
    assert backend.seen == [(OCR_MIN_SIDE, 500)]
    assert (page.width, page.height) == (300, 150)
    assert near(page.segments[0].bbox, (20, 10, 120, 30), 1.5)


def test_blind_backend_tries_other_orientations_when_it_reads_little():
    img = patch_image((600, 400), {GREEN: (20, 10, 120, 30)})  # 3 characters: too little to trust
    backend = PatchBackend(upright=None)
    [page] = image_document(encode(img, "PNG"), backend=backend).pages
    assert len(backend.seen) == 4  # as is, then 180, 90 and 270 degrees
    assert page.text == TEXTS[GREEN]  # no turn read better, so the first reading stays
    assert near(page.segments[0].bbox, (20, 10, 120, 30), 1.5)


def test_angle_aware_backend_does_not_turn_an_empty_page():
    backend = PatchBackend()
    image_document(encode(Image.new("RGB", (1200, 900), "white"), "PNG"), backend=backend)
    assert len(backend.seen) == 1


def test_enlargement_is_capped():
    backend = PatchBackend()
    image_document(encode(patch_image((50, 20), {RED: (5, 5, 40, 15)}), "PNG"), backend=backend)
    assert backend.seen == [(200, 80)]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])  # JPEG decodes at a reduced size (draft mode)
def test_huge_image_is_reduced_and_boxes_are_in_original_pixels(fmt):
    img = patch_image((6400, 3200), {RED: (1200, 600, 4200, 1100), BLUE: (1000, 2000, 6000, 2600)})
    params = {"quality": 90} if fmt == "JPEG" else {"compress_level": 1}
    backend = PatchBackend()
    [page] = image_document(encode(img, fmt, **params), backend=backend).pages
    [(w, h)] = backend.seen
    assert w * h <= OCR_MAX_AREA * 1.01 and w == pytest.approx(2 * h, abs=2)
    assert (page.width, page.height) == (6400, 3200)
    red = next(s for s in page.segments if s.text == TEXTS[RED])
    assert near(red.bbox, (1200, 600, 4200, 1100), 6400 / w * 3)


def test_long_screenshot_keeps_its_width():
    # A 1080x8000 "long picture" ad: limiting the longer side would shrink its text to a third.
    img = patch_image((1080, 8000), {RED: (100, 7000, 900, 7060)})
    backend = PatchBackend()
    [page] = image_document(encode(img, "PNG", compress_level=1), backend=backend).pages
    [(w, h)] = backend.seen
    assert w >= 0.7 * 1080 and w * h <= OCR_MAX_AREA * 1.01
    assert near(page.segments[0].bbox, (100, 7000, 900, 7060), 1080 / w * 3)


def test_ocr_image_reads_a_decoded_picture_in_its_own_pixels():
    segments = ocr_image(sample(), backend=PatchBackend())
    assert [s.text for s in segments] == [TEXTS[RED], TEXTS[BLUE]]
    assert near(segments[0].bbox, RED_BOX, 3)
    with pytest.raises(ExtractError) as err:
        ocr_image(sample(), backend=PatchBackend(), max_pixels=1000)
    assert err.value.code == "image_too_large"


def test_an_image_without_text_is_an_empty_page_not_an_error():
    [page] = image_document(encode(Image.new("RGB", (640, 480), "white"), "PNG"), backend=PatchBackend()).pages
    assert page.segments == [] and page.text == ""
