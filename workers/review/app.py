"""The review app's assembly: routes, sessions, security headers and a request log that names
only the route, never a query string or a form value."""

import logging
import secrets
import time
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from extractor.read.page_isolation import PageLimits
from extractor.settings import ExtractorSettings
from extractor.store.review_store import ReviewStore
from workers.review import document_pages, login_pages, queue_pages, supplier_pages
from workers.review.login_throttle import LoginThrottle

HERE = Path(__file__).parent
logger = logging.getLogger("workers.review")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # pages show invoices and patient data
}


class _SecurityHeadersAndLog(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        route = request.scope.get("route")
        logger.info(
            "review %s %s -> %d in %.3fs",
            request.method,
            getattr(route, "path", "?"),  # the route's pattern: ids only, no query
            response.status_code,
            time.perf_counter() - started,
        )
        return response


def templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # document text is hostile: never mark it safe
        undefined=StrictUndefined,
    )
    return Jinja2Templates(env=environment)


def create_app(settings: ExtractorSettings, store: ReviewStore | None = None) -> Starlette:
    secret = settings.review_session_secret
    routes = [
        Route("/login", login_pages.login_form, methods=["GET"]),
        Route("/login", login_pages.login, methods=["POST"]),
        Route("/logout", login_pages.logout, methods=["POST"]),
        Route("/", queue_pages.queue, methods=["GET"]),
        Route("/runs/{run_id:int}", document_pages.document, methods=["GET"]),
        Route("/runs/{run_id:int}/confirm", document_pages.confirm, methods=["POST"]),
        Route("/runs/{run_id:int}/reject", document_pages.reject, methods=["POST"]),
        Route(
            "/documents/{document_id:int}/pages/{page:int}.png",
            document_pages.page_image,
            methods=["GET"],
        ),
        Route("/suppliers", supplier_pages.supplier_memories, methods=["GET"]),
        Route(
            "/suppliers/{memory_id:int}/delete",
            supplier_pages.forget_supplier_memory,
            methods=["POST"],
        ),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(_SecurityHeadersAndLog),
        Middleware(
            SessionMiddleware,
            secret_key=secret.get_secret_value() if secret else secrets.token_urlsafe(48),
            session_cookie="review_session",
            max_age=int(settings.review_session_hours * 3600),
            same_site="strict",
            https_only=settings.review_secure_cookies,
        ),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.store = store or ReviewStore.from_url(settings.database_url)
    app.state.templates = templates()
    app.state.login_throttle = LoginThrottle()
    app.state.page_limits = PageLimits(settings.read_time_limit, settings.read_memory_mb)
    return app
