"""The review app in a real browser (Debian's headless Chromium through selenium), served by
`extractor review serve` over PostgreSQL holding a sample invoice extracted by the real
pipeline. Without Chromium these tests skip locally and fail on CI; `extractor review
install-browser` installs it."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from extractor.result import Status
from extractor.store.models import ExtractionRun
from extractor.store.review_users import Role
from tests.conftest import require
from tests.review_support import (
    NEEDS_REVIEW_SAMPLE,
    PASSWORD,
    UNKNOWN_NET_LABEL,
    UNKNOWN_TOTAL_LABEL,
    ReviewServer,
    add_user,
    prepared_database,
    store_run,
    text_pdf,
)

SCRIPT = "<script>window.xss=1</script>"
IMAGE = "<img src=x onerror=window.xss=2>"
# values of the sample that must never reach the app's log
SAMPLE_VALUES = ("Van Dijk", "NL854502130B01", "1.350,36", "1350.36", "2024-047", "Groene")


@pytest.fixture(scope="module")
def driver_paths() -> tuple[str, str]:
    browser = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        require(False, "chromium and chromedriver are missing (extractor review install-browser)")
    assert browser is not None and driver is not None
    return browser, driver


@pytest.fixture
def browser(driver_paths: tuple[str, str]) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = driver_paths[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1500,1100")
    driver = webdriver.Chrome(options=options, service=Service(driver_paths[1]))
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


@pytest.fixture
def site(database: str, tmp_path: Path) -> Iterator[tuple[ReviewServer, Engine, int]]:
    engine, (run_id,) = prepared_database(database, [NEEDS_REVIEW_SAMPLE])
    add_user(engine, "alice", Role.REVIEWER)
    add_user(engine, "rita", Role.READONLY)
    server = ReviewServer(database, tmp_path / "review.log")
    server.start()
    yield server, engine, run_id
    server.stop()
    engine.dispose()


def log_in(browser: WebDriver, server: ReviewServer, name: str) -> None:
    browser.get(server.url + "/")
    assert browser.current_url.endswith("/login")
    browser.find_element(By.NAME, "name").send_keys(name)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(server.url + "/"))


def word_after(
    browser: WebDriver, label: str, offset: int = 1, *, occurrence: int = 1
) -> WebElement:
    words = browser.find_elements(By.CSS_SELECTOR, ".page .word")
    texts = [word.get_attribute("textContent") for word in words]
    at = [index for index, text in enumerate(texts) if text == label][occurrence - 1]
    return words[at + offset]


def field_input(browser: WebDriver, path: str) -> WebElement:
    return browser.find_element(
        By.CSS_SELECTOR, f'.field[data-path="{path}"] input[name^="value:"]'
    )


def latest_run(engine: Engine) -> ExtractionRun:
    with Session(engine) as session:
        run = session.scalars(select(ExtractionRun).order_by(ExtractionRun.id.desc())).first()
        assert run is not None
        _ = run.fields
        return run


def test_a_reviewer_corrects_fields_on_the_page_and_confirms(
    site: tuple[ReviewServer, Engine, int], browser: WebDriver
) -> None:
    server, engine, machine_run_id = site
    log_in(browser, server, "alice")
    rows = browser.find_elements(By.CSS_SELECTOR, ".queue-item")
    assert [row.find_element(By.TAG_NAME, "a").text for row in rows] == ["nl_prepaid.pdf"]
    assert "missing_required" in rows[0].text
    browser.find_element(By.TAG_NAME, "body").send_keys("j")  # one row: stays selected
    browser.find_element(By.TAG_NAME, "body").send_keys("\ue007")  # Enter opens it
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(f"/runs/{machine_run_id}"))

    # the page image is there, and the seller's name has its box drawn over it
    image = browser.find_element(By.CSS_SELECTOR, ".page img")
    assert browser.execute_script("return arguments[0].naturalWidth", image) == 1000
    field_input(browser, "seller.name").click()
    box = browser.find_element(By.CSS_SELECTOR, '.field-box[data-path="seller.name"]')
    assert "selected" in (box.get_attribute("class") or "")

    # click one word into the buyer's VAT id (the second "BTW-nr."), drag over two into the
    # gross total
    field_input(browser, "buyer.vat_id").click()
    word_after(browser, "BTW-nr.", 1, occurrence=2).click()
    assert field_input(browser, "buyer.vat_id").get_attribute("value") == "NL819364027B01"
    field_input(browser, "total_gross").click()
    label = UNKNOWN_TOTAL_LABEL
    euro, amount = word_after(browser, label, 1), word_after(browser, label, 2)
    ActionChains(browser).click_and_hold(euro).move_to_element(amount).release(amount).perform()
    assert field_input(browser, "total_gross").get_attribute("value") == "€ 1.350,36"
    browser.find_element(By.ID, "confirm").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(server.url + "/"))
    assert browser.find_elements(By.CSS_SELECTOR, ".queue-item") == []

    reviewed = latest_run(engine)
    assert reviewed.id != machine_run_id
    assert (reviewed.status, reviewed.reviewed_by) == (Status.SUCCEEDED.value, "alice")
    assert reviewed.reviewed_at is not None and reviewed.reviewed_run_id == machine_run_id
    fields = {row.path: row for row in reviewed.fields}
    assert (fields["buyer.vat_id"].value, fields["buyer.vat_id"].method) == (
        "NL819364027B01",
        "human",
    )
    assert fields["buyer.vat_id"].box is not None and fields["buyer.vat_id"].page == 1
    assert (fields["total_gross"].value, fields["total_gross"].method) == ("1350.36", "human")
    assert fields["invoice_number"].method == "rules"  # unchanged: copied with its method
    with Session(engine) as session:
        machine = session.get(ExtractionRun, machine_run_id)
        assert machine is not None and machine.status == Status.NEEDS_REVIEW.value
        row = session.execute(
            text("SELECT status, reviewed_by, total_gross, seller_vat_id FROM invoices")
        ).one()
    assert (row.status, row.reviewed_by, str(row.total_gross)) == ("succeeded", "alice", "1350.36")

    # the confirmation taught the supplier memory where the fields stand; a row can go
    browser.find_element(By.LINK_TEXT, "Supplier memory").click()
    memories = {
        row.find_elements(By.TAG_NAME, "td")[3].text: row
        for row in browser.find_elements(By.CSS_SELECTOR, "tr.memory")
    }
    assert "vat:NL854502130B01" in memories["seller.vat_id"].text
    assert "BTW-nr." in memories["seller.vat_id"].text  # the label left of the value
    assert "Factuurnummer" in memories["invoice_number"].text  # the label above it
    deleted = memories["seller.vat_id"]
    deleted.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 10).until(expected_conditions.staleness_of(deleted))  # reloaded
    remaining = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "tr.memory")]
    assert len(remaining) == len(memories) - 1
    assert not any("seller.vat_id" in row for row in remaining)

    logged = server.log.read_text()
    assert "POST /runs/{run_id:int}/confirm -> 303" in logged  # the log was really written
    assert [value for value in SAMPLE_VALUES if value in logged] == []


def test_hostile_document_text_stays_inert(
    site: tuple[ReviewServer, Engine, int], browser: WebDriver, tmp_path: Path
) -> None:
    server, engine, _ = site
    pdf = text_pdf(tmp_path / "<img src=x onerror=window.xss=3>.pdf", [SCRIPT, IMAGE])
    run_id = store_run(
        engine, pdf, {"seller.name": SCRIPT, "buyer.name": IMAGE}, Status.NEEDS_REVIEW
    )
    log_in(browser, server, "alice")
    assert "<img src=x onerror=window.xss=3>.pdf" in browser.find_element(By.ID, "queue").text
    browser.get(f"{server.url}/runs/{run_id}")
    assert field_input(browser, "seller.name").get_attribute("value") == SCRIPT
    assert field_input(browser, "buyer.name").get_attribute("value") == IMAGE
    words = [
        w.get_attribute("textContent") for w in browser.find_elements(By.CSS_SELECTOR, ".word")
    ]
    assert "<script>window.xss=1</script>" in words
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("<img")
    assert browser.execute_script("return typeof window.xss") == "undefined"
    with pytest.raises(NoAlertPresentException):
        _ = browser.switch_to.alert.text
    assert browser.find_elements(By.CSS_SELECTOR, "main img:not(.page img)") == []


def _logged_in_client(server: ReviewServer, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url)
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", data={"csrf_token": token, "name": name, "password": PASSWORD})
    assert answer.status_code == 303
    page = client.get("/").text
    return client, page.split('name="csrf_token" value="')[1].split('"')[0]


def test_a_post_without_the_csrf_token_is_refused(site: tuple[ReviewServer, Engine, int]) -> None:
    server, engine, run_id = site
    client, token = _logged_in_client(server, "alice")
    assert client.post(f"/runs/{run_id}/confirm", data={}).status_code == 403
    wrong = {"csrf_token": token[:-2] + "xx"}
    assert client.post(f"/runs/{run_id}/confirm", data=wrong).status_code == 403
    assert client.post(f"/runs/{run_id}/reject", data={"reason": "x"}).status_code == 403
    assert latest_run(engine).id == run_id  # nothing was stored
    assert client.post(f"/runs/{run_id}/confirm", data={"csrf_token": token}).status_code == 303
    assert latest_run(engine).id != run_id


def test_a_readonly_user_sees_but_cannot_confirm(
    site: tuple[ReviewServer, Engine, int], browser: WebDriver
) -> None:
    server, engine, run_id = site
    log_in(browser, server, "rita")
    browser.get(f"{server.url}/runs/{run_id}")
    assert browser.find_elements(By.ID, "confirm") == []
    assert field_input(browser, "invoice_number").get_attribute("disabled") is not None
    client, token = _logged_in_client(server, "rita")
    answer = client.post(f"/runs/{run_id}/confirm", data={"csrf_token": token})
    assert answer.status_code == 403
    assert latest_run(engine).id == run_id


def test_a_reviewer_adds_a_row_from_the_page_and_removes_another(
    site: tuple[ReviewServer, Engine, int], browser: WebDriver
) -> None:
    server, engine, run_id = site
    log_in(browser, server, "alice")
    browser.get(f"{server.url}/runs/{run_id}")
    browser.find_element(By.CSS_SELECTOR, '.add-row[data-list="lines"]').click()
    added = field_input(browser, "lines.1.description")
    assert browser.switch_to.active_element == added  # the new row's first field is selected
    word_after(browser, UNKNOWN_NET_LABEL, 0).click()
    assert added.get_attribute("value") == UNKNOWN_NET_LABEL
    field_input(browser, "lines.1.net_amount").send_keys("1.116,00")
    browser.find_element(By.NAME, "remove:lines.0").click()
    browser.find_element(By.ID, "confirm").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(server.url + "/"))
    lines = sorted(
        (row.path, row.value, row.method)
        for row in latest_run(engine).fields
        if row.path.startswith("lines.")
    )
    assert lines == [
        ("lines.0.description", UNKNOWN_NET_LABEL, "human"),
        ("lines.0.net_amount", "1116.00", "human"),
    ]
