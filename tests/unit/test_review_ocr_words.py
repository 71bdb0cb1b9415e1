"""A scanned page in the review app: the words OCR read are stored with the run (beside its
text, under the same retention) and offered on the page to click, as a text layer's are.
Real Tesseract, the real pipeline and the app over HTTP (Starlette's test client)."""

import re
from pathlib import Path

from starlette.testclient import TestClient

from extractor.settings import load_settings
from extractor.store.review_store import ReviewStore
from extractor.store.review_users import Role
from tests.ocr_documents import scanned, text_pdf
from tests.review_support import PASSWORD, add_user, prepared_database
from workers.review.app import create_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
WORD = re.compile(r'<span class="word" data-box="[^"]+">([^<]*)</span>')


def test_a_scanned_pages_words_are_stored_and_offered_to_click(
    tmp_path: Path, ocr_engine: str
) -> None:
    scan = scanned(text_pdf(tmp_path / "text.pdf"), tmp_path / "scan.pdf")
    url = f"sqlite:///{tmp_path / 'review.db'}"
    engine, (run_id,) = prepared_database(url, [scan])
    add_user(engine, "alice", Role.REVIEWER)
    store = ReviewStore(engine)
    run = store.run(run_id)
    assert run is not None
    (page,) = store.ocr_words(run.document_id)
    assert page.page == 1 and {"INV-7731", "Harbour"} <= {word.text for word in page.words}

    app = create_app(load_settings(database_url=url))
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        token = TOKEN.search(client.get("/login").text)
        assert token is not None
        client.post(
            "/login", data={"csrf_token": token.group(1), "name": "alice", "password": PASSWORD}
        )
        shown = WORD.findall(client.get(f"/runs/{run_id}").text)
    assert "INV-7731" in shown and "Harbour" in shown  # the scan has no text layer to read
