"""Clean a scanned page image before OCR: speckle noise, skew, and ruled lines.

Tesseract reads straight, clean text best. Table borders and boxes drawn around totals make
it drop the words inside them, and a page scanned a few degrees off splits lines; both are
common on invoices and claim forms.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter

_DARK = 160  # grey level below which a pixel counts as ink
_MAX_SKEW_DEGREES = 6.0
_SKEW_STEP_DEGREES = 0.25
_SKEW_SAMPLE_DPI = 75  # the skew search runs on a reduced copy: fast, and precise enough
_RULE_INCHES = 0.25  # ink runs this long, straight across or down, are lines, not letters


@dataclass(frozen=True)
class PreparedPage:
    image: Image.Image
    angle: float  # degrees the page was turned (counter-clockwise) to straighten it


def prepare(image: Image.Image, dpi: int) -> PreparedPage:
    """A greyscale, despeckled, straightened copy of `image` with ruled lines erased."""
    grey = image.convert("L").filter(ImageFilter.MedianFilter(3))
    angle = skew_angle(grey, dpi)
    if angle:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return PreparedPage(_without_rules(grey, dpi), angle)


def skew_angle(grey: Image.Image, dpi: int) -> float:
    """The turn that makes text rows most sharply separated (projection profile): rows of
    ink alternate with empty rows only when the lines are level."""
    factor = max(1, round(dpi / _SKEW_SAMPLE_DPI))
    ink = Image.fromarray(((np.asarray(grey.reduce(factor)) < _DARK) * 255).astype(np.uint8))
    best_angle, best_score = 0.0, -1.0
    steps = int(_MAX_SKEW_DEGREES / _SKEW_STEP_DEGREES)
    for step in range(-steps, steps + 1):
        angle = step * _SKEW_STEP_DEGREES
        turned = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST))
        rows = turned.sum(axis=1, dtype=np.float64)
        score = float(np.sum(np.diff(rows) ** 2))
        if score > best_score:
            best_angle, best_score = angle, score
    return best_angle


def _without_rules(grey: Image.Image, dpi: int) -> Image.Image:
    pixels = np.asarray(grey).copy()
    ink = pixels < _DARK
    length = max(2, int(dpi * _RULE_INCHES))
    rules = _long_runs(ink, length) | _long_runs(ink.T, length).T
    # a straightened line is a pixel or two thicker than its ink: take its neighbours too
    rules[1:, :] |= rules[:-1, :].copy()
    rules[:-1, :] |= rules[1:, :].copy()
    rules[:, 1:] |= rules[:, :-1].copy()
    rules[:, :-1] |= rules[:, 1:].copy()
    pixels[rules] = 255
    return Image.fromarray(pixels)


def _long_runs(ink: NDArray[np.bool_], length: int) -> NDArray[np.bool_]:
    """Pixels that belong to a horizontal run of ink at least `length` long."""
    ink = np.ascontiguousarray(ink)
    height, width = ink.shape
    if width < length:
        return np.zeros_like(ink)
    counts = np.zeros((height, width + 1), np.int32)
    np.cumsum(ink, axis=1, out=counts[:, 1:])
    starts = np.zeros((height, width + 1), np.int32)  # starts[x + 1]: a run begins at x
    np.cumsum((counts[:, length:] - counts[:, :-length]) == length, axis=1,
              out=starts[:, 1 : width - length + 2])  # fmt: skip
    starts[:, width - length + 2 :] = starts[:, width - length + 1 : width - length + 2]
    covered = np.empty_like(ink)  # x is covered when a run begins in (x - length, x]
    covered[:, : length - 1] = starts[:, 1:length] > 0
    covered[:, length - 1 :] = (starts[:, length:] - starts[:, : width - length + 1]) > 0
    return covered
