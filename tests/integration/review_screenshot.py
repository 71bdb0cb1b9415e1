"""Take the README's screenshot of the review app's document view (docs/review.png):

    .venv/bin/python -m tests.integration.review_screenshot docs/review.png

A SQLite database in a temporary folder gets the sample invoice that needs review (the real
pipeline, rules only); `extractor review serve` serves it and headless Chromium shows the
document with its gross total field selected."""

import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.review_support import (
    NEEDS_REVIEW_SAMPLE,
    PASSWORD,
    ReviewServer,
    add_user,
    prepared_database,
)


def main(target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'review.db'}"
        engine, (run_id,) = prepared_database(url, [NEEDS_REVIEW_SAMPLE])
        add_user(engine, "alice")
        server = ReviewServer(url, Path(folder) / "review.log")
        server.start()
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--window-size=1400,900"):
            options.add_argument(argument)
        browser = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        try:
            browser.get(server.url + "/login")
            browser.find_element(By.NAME, "name").send_keys("alice")
            browser.find_element(By.NAME, "password").send_keys(PASSWORD)
            browser.find_element(By.CSS_SELECTOR, "form.login button").click()
            browser.get(f"{server.url}/runs/{run_id}")
            browser.find_element(By.CSS_SELECTOR, '.field[data-path="seller.name"] input').click()
            time.sleep(1)  # the smooth scroll to the selected box
            browser.save_screenshot(str(target))
        finally:
            browser.quit()
            server.stop()
            engine.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
