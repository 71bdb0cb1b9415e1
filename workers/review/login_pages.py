"""Logging in and out."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from extractor.store.review_store import ReviewStore
from workers.review.login_throttle import LoginThrottle
from workers.review.security import check_login, csrf_only, csrf_token, render, start_session


async def login_form(request: Request) -> Response:
    return render(
        request,
        "login.html",
        {"csrf_token": csrf_token(request), "failed": False, "throttled": False, "reviewer": None},
    )


@csrf_only
async def login(request: Request) -> Response:
    form = await request.form()
    name, password = form.get("name"), form.get("password")
    store: ReviewStore = request.app.state.store
    throttle: LoginThrottle = request.app.state.login_throttle
    if not isinstance(name, str) or not isinstance(password, str):
        return _refused(request, 401)
    if not throttle.allowed(name):
        return _refused(request, 429)
    reviewer = await run_in_threadpool(check_login, store, name, password)
    if reviewer is None:
        throttle.failed(name)
        return _refused(request, 401)
    throttle.succeeded(name)
    start_session(request, reviewer)
    return RedirectResponse("/", status_code=303)


def _refused(request: Request, status_code: int) -> Response:
    context = {
        "csrf_token": csrf_token(request),
        "failed": True,
        "throttled": status_code == 429,
        "reviewer": None,
    }
    return render(request, "login.html", context, status_code=status_code)


@csrf_only
async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
