"""Logging in and out."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from extractor.store.review_store import ReviewStore
from workers.review.security import check_login, csrf_only, csrf_token, render, start_session


async def login_form(request: Request) -> Response:
    return render(
        request,
        "login.html",
        {"csrf_token": csrf_token(request), "failed": False, "reviewer": None},
    )


@csrf_only
async def login(request: Request) -> Response:
    form = await request.form()
    name, password = form.get("name"), form.get("password")
    store: ReviewStore = request.app.state.store
    reviewer = None
    if isinstance(name, str) and isinstance(password, str):
        reviewer = await run_in_threadpool(check_login, store, name, password)
    if reviewer is None:
        return render(
            request,
            "login.html",
            {"csrf_token": csrf_token(request), "failed": True, "reviewer": None},
            status_code=401,
        )
    start_session(request, reviewer)
    return RedirectResponse("/", status_code=303)


@csrf_only
async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
