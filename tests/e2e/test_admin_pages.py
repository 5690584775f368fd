"""The admin web app in a real Chromium (Debian's chromium and chromium-driver, through selenium)."""
import shutil

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import Server, Session, free_port, vitrine


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--lang=en-US"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def demo(data_dir):
    r = vitrine(["demo", "--no-serve"], data_dir)
    assert r.returncode == 0, r.stderr
    password = next(line.split()[1] for line in r.stdout.splitlines() if line.strip().startswith("Password:"))
    server = Server(data_dir, free_port())
    yield server, password
    server.stop()


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "table.table tbody tr")


def test_owner_logs_in_browses_and_edits_the_catalog(browser, demo):
    server, password = demo
    wait = WebDriverWait(browser, 20)
    browser.get(server.url + "/admin/")
    email = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=email]")))
    email.send_keys("demo@vitrine.test")
    browser.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(lambda d: len(rows(d)) == 12)
    assert "Pull col rond en cachemire" in browser.find_element(By.CSS_SELECTOR, "table.table").text

    # A title that looks like markup is shown as text and never becomes an element.
    api = Session(server.url, "demo@vitrine.test", password)
    brand = api.me["memberships"][0]["brand"]["id"]
    created = api.request("POST", f"/api/brands/{brand}/products", json={
        "title": '<img src=x onerror="document.title=\'pwned\'">', "status": "active"})
    assert created.status_code == 201
    browser.refresh()
    wait.until(lambda d: len(rows(d)) == 13)
    assert browser.find_elements(By.CSS_SELECTOR, "img[src=x]") == []
    assert '<img src=x onerror="document.title=\'pwned\'">' in browser.find_element(By.CSS_SELECTOR, "table.table").text
    assert browser.title != "pwned"

    # Edit a product and save: the API sees the change.
    browser.find_element(By.LINK_TEXT, "Pull col rond en cachemire").click()
    title = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[data-field=title]")))
    title.clear()
    title.send_keys("Pull col rond en cachemire Éloïse")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".message-success")))
    products = api.request("GET", f"/api/brands/{brand}/products?q=eloise").json()
    found = api.request("GET", f"/api/brands/{brand}/products?q=cachemire").json()["items"]
    assert [p["title"] for p in found] == ["Pull col rond en cachemire Éloïse"], products
    assert [p["handle"] for p in found] == ["pull-cachemire"]

    # The first GET /api/me before login answers 401 by design; any other error (script, CSP) fails.
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
              and not ("/api/me" in entry["message"] and "401" in entry["message"])]
    assert errors == [], errors


def test_wrong_password_shows_an_error_and_no_session(browser, demo):
    server, _ = demo
    wait = WebDriverWait(browser, 20)
    browser.get(server.url + "/admin/")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=email]"))).send_keys("demo@vitrine.test")
    browser.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys("not the password")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    message = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert], .message-error")))
    assert message.text.strip() != ""
    assert browser.get_cookie("vitrine_session") is None
    assert requests.get(server.url + "/api/me").status_code == 401
