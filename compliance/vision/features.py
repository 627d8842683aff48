"""Window descriptors for the mark classifier: HOG, a luminance thumbnail and a coarse chroma layout.

Luminance carries the decision (grey and one-ink prints have nothing else); chroma only adds evidence when
there is colour. All functions work on a batch of windows at once: the detector verifies a few dozen
candidates per page, and one vectorised pass is cheaper than a loop.
"""

from __future__ import annotations

import numpy as np

WIN = 48  # window side in pixels after resampling
CELL = 8
BINS = 9
THUMB = 16
CHROMA = 6


def hog(grey: np.ndarray) -> np.ndarray:
    """HOG of a batch (N, WIN, WIN) float32: 8 px cells, 9 unsigned orientation bins, 2x2-cell blocks (L2-Hys)."""
    n = grey.shape[0]
    gx = np.zeros_like(grey)
    gy = np.zeros_like(grey)
    gx[:, :, 1:-1] = grey[:, :, 2:] - grey[:, :, :-2]
    gy[:, 1:-1, :] = grey[:, 2:, :] - grey[:, :-2, :]
    mag = np.sqrt(gx * gx + gy * gy)
    ang = (np.arctan2(gy, gx) % np.pi) * (BINS / np.pi)  # [0, BINS)
    lo = np.floor(ang).astype(np.int64)
    frac = ang - lo
    lo %= BINS
    hi = (lo + 1) % BINS
    # Each pixel votes into its two nearest orientation bins; cells are then sums over 8x8 blocks.
    votes = np.zeros((n, WIN, WIN, BINS), np.float32)
    np.put_along_axis(votes, lo[..., None], (mag * (1 - frac))[..., None], axis=-1)
    np.put_along_axis(votes, hi[..., None], (mag * frac)[..., None], axis=-1)
    c = WIN // CELL
    hist = votes.reshape(n, c, CELL, c, CELL, BINS).sum(axis=(2, 4))
    blocks = np.concatenate(
        [hist[:, :-1, :-1], hist[:, 1:, :-1], hist[:, :-1, 1:], hist[:, 1:, 1:]], axis=-1
    )  # (n, c-1, c-1, 4*BINS)
    blocks = blocks / (np.linalg.norm(blocks, axis=-1, keepdims=True) + 1e-3)
    blocks = np.minimum(blocks, 0.2)
    blocks = blocks / (np.linalg.norm(blocks, axis=-1, keepdims=True) + 1e-3)
    return blocks.reshape(n, -1)


def _pool(x: np.ndarray, k: int) -> np.ndarray:
    """Mean-pool (N, WIN, WIN[, C]) down to (N, k, k[, C])."""
    s = x.shape[1] // k
    return x.reshape(x.shape[0], k, s, k, s, *x.shape[3:]).mean(axis=(2, 4))


def describe(windows: np.ndarray) -> np.ndarray:
    """Descriptors of a batch of RGB windows (N, WIN, WIN, 3) uint8 -> (N, D) float32."""
    rgb = windows.astype(np.float32)
    grey = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    # Contrast-normalise so a faint print and a strong one look alike.
    g = grey - grey.mean(axis=(1, 2), keepdims=True)
    g /= g.std(axis=(1, 2), keepdims=True) + 8.0
    thumb = _pool(g, THUMB).reshape(len(g), -1)
    r, gg, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    # Opponent chroma, scaled by the window's contrast so colour and grey windows are on one footing.
    a = (r - gg) / 128.0
    yb = ((r + gg) / 2 - b) / 128.0
    chroma = _pool(np.stack([a, yb], axis=-1), CHROMA).reshape(len(g), -1)
    return np.concatenate([hog(grey), thumb, chroma], axis=1).astype(np.float32)


def dim() -> int:
    c = WIN // CELL - 1
    return c * c * 4 * BINS + THUMB * THUMB + CHROMA * CHROMA * 2
