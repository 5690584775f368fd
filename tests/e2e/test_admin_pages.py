"""The admin web app in a real Chromium (Debian's chromium and chromium-driver, through selenium)."""
import shutil
import time

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


def test_owner_adds_a_webhook_tests_it_and_sees_a_shows_audience(browser, data_dir):
    # setup: the demo brand, e-mail to a local SMTP server, webhooks allowed to loopback (test only)
    from datetime import datetime, timedelta, timezone
    import smtplib  # noqa: F401  (the smtp fixture's server is started below)
    from test_mail import create_show, mail_env, register_and_confirm
    from test_webhooks import ALLOW, Endpoint
    import subprocess, sys, os, time as _time
    smtp_port = free_port()
    maildir = os.path.join(data_dir, "Maildir")
    smtp_server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c",
                                    "aiosmtpd.handlers.Mailbox", maildir],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    smtp = {"port": smtp_port, "maildir": maildir}
    endpoint = Endpoint()
    env = {**mail_env(smtp), **ALLOW}
    r = vitrine(["demo", "--no-serve"], data_dir, env=env)
    assert r.returncode == 0, r.stderr
    password = next(line.split()[1] for line in r.stdout.splitlines() if line.strip().startswith("Password:"))
    _time.sleep(0.5)
    server = Server(data_dir, free_port(), env=env)
    try:
        api = Session(server.url, "demo@vitrine.test", password)
        brand_id = api.me["memberships"][0]["brand"]["id"]
        slug = api.me["memberships"][0]["brand"]["slug"]
        wait = WebDriverWait(browser, 20)
        browser.get(server.url + "/admin/")
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=email]"))).send_keys(
            "demo@vitrine.test")
        browser.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(lambda d: len(rows(d)) == 12)

        # MUT: add an endpoint from the Webhooks page
        browser.find_element(By.LINK_TEXT, "Webhooks").click()
        url = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[type=url]")))
        url.send_keys(endpoint.url)
        browser.find_element(By.CSS_SELECTOR, "input[value='show.live']").click()
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        # validate: the secret is shown once, the endpoint listed with only its last characters
        secret = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".once input"))).get_attribute("value")
        assert secret.startswith("whsec_")
        card = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "article.card")))
        assert endpoint.url in card.text and secret[-4:] in card.text and secret not in card.text
        card.find_element(By.XPATH, ".//button[normalize-space()='Send a test event']").click()
        endpoint.wait(1)

        def delivered(driver):
            driver.find_element(By.XPATH, "//button[normalize-space()='Refresh the log']").click()
            _time.sleep(0.3)
            return "delivered" in driver.find_element(By.CSS_SELECTOR, "article.card table").text
        wait.until(delivered)
        assert "webhook.test" in browser.find_element(By.CSS_SELECTOR, "article.card table").text

        # A viewer registers for a show: the show page lists them, and the webhook heard of it.
        show = create_show(api, brand_id, "Jeudi beauté", datetime.now(timezone.utc) + timedelta(days=1))
        register_and_confirm(server, slug, show, smtp, "Confirmez votre rappel pour « Jeudi beauté »")
        browser.get(f"{server.url}/admin/#/brands/{brand_id}/shows/{show['id']}")
        panel = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[aria-labelledby=audience-title]")))
        wait.until(lambda d: "viewer@example.com" in panel.text)
        assert "1 confirmed reminders (0 accept marketing e-mails)" in panel.text
        # A private show: the owner invites a guest from its page and gets the personal link once.
        private = api.request("POST", f"/api/brands/{brand_id}/shows", json={
            "title": "Clientes privées", "format": "private",
            "scheduledStart": (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")}).json()
        browser.get(f"{server.url}/admin/#/brands/{brand_id}/shows/{private['id']}")
        guests = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[aria-labelledby=guests-title]")))
        guests.find_element(By.CSS_SELECTOR, "input[type=email]").send_keys("lea@example.com")
        guests.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        link = wait.until(lambda d: guests.find_element(By.CSS_SELECTOR, ".once input")).get_attribute("value")
        assert "guest=guest_" in link
        wait.until(lambda d: "lea@example.com" in guests.find_element(By.CSS_SELECTOR, "table").text)
        assert requests.get(link.replace(f"http://localhost:{server.port}", server.url)).status_code == 200

        browser.get(f"{server.url}/admin/#/brands/{brand_id}/jobs")
        wait.until(lambda d: "mail.send" in d.find_element(By.CSS_SELECTOR, "main").text)
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
                  and not ("/api/me" in entry["message"] and "401" in entry["message"])]
        assert errors == [], errors
    finally:
        server.stop()
        endpoint.close()
        smtp_server.terminate()


def test_the_admin_pages_have_no_serious_accessibility_violation(browser, demo):
    from axe_selenium_python import Axe
    server, password = demo
    wait = WebDriverWait(browser, 20)
    browser.get(server.url + "/admin/")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=email]")))
    pages = [("login", None)]
    api = Session(server.url, "demo@vitrine.test", password)
    brand = api.me["memberships"][0]["brand"]["id"]
    product = api.request("GET", f"/api/brands/{brand}/products").json()["items"][0]["id"]
    show = api.request("GET", f"/api/brands/{brand}/shows").json()["items"][0]["id"]
    findings = {}

    def check(name):
        axe = Axe(browser)
        axe.inject()
        serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                   for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            findings[name] = serious

    check("login")
    browser.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys("demo@vitrine.test")
    browser.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(lambda d: len(rows(d)) == 12)
    # MUT: each main view of the admin app, as a brand's team sees it
    for name, hash_ in (("products", f"#/brands/{brand}/products"), ("product", f"#/brands/{brand}/products/{product}"),
                        ("shows", f"#/brands/{brand}/shows"), ("show", f"#/brands/{brand}/shows/{show}"),
                        ("series", f"#/brands/{brand}/series"), ("team", f"#/brands/{brand}/team"),
                        ("settings", f"#/brands/{brand}/settings"), ("webhooks", f"#/brands/{brand}/webhooks"),
                        ("import", f"#/brands/{brand}/import")):
        browser.get(server.url + "/admin/" + hash_)
        time.sleep(1.2)
        assert browser.find_elements(By.CSS_SELECTOR, "#main h1"), f"{name} shows its page"
        check(name)
    # validate
    assert findings == {}, findings
