"""The supplier memory: what confirmations taught, per supplier and field; rows can be
deleted by reviewers."""

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from extractor.store.review_store import ReviewStore
from workers.review.security import csrf_token, login_required, render, state_changing


@login_required
async def supplier_memories(request: Request) -> Response:
    store: ReviewStore = request.app.state.store
    rows = await run_in_threadpool(store.supplier_memories)
    context = {"rows": rows, "reviewer": request.state.reviewer, "csrf_token": csrf_token(request)}
    return render(request, "suppliers.html", context)


@state_changing()
async def forget_supplier_memory(request: Request) -> Response:
    store: ReviewStore = request.app.state.store
    if not await run_in_threadpool(store.forget_supplier_memory, request.path_params["memory_id"]):
        raise HTTPException(404, "no such memory")
    return RedirectResponse("/suppliers", status_code=303)
