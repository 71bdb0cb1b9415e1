"""The child process of `extractor.read.page_isolation`: reads a PDF's bytes from stdin,
caps its own memory, and writes one page as a PNG or every page's words as JSON to stdout.

    python -I extractor/read/page_child.py png PAGE WIDTH MEMORY_MB < file.pdf
    python -I extractor/read/page_child.py words 0 0 MEMORY_MB < file.pdf

Run as a file, it loads its two siblings by path and nothing else of the package (whose
import would cost seconds per page). Exit status 3: the document has no such page.
"""

import importlib.util
import json
import resource
import sys
from pathlib import Path
from types import ModuleType

NO_SUCH_PAGE = 3


def main(arguments: list[str]) -> int:
    kind, page, width, memory_mb = (
        arguments[0],
        int(arguments[1]),
        int(arguments[2]),
        int(arguments[3]),
    )
    pdf = sys.stdin.buffer.read()
    limit = memory_mb * 1024 * 1024 + _used_bytes()
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    page_image, page_words = _sibling("page_image"), _sibling("page_words")
    try:
        if kind == "png":
            sys.stdout.buffer.write(page_image.render_page_png(pdf, page, width))
            return 0
        count = page_words.page_count(pdf)
        pages = [page_words.read_page_words(pdf, number) for number in range(1, count + 1)]
    except IndexError:
        return NO_SUCH_PAGE
    layout = [
        {
            "page": page.page,
            "width": page.width,
            "height": page.height,
            "words": [[word.text, *word.box] for word in page.words],
        }
        for page in pages
    ]
    sys.stdout.write(json.dumps(layout))
    return 0


def _sibling(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _used_bytes() -> int:
    statm = Path("/proc/self/statm").read_text()  # Linux, like RLIMIT_AS
    return int(statm.split()[0]) * resource.getpagesize()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
