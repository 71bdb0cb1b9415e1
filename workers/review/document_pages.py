"""The document view (page images, words and boxes beside the fields), the page images, and
confirming or rejecting a document."""

from collections.abc import Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from extractor.errors import InputError
from extractor.read.page_isolation import isolated_page_png
from extractor.read.page_words import PageWords
from extractor.store.review_runs import ReviewConflictError, ReviewRun
from extractor.store.review_store import ReviewStore
from extractor.store.supplier_memory import FieldPosition
from workers.review.document_layout import (
    field_places,
    page_layouts,
    read_layout,
    with_ocr_words,
)
from workers.review.field_positions import confirmed_positions
from workers.review.review_form import FormProblem, read_form
from workers.review.security import csrf_token, login_required, render, state_changing

DEFAULT_WIDTH = 1000
MAX_REASON_CHARS = 500


def _store(request: Request) -> ReviewStore:
    store: ReviewStore = request.app.state.store
    return store


async def _run_and_pages(request: Request) -> tuple[ReviewRun, list[PageWords]]:
    """The run, and its document's page words (none when the bytes are not stored or PDFium
    cannot read them); an OCR'd page's words are those OCR read, stored with the run."""
    run = await run_in_threadpool(_store(request).run, request.path_params["run_id"])
    if run is None:
        raise HTTPException(404, "no such run")
    pdf = await run_in_threadpool(_store(request).pdf, run.document_id)
    limits = request.app.state.page_limits
    pages = await run_in_threadpool(read_layout, pdf, limits) if pdf is not None else []
    scanned = await run_in_threadpool(_store(request).ocr_words, run.document_id)
    return run, with_ocr_words(pages, scanned)


def _render(
    request: Request,
    run: ReviewRun,
    pages: list[PageWords],
    problems: Sequence[FormProblem] = (),
    status_code: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "run": run,
        "pages": page_layouts(pages),
        "places": field_places(run.fields, pages),
        "problems": {problem.path: problem.message for problem in problems},
        "reviewer": request.state.reviewer,
        "csrf_token": csrf_token(request),
        "width": DEFAULT_WIDTH,
    }
    return render(request, "document.html", context, status_code=status_code)


@login_required
async def document(request: Request) -> Response:
    run, pages = await _run_and_pages(request)
    return _render(request, run, pages)


@login_required
async def page_image(request: Request) -> Response:
    pdf = await run_in_threadpool(_store(request).pdf, request.path_params["document_id"])
    if pdf is None:
        raise HTTPException(404, "the document's bytes are not stored")
    limits = request.app.state.page_limits
    try:
        width = int(request.query_params.get("width", DEFAULT_WIDTH))
        png = await run_in_threadpool(
            isolated_page_png, pdf, request.path_params["page"], width, limits
        )
    except (ValueError, IndexError) as error:
        raise HTTPException(404, "no such page") from error
    except InputError as error:  # PDFium crashed, or took too long, in its child
        raise HTTPException(422, "the page cannot be rendered") from error
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-store"})


@state_changing()
async def confirm(request: Request) -> Response:
    run, pages = await _run_and_pages(request)
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    submitted = read_form(form, run, pages)
    if submitted.problems:
        return _render(request, run, pages, submitted.problems, status_code=400)
    positions = confirmed_positions(run, submitted.values, pages)
    return await _save(request, run, submitted.values, None, positions, submitted.removed_items)


@state_changing()
async def reject(request: Request) -> Response:
    run, _ = await _run_and_pages(request)
    reason = (await request.form()).get("reason")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON_CHARS:
        raise HTTPException(400, f"a reason is required (at most {MAX_REASON_CHARS} characters)")
    return await _save(request, run, {}, reason.strip())


async def _save(
    request: Request,
    run: ReviewRun,
    values: dict[str, Any],
    reason: str | None,
    positions: list[FieldPosition] | None = None,
    removed_items: frozenset[str] = frozenset(),
) -> Response:
    try:
        await run_in_threadpool(
            lambda: _store(request).save_review(
                run.run_id,
                values,
                reviewer=request.state.reviewer.name,
                rejected_because=reason,
                positions=positions,
                removed_items=removed_items,
            )
        )
    except ReviewConflictError as error:
        raise HTTPException(
            409, "this document was reviewed or extracted again meanwhile"
        ) from error
    return RedirectResponse("/", status_code=303)
