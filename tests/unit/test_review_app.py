"""The review app over HTTP (Starlette's test client, SQLite with a sample invoice extracted by
the real pipeline): logins, roles, CSRF on every state-changing route, cookies, headers,
templates, page images, form checks and what the app logs."""

import io
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from starlette.routing import Route
from starlette.testclient import TestClient

from extractor.settings import load_settings
from extractor.store.models import ExtractionRun
from extractor.store.review_store import ReviewStore
from extractor.store.review_users import Role
from tests.review_support import NEEDS_REVIEW_SAMPLE, PASSWORD, add_user, prepared_database
from workers.review.app import HERE, create_app
from workers.review.login_throttle import LoginThrottle

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Engine, int]:
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'review.db'}"
    engine, (run_id,) = prepared_database(url, [NEEDS_REVIEW_SAMPLE])
    add_user(engine, "alice", Role.REVIEWER)
    add_user(engine, "rita", Role.READONLY)
    return url, engine, run_id


def _client(url: str, **settings: object) -> TestClient:
    app = create_app(load_settings(database_url=url, **settings))
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


@pytest.fixture
def client(site: tuple[str, Engine, int]) -> Iterator[TestClient]:
    with _client(site[0]) as client:
        yield client


def _token(client: TestClient, path: str = "/login") -> str:
    found = TOKEN.search(client.get(path).text)
    assert found is not None
    return found.group(1)


def _log_in(client: TestClient, name: str) -> str:
    answer = client.post(
        "/login", data={"csrf_token": _token(client), "name": name, "password": PASSWORD}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    return _token(client, "/")


def _runs(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count(ExtractionRun.id))) or 0


def test_every_page_needs_a_login(client: TestClient, site: tuple[str, Engine, int]) -> None:
    run_id = site[2]
    for path in ("/", f"/runs/{run_id}", "/documents/1/pages/1.png", "/suppliers"):
        answer = client.get(path)
        assert (answer.status_code, answer.headers["location"]) == (303, "/login"), path


def test_a_wrong_password_or_name_is_refused(client: TestClient) -> None:
    for name, password in (("alice", "wrong password"), ("nobody", PASSWORD)):
        data = {"csrf_token": _token(client), "name": name, "password": password}
        answer = client.post("/login", data=data)
        assert answer.status_code == 401 and "Wrong name or password" in answer.text


def test_every_state_changing_route_refuses_a_missing_or_wrong_csrf_token(
    client: TestClient, site: tuple[str, Engine, int]
) -> None:
    url, engine, run_id = site
    token = _log_in(client, "alice")
    posts = [
        route
        for route in create_app(load_settings(database_url=url)).routes
        if isinstance(route, Route) and "POST" in (route.methods or ())
    ]
    assert {route.path for route in posts} == {
        "/login",
        "/logout",
        "/runs/{run_id:int}/confirm",
        "/runs/{run_id:int}/reject",
        "/suppliers/{memory_id:int}/delete",
    }
    before = _runs(engine)
    for route in posts:
        assert getattr(route.endpoint, "state_changing", False), route.path
        path = route.path.replace("{run_id:int}", str(run_id)).replace("{memory_id:int}", "1")
        for data in ({}, {"csrf_token": token + "x"}, {"csrf_token": ""}):
            answer = client.post(path, data={**data, "reason": "r", "name": "alice"})
            assert answer.status_code == 403, (path, data)
    assert _runs(engine) == before
    assert client.get("/").status_code == 200  # still logged in: logout was refused too


def test_a_readonly_user_cannot_change_anything(
    client: TestClient, site: tuple[str, Engine, int]
) -> None:
    _, engine, run_id = site
    token = _log_in(client, "rita")
    page = client.get(f"/runs/{run_id}").text
    assert 'id="confirm"' not in page and " disabled" in page
    before = _runs(engine)
    for action in ("confirm", "reject"):
        answer = client.post(f"/runs/{run_id}/{action}", data={"csrf_token": token, "reason": "r"})
        assert answer.status_code == 403
    assert _runs(engine) == before


def test_login_starts_a_new_session_in_a_strict_http_only_cookie(
    site: tuple[str, Engine, int],
) -> None:
    with _client(site[0]) as client:
        before = _token(client)
        cookie = client.post(
            "/login", data={"csrf_token": before, "name": "alice", "password": PASSWORD}
        ).headers["set-cookie"]
        assert _token(client, "/") != before  # no session fixation
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        assert "secure" not in cookie.lower().replace("samesite", "")
    with _client(site[0], review_secure_cookies=True) as client:
        cookie = client.get("/login").headers["set-cookie"]
        assert "; secure" in cookie.lower()


def test_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    assert headers["x-frame-options"] == "DENY"


def test_templates_never_mark_text_safe_and_autoescape_is_on(client: TestClient) -> None:
    for template in (HERE / "templates").glob("*.html"):
        assert "|safe" not in template.read_text().replace(" ", ""), template.name
        assert "autoescape false" not in template.read_text(), template.name
    environment = client.app.state.templates.env  # type: ignore[attr-defined]
    assert environment.from_string("{{ text }}").render(text="<b>") == "&lt;b&gt;"


def test_the_page_image_is_a_png_of_the_width_asked_for(
    client: TestClient, site: tuple[str, Engine, int]
) -> None:
    _log_in(client, "alice")
    run = ReviewStore(site[1]).run(site[2])
    assert run is not None
    answer = client.get(f"/documents/{run.document_id}/pages/1.png?width=320")
    assert answer.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(answer.content)).width == 320
    assert client.get(f"/documents/{run.document_id}/pages/2.png").status_code == 404
    assert client.get(f"/documents/{run.document_id}/pages/1.png?width=x").status_code == 404
    assert client.get("/documents/999/pages/1.png").status_code == 404


def test_a_value_that_cannot_be_read_is_refused_and_not_logged(
    client: TestClient, site: tuple[str, Engine, int], caplog: pytest.LogCaptureFixture
) -> None:
    _, engine, run_id = site
    caplog.set_level(logging.DEBUG)
    token = _log_in(client, "alice")
    before = _runs(engine)
    marker = "31.02.2024x-marker"
    answer = client.post(
        f"/runs/{run_id}/confirm",
        data={"csrf_token": token, "value:issue_date": marker, "value:total_gross": "lots"},
    )
    assert answer.status_code == 400
    assert "not a valid date" in answer.text and "not a valid amount" in answer.text
    assert _runs(engine) == before
    assert "review POST /runs/{run_id:int}/confirm -> 400" in caplog.text
    assert marker not in caplog.text and "Van Dijk" not in caplog.text


def test_a_rejection_needs_a_reason(client: TestClient, site: tuple[str, Engine, int]) -> None:
    _, engine, run_id = site
    token = _log_in(client, "alice")
    before = _runs(engine)
    for reason in ("", "   ", "x" * 501):
        answer = client.post(f"/runs/{run_id}/reject", data={"csrf_token": token, "reason": reason})
        assert answer.status_code == 400
    assert _runs(engine) == before


def test_the_queue_filters_by_supplier_and_shows_counts(client: TestClient) -> None:
    _log_in(client, "alice")
    page = client.get("/", params={"supplier": "van dijk"}).text
    assert "nl_prepaid.pdf" in page and "missing_required (1)" in page
    assert "nl_prepaid.pdf" not in client.get("/", params={"supplier": "nobody"}).text
    assert "nl_prepaid.pdf" not in client.get("/", params={"status": "succeeded"}).text


def test_static_files_are_shipped_with_the_package(client: TestClient) -> None:
    assert "setUpDocument" in client.get("/static/review.js").text
    assert Path(HERE / "static" / "review.css").is_file()
    assert "http" not in client.get("/static/review.js").text  # nothing fetched from elsewhere


def test_password_guessing_is_throttled_per_name(site: tuple[str, Engine, int]) -> None:
    with _client(site[0]) as client:
        for _ in range(5):
            data = {"csrf_token": _token(client), "name": "alice", "password": "guess"}
            assert client.post("/login", data=data).status_code == 401
        data = {"csrf_token": _token(client), "name": "alice", "password": PASSWORD}
        refused = client.post("/login", data=data)
        assert refused.status_code == 429 and "Too many wrong passwords" in refused.text
        data = {"csrf_token": _token(client), "name": "rita", "password": PASSWORD}
        assert client.post("/login", data=data).status_code == 303  # other names go on


def test_the_throttle_forgets_failures_after_its_window() -> None:
    throttle = LoginThrottle(max_failures=2, window=0.05)
    throttle.failed("a")
    throttle.failed("a")
    assert not throttle.allowed("a")
    time.sleep(0.06)
    assert throttle.allowed("a")
    throttle.failed("a")
    throttle.succeeded("a")
    throttle.failed("a")
    assert throttle.allowed("a")
