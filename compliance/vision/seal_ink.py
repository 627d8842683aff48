"""A stamp's own ink, separated from paper, black print and other colours, at full detail: what the OCR sees.

Scans and JPEGs keep brightness at full resolution but colour at a quarter of it or less (4:2:0 chroma, and
strong JPEG quantisation smears colour into 16-pixel blocks): a colour-only ink map of a heavily compressed
stamp is a row of blobs. So the two jobs are split. Brightness says how much a pixel is darkened, sharply.
Colour, looked at smoothly, says which share of that darkening is this stamp's ink: its hue (measured on the
stamp itself, so a pale, orange- or purple-shifted stamp counts as well as a fresh red one) against black
print (no hue) and print of another hue (gold titles, blue or green frames). A pixel much darker than the ink
itself can be is black print, or ink over it, and drops out as well.
"""

from __future__ import annotations

import cv2
import numpy as np

from compliance.vision.seal_locate import INK, ink_map

LUMA = np.array([0.299, 0.587, 0.114], np.float32)  # JPEG's own brightness weights: its sharp channel
COLOUR_SIGMA = 2.0  # px: colour is trusted only at about the resolution JPEG keeps it
CHROMA_NOISE = 0.03  # deficit units: chroma JPEG may leave on grey, or take off faint colour
HUE_SIGMA = 2.0  # px: the scale at which a colour is judged the ink's hue or another
TOO_DARK = 1.25  # darkening, in units of the ink's own, beyond which a pixel is black print (or ink over it)
HUE_TOLERANCE = 1.5  # off-hue chroma per unit of on-hue chroma that takes a pixel's share to zero
TINT_NOISE = 0.15  # log units: the tint a dark pixel shows by noise and JPEG alone
FALLBACK_INK = np.array([0.86, 0.12, 0.16], np.float32)  # a stamp red, as a share of the paper colour


def unmix(rgb: np.ndarray) -> np.ndarray:
    """This stamp's ink strength in [0, 255] (uint8) over a crop around it."""
    f = rgb.reshape(-1, 3).astype(np.float32)
    paper = np.maximum(np.percentile(f[:: max(1, len(f) // 20000)], 90, axis=0), 40.0)
    red = ink_map(rgb).reshape(-1)
    strong = f[red > np.percentile(red, 97)] if (red > INK).sum() >= 30 else np.empty((0, 3), np.float32)
    ink_colour = np.median(strong, axis=0) if len(strong) else paper * FALLBACK_INK
    ink_deficit = 1.0 - ink_colour / paper  # white-balanced: the ink's darkening per channel at full strength
    ink_chroma = ink_deficit - ink_deficit.min()
    chroma_len = float(np.linalg.norm(ink_chroma))
    if chroma_len < 0.08:  # no colour to tell the ink by (a grey stamp, or no stamp)
        return ink_map(rgb)
    hue = ink_chroma / chroma_len
    y_paper, y_ink = float(paper @ LUMA), float(ink_colour @ LUMA)

    img = rgb.astype(np.float32)
    # Sharp: darkening in units of the ink's own; beyond TOO_DARK it fades out fast (black print).
    dark = (y_paper - img @ LUMA) / max(y_paper - y_ink, 10.0)
    black = (dark > TOO_DARK + 0.3).astype(np.uint8)
    dark = np.where(dark <= TOO_DARK, dark, np.clip(TOO_DARK - (dark - TOO_DARK) * 2.5, 0.0, None))
    # The soft edges of black print (blur, JPEG ringing) are as dark as ink: they would outline every black
    # character crossing the stamp. By brightness, a pixel next to black print counts for little (its tint
    # may still show ink, below).
    near = cv2.dilate(black, np.ones((3, 3), np.uint8)) > 0 if black.any() else None
    if near is not None:
        dark[near] *= 0.25
    # Smooth: how much of the darkening the ink's hue explains.
    deficit = np.clip(1.0 - cv2.GaussianBlur(img, (0, 0), COLOUR_SIGMA).reshape(-1, 3) / paper, 0.0, None)
    chroma = deficit - deficit.min(axis=1, keepdims=True)  # grey (black print, shadow) has none
    along = chroma @ hue
    # The chroma this darkening would show if it were all ink; where that is below what JPEG keeps, the
    # colour cannot tell, and the darkening counts as ink (faint strokes of a pale or lightly pressed side).
    expected = np.clip(deficit @ LUMA / max(float(ink_deficit @ LUMA), 1e-3), 0.0, 1.0) * chroma_len
    share = np.clip((along + CHROMA_NOISE) / (0.6 * expected + CHROMA_NOISE), 0.0, 1.0)
    share *= _on_hue(img, paper, hue, HUE_SIGMA)
    ink = (np.clip(dark, 0.0, 1.2) * share.reshape(rgb.shape[:2]) * (255.0 / 1.2)).astype(np.uint8)
    if near is not None:
        # Under black print the ink cannot be seen, only guessed: a stroke of the seal that a thin black
        # stroke crosses goes on under it, paper stays paper. Filling the hidden pixels from around them
        # keeps the seal's characters whole; a tint that shows the ink there counts as well.
        ink = cv2.inpaint(ink, near.astype(np.uint8), 2, cv2.INPAINT_TELEA)
        tint = _ink_over_black(img[near], paper, ink_colour) * (255.0 / 1.2)
        ink[near] = np.maximum(ink[near], tint.astype(np.uint8))
    return cv2.GaussianBlur(ink, (0, 0), 0.6)  # the stretch before OCR would amplify noise


def _on_hue(img: np.ndarray, paper: np.ndarray, hue: np.ndarray, sigma: float) -> np.ndarray:
    """Per pixel (flat), 1 where the colour around is the ink's hue, 0 where it is another hue."""
    deficit = np.clip(1.0 - cv2.GaussianBlur(img, (0, 0), sigma).reshape(-1, 3) / paper, 0.0, None)
    chroma = deficit - deficit.min(axis=1, keepdims=True)
    along = chroma @ hue
    off = np.linalg.norm(chroma - along[:, None] * hue[None, :], axis=1)
    return np.clip(1.0 - np.maximum(off - CHROMA_NOISE, 0.0) / np.maximum(along, 1e-3) * HUE_TOLERANCE, 0.0, 1.0)


def _ink_over_black(px: np.ndarray, paper: np.ndarray, ink_colour: np.ndarray) -> np.ndarray:
    """Ink strength (0-1) of pixels darker than the ink can be: black print, with or without ink on it.

    A stamp's ink filters the light like a coloured glass: over black print it leaves the print's dark but
    tints it by the ink's own channel ratios. Those ratios (in log space, where the print's darkness is a
    common offset) say whether the ink is there. Dark pixels are noisy (JPEG most of all), so a tint counts
    only beyond a noise floor, and a pale ink, whose tint is within that noise, is not looked for at all.
    """
    k = np.log(np.maximum(ink_colour, 1.0) / paper)
    k -= k.mean()
    k_len = float(np.linalg.norm(k))
    if k_len < 4 * TINT_NOISE:
        return np.zeros(len(px), np.float32)
    t = np.log(np.maximum(px, 1.0) / paper)
    t -= t.mean(axis=1, keepdims=True)
    along = t @ (k / k_len)
    presence = np.clip((along - TINT_NOISE) / (k_len - TINT_NOISE), 0.0, 1.0)
    return np.where(px.max(axis=1) >= 10.0, presence, 0.0).astype(np.float32)
