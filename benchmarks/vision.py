"""Time added per 1600x1130 page by all mark detectors together (emblem, police, flag, seals), on one core.

    .venv/bin/python benchmarks/vision.py [--pages 42] [--repeat 3]

Pages are generated (tests/vision/synth.py): a mix with and without marks. Each page is run ``--repeat``
times and its median kept (other work on the machine makes single timings noisy); wall-clock and this
process's CPU time are both reported. Seal text OCR only runs when a seal is found, so it is timed apart:
the detector pass runs with an OCR stub that reads nothing, then each seal found is read with the real
backend (RapidOCR, one thread).
"""

# ruff: noqa: E402 - the thread limits must be in the environment before numpy (and OpenCV) are imported.
from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # one core: numpy's BLAS must not spread out

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2
import numpy as np

from compliance.settings import Settings
from compliance.vision import flag, marks, seal
from compliance.vision.base import run_vision
from compliance.vision.view import View
from tests.vision.synth import make_case

BAR_MS = 150.0
MIX = ["emblem", "emblem", "police", "logo", "flag", "seal_company", "seal_organ", "plain", "plain"]


class NoOcr:
    """Reads nothing: the detector pass without OCR cost."""

    name = "none"

    def read(self, image: object) -> list:
        return []


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=45)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-ocr", action="store_true", help="skip timing the seal OCR")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    pages = [make_case(500_000 + i, MIX[i % len(MIX)]) for i in range(args.pages)]
    assert all(p.image.size == (1600, 1130) for p in pages)
    settings = Settings()
    stub = NoOcr()
    run_vision(pages[0].image, settings=settings, ocr=stub)  # warm-up: classifier weights, templates

    wall: list[float] = []
    cpu: list[float] = []
    parts: dict[str, list[float]] = {"page views": [], "candidates+classifier": [], "flag": [], "seal find": []}
    for p in pages:
        w_runs, c_runs = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            run_vision(p.image, settings=settings, ocr=stub)
            w_runs.append(time.perf_counter() - t0)
            c_runs.append(time.process_time() - c0)
        wall.append(statistics.median(w_runs) * 1000)
        cpu.append(statistics.median(c_runs) * 1000)
        t0 = time.perf_counter()
        view = View(np.asarray(p.image))
        parts["page views"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        marks.classify(view, marks.candidates(view))
        parts["candidates+classifier"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        flag.detect(view)
        parts["flag"].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        seal.find(view)
        parts["seal find"].append((time.perf_counter() - t0) * 1000)

    print(f"pages: {len(pages)} (1600x1130; {', '.join(sorted(set(MIX)))}), median of {args.repeat} runs each")
    print(f"all detectors, wall ms/page: mean {statistics.mean(wall):.1f}  p50 {pct(wall, 50):.1f}  "
          f"p95 {pct(wall, 95):.1f}  max {max(wall):.1f}")
    print(f"all detectors, CPU ms/page:  mean {statistics.mean(cpu):.1f}  p50 {pct(cpu, 50):.1f}  "
          f"p95 {pct(cpu, 95):.1f}  max {max(cpu):.1f}")
    for name, values in parts.items():
        print(f"  {name:22s} mean {statistics.mean(values):6.1f}  p95 {pct(values, 95):6.1f} ms")
    try:
        load = os.getloadavg()[0]
        print(f"load average (1 min) during the run: {load:.2f} on {os.cpu_count()} cores")
    except OSError:
        pass
    verdict = "PASS" if statistics.mean(wall) <= BAR_MS else "FAIL"
    print(f"{verdict}: mean {statistics.mean(wall):.1f} ms per page (bar {BAR_MS:.0f} ms; p95 {pct(wall, 95):.1f})")

    if args.no_ocr:
        return
    from compliance.ocr.base import get_backend

    ocr = get_backend("rapidocr", settings, threads=1)
    reads: list[float] = []
    for p in pages:
        rgb = np.asarray(p.image)
        for s in seal.find(rgb):
            t0 = time.perf_counter()
            seal.read(ocr, rgb, s)
            reads.append((time.perf_counter() - t0) * 1000)
    if reads:
        print(f"seal OCR (only when a seal is found): {len(reads)} seals, mean {statistics.mean(reads):.0f} ms  "
              f"p95 {pct(reads, 95):.0f} ms per seal")


if __name__ == "__main__":
    main()
