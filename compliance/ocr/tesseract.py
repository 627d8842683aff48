"""Tesseract through pytesseract with the chi_sim model: the fallback backend.

Needs the Debian packages tesseract-ocr and tesseract-ocr-chi-sim. Tesseract reports Chinese one character
per "word"; words are joined into lines here without spaces, except between two Latin/digit words.
It has no angle classifier, so lines carry ``upright=None`` and the image extractor tries other
orientations itself when a page reads poorly.
"""

from __future__ import annotations

import os
from importlib import util

from PIL import Image

from compliance.ocr.base import Box, OcrLine, OcrUnavailable

LANG = "chi_sim"
# Page segmentation 6 (one uniform block of text). On rendered certificates and posters it found more
# than automatic segmentation (3), which dropped short centred lines such as certificate footers:
# term recall 0.87 against 0.76, category recall 0.98 against 0.87, at the same speed.
PSM = 6
_APT = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"


class TesseractBackend:
    name = "tesseract"

    def __init__(self, *, threads: int = 1, lang: str = LANG, psm: int = PSM) -> None:
        if util.find_spec("pytesseract") is None:
            raise OcrUnavailable("the pytesseract package is not installed; pip install pytesseract")
        import pytesseract

        try:
            pytesseract.get_tesseract_version()
        except pytesseract.TesseractNotFoundError as exc:
            raise OcrUnavailable(f"the tesseract binary was not found on PATH; {_APT}") from exc
        langs = set(pytesseract.get_languages(config=""))
        missing = [code for code in lang.split("+") if code not in langs]
        if missing:
            have = ", ".join(sorted(langs)) or "none"
            raise OcrUnavailable(f"Tesseract language data missing: {', '.join(missing)} (installed: {have}); {_APT}")
        # Tesseract parallelises with OpenMP; one thread per process when workers already fill the cores.
        # pytesseract runs the binary as a child process, which inherits this.
        os.environ["OMP_THREAD_LIMIT"] = str(max(1, threads))
        self._tess = pytesseract
        self.lang = lang
        self.config = f"--psm {psm}"

    def read(self, image: Image.Image) -> list[OcrLine]:
        data = self._tess.image_to_data(image.convert("RGB"), lang=self.lang, config=self.config,
                                        output_type=self._tess.Output.DICT)
        groups: dict[tuple[int, int, int, int], list[int]] = {}
        for i, word in enumerate(data["text"]):
            if not word or not word.strip() or float(data["conf"][i]) < 0:
                continue
            key = (data["page_num"][i], data["block_num"][i], data["par_num"][i], data["line_num"][i])
            groups.setdefault(key, []).append(i)
        lines = []
        for members in groups.values():
            members.sort(key=lambda i: data["left"][i])
            text_parts: list[str] = []
            boxes: list[Box] = []
            confs: list[float] = []
            for i in members:
                word = data["text"][i].strip()
                x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
                if text_parts and _needs_space(text_parts[-1], word):
                    prev = boxes[-1]
                    text_parts.append(" ")
                    boxes.append((prev[2], prev[1], float(x), prev[3]))
                text_parts.append(word)
                # Tesseract boxes whole words; a Chinese "word" is one character, a Latin one is split evenly.
                step = w / len(word)
                boxes.extend((x + k * step, float(y), x + (k + 1) * step, float(y + h)) for k in range(len(word)))
                confs.append(float(data["conf"][i]) / 100.0)
            text = "".join(text_parts)
            x0 = min(b[0] for b in boxes)
            y0 = min(b[1] for b in boxes)
            x1 = max(b[2] for b in boxes)
            y1 = max(b[3] for b in boxes)
            lines.append(OcrLine(text=text, polygon=((x0, y0), (x1, y0), (x1, y1), (x0, y1)),
                                 confidence=sum(confs) / len(confs), char_boxes=boxes))
        return lines


def _needs_space(prev: str, word: str) -> bool:
    """A space between two Latin/digit words (ID numbers, URLs, English); none between Chinese characters."""
    return prev[-1].isascii() and prev[-1].isalnum() and word[0].isascii() and word[0].isalnum()
