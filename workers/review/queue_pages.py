"""The queue: what needs review, oldest first, filtered and counted."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from extractor.store.review_queue import QueueFilters
from extractor.store.review_store import ReviewStore
from workers.review.security import csrf_token, login_required, render

ALL = "all"


def filters_from(request: Request) -> QueueFilters:
    query = request.query_params
    status = query.get("status") or "needs_review"
    return QueueFilters(
        status=None if status == ALL else status,
        schema=query.get("schema") or None,
        reason=query.get("reason") or None,
        supplier=query.get("supplier") or None,
    )


@login_required
async def queue(request: Request) -> Response:
    filters = filters_from(request)
    store: ReviewStore = request.app.state.store
    items, counts = await run_in_threadpool(store.queue, filters)
    return render(
        request,
        "queue.html",
        {
            "items": items,
            "counts": counts,
            "filters": filters,
            "status_choice": filters.status or ALL,
            "reviewer": request.state.reviewer,
            "csrf_token": csrf_token(request),
        },
    )
