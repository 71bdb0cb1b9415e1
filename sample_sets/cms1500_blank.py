"""Derive the two committed artefacts of the fillable CMS-1500 (02/12) template: a compact
copy of the blank form that `sample_sets/make_clinical.py` fills, and the widget layout that
`extractor/read/cms1500_form.py` reads flattened forms by.

The template (1500CMS.COM, MIT License, Copyright (c) 2025 Jerry Tang: see
licenses/cms1500-LICENSE) weighs 2.2 MB: a 1.5 MB photo of the printed form, an embedded Arial
and the instructions page. The compact copy keeps page 1 with all its fields, redraws the
photo in the form's three inks (red, the pale red of the service-line bands, white), and
refers to Arial without embedding it; it weighs about 50 kB.
Run: python -m sample_sets.cms1500_blank [SOURCE]
"""

import argparse
import io
import json
import zlib
from pathlib import Path
from typing import Any, cast

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from extractor.read.cms1500_form import LAYOUT_FILE, page_fragments
from extractor.read.form_fields import form_widgets
from sample_sets import FORMS, ROOT

SOURCE = Path("/work/shared/forms/cms1500-blank.pdf")
COMPACT = FORMS / "cms1500-blank.pdf"
LAYOUT = ROOT / "extractor" / "read" / LAYOUT_FILE
INKS = bytes((200, 30, 45, 250, 222, 226, 255, 255, 255))  # palette: ink, band, paper
BAND, PAPER = 170, 238  # grey levels where the photo turns from ink to band, band to paper
MIN_SIDE = 4.0  # points; smaller widgets (dots at the dollars | cents split) hold no text


def _inked(photo: StreamObject) -> StreamObject:
    grey = Image.open(io.BytesIO(photo.get_data())).convert("L")
    index = grey.point([0 if v < BAND else 1 if v < PAPER else 2 for v in range(256)])
    image = StreamObject()
    image.set_data(zlib.compress(index.tobytes(), 9))
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(grey.width),
            NameObject("/Height"): NumberObject(grey.height),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/FlateDecode"),
            NameObject("/ColorSpace"): ArrayObject(
                [
                    NameObject("/Indexed"),
                    NameObject("/DeviceRGB"),
                    NumberObject(len(INKS) // 3 - 1),
                    ByteStringObject(INKS),
                ]
            ),
        }
    )
    return image


def _entry(node: object, *keys: str) -> Any:
    """node[key][key]... through indirect references (the template's structure is known)."""
    for key in keys:
        node = cast(DictionaryObject, node)[key].get_object()
    return node


def _replace_photo(writer: PdfWriter) -> None:
    images = _entry(writer.pages[0], "/Resources", "/XObject", "/Fm0", "/Resources", "/XObject")
    images[NameObject("/Im0")] = writer._add_object(_inked(_entry(images, "/Im0")))


def _unembed_fonts(writer: PdfWriter) -> None:
    for font in _entry(writer.root_object, "/AcroForm", "/DR", "/Font").values():
        descriptor = font.get_object().get("/FontDescriptor")
        if descriptor is not None:
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                descriptor.get_object().pop(NameObject(key), None)


def compact(source: Path) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(source))
    while len(writer.pages) > 1:
        writer.remove_page(len(writer.pages) - 1)
    for key in ("/Metadata", "/OCProperties", "/Outlines", "/Names", "/PageMode"):
        writer.root_object.pop(NameObject(key), None)
    _replace_photo(writer)
    _unembed_fonts(writer)
    writer.metadata = {"/Title": "CMS-1500 (02/12)"}
    first = io.BytesIO()
    writer.write(first)
    # a second copy takes only what the first one still refers to
    second = io.BytesIO()
    PdfWriter(clone_from=PdfReader(first)).write(second)
    return second.getvalue()


def layout(reader: PdfReader) -> dict[str, object]:
    widgets = [
        {
            "field": widget.name,
            "state": widget.on_state,
            "page": widget.page,
            "rect": [round(value, 2) for value in widget.rect],
        }
        for widget in form_widgets(reader)
        if widget.field_type in ("Tx", "Btn")
        and min(widget.rect[2] - widget.rect[0], widget.rect[3] - widget.rect[1]) >= MIN_SIDE
        and (widget.field_type == "Tx" or widget.on_state is not None)
    ]
    return {
        "source": "cms1500-blank.pdf, the fillable CMS-1500 (02/12) template of 1500CMS.COM",
        "license": "MIT License, Copyright (c) 2025 Jerry Tang; see licenses/cms1500-LICENSE",
        "units": "PDF points from the page's bottom left; rect is [x0, y0, x1, y1]",
        "printed_text": _printed_text(reader),
        "widgets": widgets,
    }


def _printed_text(reader: PdfReader) -> list[dict[str, object]]:
    """The blank's own text on the pages with widgets (none: the form is a photo)."""
    pages = {widget.page for widget in form_widgets(reader)}
    return [
        {"text": f.text, "page": f.page, "x": round(f.x, 1), "y": round(f.y, 1)}
        for index in sorted(pages)
        for f in page_fragments(reader.pages[index], index)
    ]


def layout_json(data: dict[str, object]) -> str:
    """JSON with one widget per line."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            rows = ",\n".join(f"  {json.dumps(item, ensure_ascii=False)}" for item in value)
            parts.append(f" {json.dumps(key)}: [\n{rows}\n ]")
        else:
            parts.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the compact blank CMS-1500 and layout.")
    parser.add_argument("source", type=Path, nargs="?", default=SOURCE, help=f"default: {SOURCE}")
    args = parser.parse_args(argv)
    COMPACT.parent.mkdir(parents=True, exist_ok=True)
    COMPACT.write_bytes(compact(args.source))
    LAYOUT.write_text(layout_json(layout(PdfReader(COMPACT))), encoding="utf-8")
    print(f"{COMPACT}: {COMPACT.stat().st_size} bytes; {LAYOUT}: {LAYOUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
