"""RapidOCR (PP-OCR models on onnxruntime): the default backend.

The rapidocr wheel bundles its detection, recognition and angle-classifier models; this backend points
RapidOCR at those files explicitly and checks them at construction, so nothing is ever downloaded at run
time (RapidOCR would otherwise fetch a missing model or character dictionary from the internet).

We drive RapidOCR's stages ourselves (detect → classify → recognise) rather than calling the engine, to
keep what its one-call API drops: the per-line angle verdict (used to tell an upside-down page) and the
per-character CTC positions (used for character boxes), aligned with the lines; and to adjust the
detected lines before recognition (see _extend_ends).
"""

from __future__ import annotations

import itertools
import logging
from importlib import util
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from compliance.ocr.base import Box, OcrLine, OcrUnavailable, Quad

# The files the rapidocr 3.x wheel ships under rapidocr/models.
MODEL_FILES = {
    "det": "PP-OCRv6_det_small.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
# Detection runs on the image scaled so its longer side is at most this. The engine's own default
# ("shorter side at least 736") ran detection at full size on 1600x1130 certificates: ~2.2 s on one core.
# At 640 it takes ~0.25 s and still found every line in the tests, down to 17 px print on a 1600 px scan
# photographed (about 6 px at detection size); 736 cost 12% more CPU per certificate for no recall.
DET_SIDE = 640
# Detect again at a larger size when the typical (median) line is shorter than this at detection size
# (px): a certificate small in a large photo. Lone lines of small print read fine down to ~6 px.
SMALL_TEXT_PX = 8.0
DET_SIDE_MAX = 1600
# Pictures longer than this ratio get a proportionally larger detection size, up to DET_SIDE_LONG.
PAGE_ASPECT = 1.5
DET_SIDE_LONG = 4096
# Lines are lengthened by this share of their height at each end before recognition (see _extend_ends).
END_MARGIN = 0.5
# Lines the recogniser is less sure of than this are dropped (RapidOCR's own default is 0.5); findings on
# the lines kept carry the line's confidence, so doubtful text lowers a finding's confidence.
MIN_LINE_SCORE = 0.5
_INSTALL = "install the OCR extra: pip install 'compliance[ocr]' (rapidocr and onnxruntime)"


def model_dir() -> Path:
    spec = util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise OcrUnavailable(f"the rapidocr package is not installed; {_INSTALL}")
    return Path(spec.origin).parent / "models"


def check_models(root: Path | None = None) -> dict[str, Path]:
    """The bundled model files, or OcrUnavailable naming the first one missing."""
    root = root or model_dir()
    paths = {}
    for task, name in MODEL_FILES.items():
        path = root / name
        if not path.is_file() or path.stat().st_size == 0:
            raise OcrUnavailable(
                f"RapidOCR {task} model missing: {path}. The rapidocr wheel bundles it; reinstall rapidocr "
                "(this product never downloads models at run time)"
            )
        paths[task] = path
    return paths


def _check_rec_dictionary(path: Path) -> None:
    """The recogniser must carry its character list; without it RapidOCR would try to download one."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    opts.log_severity_level = 4
    meta = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"]).get_modelmeta()
    if "character" not in meta.custom_metadata_map:
        raise OcrUnavailable(f"RapidOCR recognition model {path} has no embedded character list")


class RapidOcrBackend:
    name = "rapidocr"
    classifies_angle = True  # lines carry the angle classifier's upright verdict

    def __init__(self, *, threads: int = 1, det_side: int = DET_SIDE, min_score: float = MIN_LINE_SCORE,
                 models: Path | None = None) -> None:
        for package in ("rapidocr", "onnxruntime"):
            if util.find_spec(package) is None:
                raise OcrUnavailable(f"the {package} package is not installed; {_INSTALL}")
        paths = check_models(models)
        _check_rec_dictionary(paths["rec"])
        import cv2

        # Cropping and resizing run in OpenCV; its own thread pool would fight the other worker processes.
        cv2.setNumThreads(threads)
        from rapidocr import RapidOCR
        from rapidocr.utils.log import logger as rapid_logger

        rapid_logger.setLevel(logging.ERROR)
        params: dict[str, Any] = {
            "Global.log_level": "error",
            # Scaling is the image extractor's job (it keeps the mapping back to the input's pixels).
            "Global.use_preprocess_img": False,
            "Global.text_score": 0.0,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.model_path": str(paths["det"]),
            "Det.limit_side_len": det_side,
            "Det.limit_type": "max",
            "Cls.model_path": str(paths["cls"]),
            "Rec.model_path": str(paths["rec"]),
            # One line per run: batches are padded to their widest line, which cost more than it saved
            # on certificates (short "性别：男" next to long ID lines).
            "Rec.rec_batch_num": 1,
        }
        try:
            self._engine = RapidOCR(params=params)
            # Load all three models now: a broken install fails here, not on the first image, and worker
            # start-up cost is paid once.
            for loader in ("_load_det_model", "_load_cls_model", "_load_rec_model"):
                getattr(self._engine, loader, lambda: None)()
        except OcrUnavailable:
            raise
        except Exception as exc:  # onnxruntime or rapidocr failing to start: say so, with the cause
            raise OcrUnavailable(f"RapidOCR could not start: {exc}") from exc
        if any(getattr(self._engine, stage, None) is None for stage in ("text_det", "text_cls", "text_rec")):
            raise OcrUnavailable("this rapidocr version does not expose its detector, classifier and recogniser "
                                 "stages; install rapidocr>=3.10,<4")
        self._engine.return_word_box = True
        self._engine.return_single_char_box = True
        self.min_score = min_score
        self.det_side = det_side

    def read(self, image: Image.Image) -> list[OcrLine]:
        from rapidocr.ch_ppocr_rec import TextRecInput
        from rapidocr.utils.process_img import apply_vertical_padding, get_rotate_crop_image

        eng = self._engine
        rgb = np.asarray(image.convert("RGB"))
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        # Very wide, short pictures (banners) get blank rows added so detection sees a sensible shape.
        img, record = apply_vertical_padding(bgr, {}, eng.width_height_ratio, eng.min_height)
        top = float(record.get("padding_1", {}).get("top", 0))
        quads = self._detect(img)
        if quads is None:
            return []
        quads = _extend_ends(quads, img.shape[1], img.shape[0])
        crops = [get_rotate_crop_image(img, q.copy()) for q in quads]
        cls = eng.text_cls(crops)
        rec = eng.text_rec(TextRecInput(img=cls.img_list, return_word_box=True))
        if rec.txts is None or len(rec.txts) != len(quads):
            return []
        thresh = float(eng.cfg.Cls.cls_thresh)
        angles = list(cls.cls_res or [])
        lines: list[OcrLine] = []
        for i, (text, score) in enumerate(zip(rec.txts, rec.scores, strict=True)):
            if not text.strip() or score < self.min_score:
                continue
            quad: Quad = tuple((float(x), float(y) - top) for x, y in quads[i])  # type: ignore[assignment]
            upright: bool | None = None
            if i < len(angles):
                label, conf = angles[i]
                upright = not ("180" in str(label) and float(conf) > thresh)
            line = OcrLine(text=text, polygon=quad, confidence=float(score), upright=upright)
            words = rec.word_results[i] if rec.word_results and i < len(rec.word_results) else None
            if words is not None and upright and not line.vertical:
                line.char_boxes = _char_boxes(text, quad, words)
            lines.append(_strip(line))
        return lines

    def _detect(self, img: np.ndarray) -> np.ndarray | None:
        """Text line quads (N, 4, 2). Small text at the usual detection size gets a second, sharper look."""
        h, w = img.shape[:2]
        long_side = max(h, w)
        # A long screenshot holds several pages' worth of text along its length: give detection as many
        # pixels per line as a page-shaped picture gets, not the same total.
        aspect = long_side / max(1, min(h, w))
        side = min(int(self.det_side * max(1.0, aspect / PAGE_ASPECT)), DET_SIDE_LONG)
        boxes = self._detect_at(img, side)
        if boxes is None:
            return None
        scale = min(1.0, side / long_side)
        heights = np.linalg.norm(boxes[:, 3] - boxes[:, 0], axis=1)
        typical = float(np.median(heights)) * scale
        if typical < SMALL_TEXT_PX and scale < 1.0:
            # Mostly tiny lines: strokes merge or vanish at this size; detect again with them ~12 px high.
            again = self._detect_at(img, min(long_side, int(side * SMALL_TEXT_PX * 1.5 / typical),
                                             max(DET_SIDE_MAX, side)))
            if again is not None and len(again) >= len(boxes):
                boxes = again
        return boxes

    def _detect_at(self, img: np.ndarray, side: int) -> np.ndarray | None:
        """RapidOCR's detector at a size chosen per call. Its own __call__ reads the size from shared state;
        this keeps one backend safe to share between threads."""
        from rapidocr.ch_ppocr_det.utils import DetPreProcess

        det = self._engine.text_det
        tensor = DetPreProcess(side, "max", det.mean, det.std)(img)
        if tensor is None:
            return None
        boxes, _scores = det.postprocess_op(det.session(tensor), img.shape[:2])
        if len(boxes) == 0:
            return None
        return np.asarray(det.sorted_boxes(np.asarray(boxes)), dtype=np.float32)


def _extend_ends(quads: np.ndarray, width: int, height: int) -> np.ndarray:
    """Lengthen each horizontal line by up to half its height at both ends, never into a neighbour.

    The detector often stops short of a thin final or initial stroke (the 一 of 第一, 一次通过) and the
    recogniser then never sees it; a little margin lets it read the character. Neighbours on the same
    line keep the extension to half the gap between them, so no character is read twice.
    """
    out = quads.copy()
    n = len(quads)
    starts = quads[:, 0]
    dirs = quads[:, 1] - quads[:, 0]
    lengths = np.linalg.norm(dirs, axis=1)
    heights = np.linalg.norm(quads[:, 3] - quads[:, 0], axis=1)
    centres = quads.mean(axis=1)
    for i in range(n):
        if lengths[i] < 1 or heights[i] > 1.5 * lengths[i]:
            continue
        u = dirs[i] / lengths[i]
        normal = np.array([-u[1], u[0]])
        grow_right = grow_left = END_MARGIN * heights[i]
        rel = centres - starts[i]
        along = rel @ u
        across = np.abs(rel @ normal - heights[i] / 2)
        for j in range(n):
            if j == i or across[j] > heights[i] * 0.5:
                continue
            proj = (quads[j] - starts[i]) @ u
            if along[j] > lengths[i]:
                grow_right = min(grow_right, max(0.0, (proj.min() - lengths[i]) / 2))
            elif along[j] < 0:
                grow_left = min(grow_left, max(0.0, -proj.max() / 2))
        shift_r, shift_l = u * grow_right, u * grow_left
        out[i, 1] += shift_r
        out[i, 2] += shift_r
        out[i, 0] -= shift_l
        out[i, 3] -= shift_l
    out[:, :, 0] = np.clip(out[:, :, 0], 0, width - 1)
    out[:, :, 1] = np.clip(out[:, :, 1], 0, height - 1)
    return out


def _strip(line: OcrLine) -> OcrLine:
    text = line.text
    lead = len(text) - len(text.lstrip())
    tail = len(text.rstrip())
    if lead == 0 and tail == len(text):
        return line
    line.text = text[lead:tail]
    if line.char_boxes is not None:
        line.char_boxes = line.char_boxes[lead:tail]
    return line


def _char_boxes(text: str, quad: Quad, words: Any) -> list[Box] | None:
    """One box per character of ``text`` from the CTC columns the recogniser emitted each character at.

    A character's centre sits at its column's share of the line; its extent reaches halfway to its
    neighbours (at most half a typical character pitch). Positions are interpolated along the line's own
    top and bottom edges, so skewed and perspective-distorted lines get correct boxes.
    """
    span = float(getattr(words, "line_txt_len", 0.0) or 0.0)
    chars = [c for word in getattr(words, "words", []) for c in word]
    cols = [c for word in getattr(words, "word_cols", []) for c in word]
    solid = [c for c in text if not c.isspace()]
    if span <= 0 or not cols or len(chars) != len(cols) or chars != solid:
        return None
    centres = [(c + 0.5) / span for c in cols]
    steps = [b - a for a, b in itertools.pairwise(centres) if b > a]
    half = 0.5 * (float(np.median(steps)) if steps else min(1.0, 2 * centres[0]))
    ranges: list[tuple[float, float]] = []
    for k, c in enumerate(centres):
        lo = c - half if k == 0 else max(c - half, (centres[k - 1] + c) / 2)
        hi = c + half if k == len(centres) - 1 else min(c + half, (c + centres[k + 1]) / 2)
        ranges.append((max(0.0, lo), min(1.0, hi)))
    out: list[Box] = []
    k = 0
    for ch in text:
        if ch.isspace():
            prev_hi = ranges[k - 1][1] if k > 0 else 0.0
            next_lo = ranges[k][0] if k < len(ranges) else 1.0
            out.append(_segment_box(quad, prev_hi, max(prev_hi, next_lo)))
        else:
            out.append(_segment_box(quad, *ranges[k]))
            k += 1
    return out


def _segment_box(quad: Quad, t0: float, t1: float) -> Box:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    pts = [
        (x0 + t0 * (x1 - x0), y0 + t0 * (y1 - y0)),
        (x0 + t1 * (x1 - x0), y0 + t1 * (y1 - y0)),
        (x3 + t1 * (x2 - x3), y3 + t1 * (y2 - y3)),
        (x3 + t0 * (x2 - x3), y3 + t0 * (y2 - y3)),
    ]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))
