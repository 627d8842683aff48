"""Train the mark classifier (compliance/vision/data/marks_mlp.npz) on generated pages. Offline, numpy only.

    .venv/bin/python tests/vision/train_marks.py --pages 3000 --jobs 2

Each generated page goes through the detector's own candidate stage; every candidate window is labelled by
its overlap with the ground truth (emblem / emblem inside a police badge / whole police badge / other), and
jittered windows around every true mark are added so the classifier tolerates the candidate stage's
position and scale error. Seeds start at 1,000,000: the test suites use small seeds, so tests never score
pages the classifier was trained on.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from compliance.vision import features, marks
from compliance.vision.view import View
from tests.vision.synth import iou, make_case

SEED0 = 1_000_000
# Where the emblem sits inside the (cropped) police badge picture: centre and size as shares of the badge box.
POLICE_CORE = (0.494, 0.353, 0.54)
KIND_WEIGHTS = {"emblem": 34, "police": 16, "logo": 24, "flag": 6, "seal_company": 6, "seal_organ": 4, "plain": 10}


def police_core(box: tuple[float, float, float, float]) -> tuple[float, float, float]:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx, cy, s = POLICE_CORE
    return x0 + cx * w, y0 + cy * h, s * max(w, h)


def label(c: marks.Candidate, case: object) -> int | None:
    """Class index of a candidate, or None when it is too ambiguous to teach anything."""
    ambiguous = False
    for m in case.marks:  # type: ignore[attr-defined]
        if m.kind == "emblem":
            o = iou(c.box, m.bbox)
            if o >= 0.5:
                return 1
            ambiguous |= o > 0.2
        elif m.kind == "police":
            ccx, ccy, cs = police_core(m.bbox)
            if abs(c.cx - ccx) < 0.15 * cs and abs(c.cy - ccy) < 0.15 * cs and 0.75 < c.size / cs < 1.6:
                return 2
            o = iou(c.box, m.bbox)
            if o >= 0.5:
                return 3
            core_box = (ccx - cs / 2, ccy - cs / 2, ccx + cs / 2, ccy + cs / 2)
            ambiguous |= o > 0.25 or iou(c.box, core_box) > 0.25
    return None if ambiguous else 0


def jittered(rng: random.Random, cx: float, cy: float, s: float, n: int) -> list[marks.Candidate]:
    out = []
    for _ in range(n):
        out.append(marks.Candidate(cx + rng.uniform(-0.1, 0.1) * s, cy + rng.uniform(-0.1, 0.1) * s,
                                   s * np.exp(rng.uniform(-0.15, 0.15)), 0.0))
    return out


MINE_SEED0 = 2_000_000
MINE_WEIGHTS = {"emblem": 10, "police": 15, "logo": 45, "flag": 8, "seal_company": 8, "seal_organ": 4, "plain": 10}


def page_samples(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = random.Random(seed)
    weights = MINE_WEIGHTS if seed >= MINE_SEED0 else KIND_WEIGHTS
    kind = rng.choices(list(weights), weights=list(weights.values()))[0]
    case = make_case(seed, kind)
    view = View(np.asarray(case.image))
    cands = marks.candidates(view)
    labelled = [(c, label(c, case)) for c in cands]
    for m in case.marks:
        x0, y0, x1, y1 = m.bbox
        if m.kind == "emblem":
            s = max(x1 - x0, y1 - y0)
            labelled += [(c, 1) for c in jittered(rng, (x0 + x1) / 2, (y0 + y1) / 2, s, 6)]
        elif m.kind == "police":
            ccx, ccy, cs = police_core(m.bbox)
            labelled += [(c, 2) for c in jittered(rng, ccx, ccy, cs, 4)]
            labelled += [(c, 3) for c in jittered(rng, (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0), 2)]
    labelled = [(c, y) for c, y in labelled if y is not None]
    if not labelled:
        return np.zeros((0, features.WIN, features.WIN, 3), np.uint8), np.zeros(0, np.int64), np.zeros(0, np.int64)
    wins = marks.windows(view, [c for c, _ in labelled])
    ys = np.array([y for _, y in labelled], np.int64)
    return wins, ys, np.full(len(ys), seed, np.int64)


def generate(pages: int, jobs: int, cache: Path | None, seed0: int = SEED0
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if cache and cache.exists():
        z = np.load(cache)
        if len(np.unique(z["seed"])) >= pages * 0.95:
            return z["win"], z["y"], z["seed"]
    t0 = time.time()
    with Pool(jobs) as pool:
        parts = pool.map(page_samples, range(seed0, seed0 + pages), chunksize=8)
    win = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    seed = np.concatenate([p[2] for p in parts])
    print(f"{pages} pages -> {len(y)} windows in {time.time() - t0:.0f}s; per class {np.bincount(y, minlength=4)}")
    if cache:
        np.savez_compressed(cache, win=win, y=y, seed=seed)
    return win, y, seed


def train(x: np.ndarray, y: np.ndarray, *, hidden: int = 64, epochs: int = 30, lr: float = 2e-3,
          l2: float = 5e-4, seed: int = 0) -> dict[str, np.ndarray]:
    """Softmax MLP with Adam, class-balanced loss."""
    rs = np.random.default_rng(seed)
    mean = x.mean(axis=0)
    scale = 1.0 / (x.std(axis=0) + 1e-3)
    xs = (x - mean) * scale
    k = int(y.max()) + 1
    counts = np.bincount(y, minlength=k).astype(np.float64)
    cw = (len(y) / (k * np.maximum(counts, 1))) ** 0.5  # soften: rare classes matter, without overfitting
    params = {
        "w1": rs.normal(0, np.sqrt(2 / x.shape[1]), (x.shape[1], hidden)).astype(np.float32),
        "b1": np.zeros(hidden, np.float32),
        "w2": rs.normal(0, np.sqrt(1 / hidden), (hidden, k)).astype(np.float32),
        "b2": np.zeros(k, np.float32),
    }
    m = {n: np.zeros_like(p) for n, p in params.items()}
    v = {n: np.zeros_like(p) for n, p in params.items()}
    t = 0
    bs = 256
    for ep in range(epochs):
        order = rs.permutation(len(y))
        loss_sum = 0.0
        for i in range(0, len(y), bs):
            idx = order[i:i + bs]
            xb = xs[idx]
            # Input dropout: the classifier must not hang on a few descriptor entries (overprint hides parts).
            xb = xb * (rs.random(xb.shape) > 0.1) / 0.9
            yb = y[idx]
            wb = cw[yb].astype(np.float32)
            h_pre = xb @ params["w1"] + params["b1"]
            h = np.maximum(h_pre, 0)
            z = h @ params["w2"] + params["b2"]
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            loss_sum += float(-(wb * np.log(p[np.arange(len(yb)), yb] + 1e-9)).sum())
            g = p
            g[np.arange(len(yb)), yb] -= 1
            g *= wb[:, None] / len(yb)
            grads = {"w2": h.T @ g, "b2": g.sum(0)}
            gh = (g @ params["w2"].T) * (h_pre > 0)
            grads["w1"] = xb.T @ gh
            grads["b1"] = gh.sum(0)
            t += 1
            rate = lr * (0.5 * (1 + np.cos(np.pi * ep / epochs)))
            for n in params:
                gr = grads[n] + (l2 * params[n] if n.startswith("w") else 0)
                m[n] = 0.9 * m[n] + 0.1 * gr
                v[n] = 0.999 * v[n] + 0.001 * gr * gr
                params[n] -= rate * (m[n] / (1 - 0.9**t)) / (np.sqrt(v[n] / (1 - 0.999**t)) + 1e-8)
        print(f"epoch {ep + 1}: loss {loss_sum / len(y):.4f}", flush=True)
    return {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32), **params}


def report(model: marks.Classifier, x: np.ndarray, y: np.ndarray) -> None:
    p = model.probs(x)
    pred = p.argmax(1)
    for k, name in enumerate(marks.CLASSES):
        sel = y == k
        if sel.any():
            print(f"  {name:13s} n={sel.sum():6d} recall={np.mean(pred[sel] == k):.3f}")
    for th in (0.5, 0.7, 0.8, 0.9, 0.95):
        fp = np.mean(p[y != 1, 1] > th)
        tp = np.mean(p[y == 1, 1] > th)
        print(f"  emblem p>{th}: tpr {tp:.3f} fpr(window) {fp:.4f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--mine-pages", type=int, default=3000, help="negative-heavy pages for hard-negative mining")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/marks_windows.npz"))
    ap.add_argument("--mine-cache", type=Path, default=Path("/tmp/marks_mined.npz"))
    ap.add_argument("--out", type=Path, default=Path(marks.__file__).parent / "data" / "marks_mlp.npz")
    args = ap.parse_args()
    win, y, seed = generate(args.pages, args.jobs, args.cache)
    x = np.concatenate([features.describe(win[i:i + 2048]) for i in range(0, len(win), 2048)])
    val = seed >= SEED0 + int(args.pages * 0.85)
    weights = train(x[~val], y[~val], hidden=args.hidden, epochs=args.epochs)
    print("validation (held-out pages):")
    report(marks.Classifier(weights), x[val], y[val])
    if args.mine_pages:
        # Hard negatives: windows from negative-heavy pages that a first model gets wrong or nearly wrong
        # (emblem-like logos, the police badge seen as the emblem and back), added twice.
        mwin, my, _ = generate(args.mine_pages, args.jobs, args.mine_cache, MINE_SEED0)
        mx = np.concatenate([features.describe(mwin[i:i + 2048]) for i in range(0, len(mwin), 2048)])
        p = marks.Classifier(weights).probs(mx)
        hard = p[np.arange(len(my)), my] < 0.8
        print(f"mined {hard.sum()} hard windows of {len(my)} (per class {np.bincount(my[hard], minlength=4)})")
        x = np.concatenate([x, mx[hard], mx[hard]])
        y = np.concatenate([y, my[hard], my[hard]])
        seed = np.concatenate([seed, np.full(2 * hard.sum(), -1)])
        val = seed >= SEED0 + int(args.pages * 0.85)
        weights = train(x[~val], y[~val], hidden=args.hidden, epochs=args.epochs)
        print("validation after mining (held-out pages):")
        report(marks.Classifier(weights), x[val], y[val])
    weights = train(x, y, hidden=args.hidden, epochs=args.epochs)
    np.savez_compressed(args.out, **{k: v.astype(np.float16) if k.startswith("w") else v
                                     for k, v in weights.items()})
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
