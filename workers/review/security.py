"""Logins, roles and CSRF for the review app.

Passwords are argon2id hashes (argon2-cffi). The session (a signed, HttpOnly, SameSite=Strict
cookie) holds only the user's name and a random CSRF token; the role is read from the
database on every request, so a changed role or a deleted user takes effect at once. Every
state-changing request must carry the session's CSRF token (form field `csrf_token` or header
`X-CSRF-Token`), compared in constant time; without it the answer is 403.
"""

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from extractor.store.review_store import ReviewStore
from extractor.store.review_users import Role

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_hasher = PasswordHasher()

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Reviewer:
    name: str
    role: Role

    @property
    def may_change(self) -> bool:
        return self.role == Role.REVIEWER


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_login(store: ReviewStore, name: str, password: str) -> Reviewer | None:
    """The user if the password is right. (The app never writes to the users table:
    `extractor review adduser` sets passwords, so the app's database role needs no right
    to change them.)"""
    user = store.user(name)
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return Reviewer(user.name, user.role) if user is not None else None


@cache
def _dummy_hash() -> str:
    """Verified when the user does not exist, so a wrong name costs what a wrong password
    costs (made on first use, not at import)."""
    return _hasher.hash(secrets.token_hex(16))


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def start_session(request: Request, reviewer: Reviewer) -> None:
    request.session.clear()  # a new session on login: no fixation
    request.session["user"] = reviewer.name
    csrf_token(request)


async def current_reviewer(request: Request) -> Reviewer | None:
    name = request.session.get("user")
    if not isinstance(name, str):
        return None
    store: ReviewStore = request.app.state.store
    user = await run_in_threadpool(store.user, name)
    return Reviewer(user.name, user.role) if user is not None else None


async def _check_csrf(request: Request) -> None:
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not isinstance(expected, str) or sent is None or not hmac.compare_digest(expected, sent):
        raise HTTPException(403, "missing or wrong CSRF token")


def login_required(handler: Handler) -> Handler:
    """A page for logged-in users: others are sent to the login page."""

    @wraps(handler)
    async def wrapped(request: Request) -> Response:
        reviewer = await current_reviewer(request)
        if reviewer is None:
            return RedirectResponse("/login", status_code=303)
        request.state.reviewer = reviewer
        return await handler(request)

    return wrapped


def state_changing(*, reviewer_only: bool = True) -> Callable[[Handler], Handler]:
    """A POST: the CSRF token first (403), then a login (403) and, unless `reviewer_only` is
    off, the reviewer role (403 for readonly users)."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapped(request: Request) -> Response:
            await _check_csrf(request)
            reviewer = await current_reviewer(request)
            if reviewer is None:
                raise HTTPException(403, "log in first")
            if reviewer_only and not reviewer.may_change:
                raise HTTPException(403, "read-only users cannot change anything")
            request.state.reviewer = reviewer
            return await handler(request)

        wrapped.state_changing = True  # type: ignore[attr-defined]  # checked by the tests
        return wrapped

    return decorate


def csrf_only(handler: Handler) -> Handler:
    """A POST that needs no login (the login form itself): the CSRF token only."""

    @wraps(handler)
    async def wrapped(request: Request) -> Response:
        await _check_csrf(request)
        return await handler(request)

    wrapped.state_changing = True  # type: ignore[attr-defined]
    return wrapped


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A page from the app's (autoescaping) templates."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)
