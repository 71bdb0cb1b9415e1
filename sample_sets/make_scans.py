"""Make scanned copies of labelled PDFs: each page rendered to an image, turned a few
degrees, given scanner noise, and saved as an image-only PDF (no text layer), with the
original's `.truth.json` beside it. Fixed seeds: re-running gives identical files.

Two kinds, as paper arrives:
- `300dpi`: an office scan, greyscale, JPEG-compressed, speckle noise, every other
  document turned by up to 3 degrees;
- `200dpi`: a fax, black and white, salt-and-pepper noise, every other document turned by
  up to 2 degrees.

Run: python -m sample_sets.make_scans SOURCE_DIR OUT_DIR [--kind 300dpi|200dpi]
"""

import argparse
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image

_POINTS_PER_INCH = 72


@dataclass(frozen=True)
class ScanKind:
    dpi: int
    max_angle: float
    grey_noise: float  # standard deviation of the grey-level noise
    speckles: float  # share of pixels flipped to black or white
    fax: bool  # black and white, as a fax machine sends


KINDS = {
    "300dpi": ScanKind(dpi=300, max_angle=3.0, grey_noise=14.0, speckles=0.001, fax=False),
    "200dpi": ScanKind(dpi=200, max_angle=2.0, grey_noise=10.0, speckles=0.002, fax=True),
}


def scan_set(source: Path, out: Path, kind: str) -> list[Path]:
    """A scanned copy of every labelled PDF in `source` (those with a truth file)."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for number, pdf in enumerate(sorted(source.glob("*.pdf"))):
        truth = pdf.with_suffix(".truth.json")
        if not truth.is_file():
            continue
        target = out / pdf.name
        rng = np.random.default_rng(zlib.crc32(f"{kind}/{pdf.name}".encode()))
        limit = KINDS[kind].max_angle
        angle = float(rng.uniform(-limit, limit)) if number % 2 == 1 else 0.0
        scan_pdf(pdf, target, KINDS[kind], angle=angle, rng=rng)
        shutil.copyfile(truth, target.with_suffix(".truth.json"))
        made.append(target)
    return made


def scan_pdf(
    source: Path, target: Path, kind: ScanKind, *, angle: float, rng: np.random.Generator
) -> None:
    """Every page of `source` scanned, turned counter-clockwise by `angle` degrees."""
    document = pypdfium2.PdfDocument(source)
    try:
        pages = [
            _scanned(page.render(scale=kind.dpi / _POINTS_PER_INCH, grayscale=True).to_pil(),
                     kind, angle, rng)
            for page in document
        ]  # fmt: skip
    finally:
        document.close()
    first, *rest = pages
    compression = {} if kind.fax else {"quality": 75}  # JPEG for grey; faxes are CCITT G4
    first.save(target, "PDF", resolution=kind.dpi, save_all=True, append_images=rest, **compression)


def _scanned(
    page: Image.Image, kind: ScanKind, angle: float, rng: np.random.Generator
) -> Image.Image:
    turned = page.convert("L").rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    pixels = np.asarray(turned, dtype=np.float32)
    pixels = pixels + rng.normal(0.0, kind.grey_noise, pixels.shape)
    flips = rng.random(pixels.shape)
    pixels[flips < kind.speckles / 2] = 0
    pixels[flips > 1 - kind.speckles / 2] = 255
    grey = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return grey.point(lambda level: 255 if level > 150 else 0).convert("1") if kind.fax else grey


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--kind", choices=sorted(KINDS), default="300dpi")
    args = parser.parse_args()
    made = scan_set(args.source, args.out, args.kind)
    print(f"{len(made)} scanned PDFs in {args.out}")


if __name__ == "__main__":
    main()
