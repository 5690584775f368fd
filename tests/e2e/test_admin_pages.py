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


def serious_violations(driver):
    """Axe's serious and critical findings on the page as it is now."""
    from axe_selenium_python import Axe
    axe = Axe(driver)
    axe.inject()
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]


def test_the_team_lists_filters_fulfils_refunds_and_cancels_orders(browser, server):
    # setup: a brand with a perfume in a show's lineup (69.00 in the show), and two pay-later orders
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import Select
    from conftest import PASSWORD
    from test_orders import order_body, place, seed
    sale = seed(server, stock=10)
    owner, base = sale["owner"], f"/api/brands/{sale['brand']}/orders"
    first = place(server.url, sale, order_body(sale, email="ana@example.com", name="Ana Dupont")).json()["order"]
    second = place(server.url, sale, order_body(sale, email="lea@example.com", quantity=2)).json()["order"]
    assert (first["total"]["amount"], second["total"]["amount"]) == (6900, 13800)
    # A change draws the page again: an element read while it is replaced is simply read again.
    wait = WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))
    browser.get(server.url + "/admin/")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=email]"))).send_keys("owner@example.com")
    browser.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(lambda d: len(rows(d)) == 1)

    def main_text():
        return browser.find_element(By.ID, "main").text.replace("\u00a0", " ").replace("\u202f", " ")

    def status_badge():
        return browser.find_element(By.CSS_SELECTOR, ".status-card .badge-order").text

    # MUT: the Orders page from the header lists both orders, newest first, with their totals
    browser.find_element(By.CSS_SELECTOR, "nav.topbar-nav").find_element(By.LINK_TEXT, "Orders").click()
    wait.until(lambda d: len(rows(d)) == 2)
    listed = [r.text for r in rows(browser)]
    assert second["number"] in listed[0] and "€138.00" in listed[0] and "lea@example.com" in listed[0]
    assert first["number"] in listed[1] and "€69.00" in listed[1] and "Ana Dupont" in listed[1]
    assert "Awaiting payment" in listed[0] and "Live" in listed[0]
    assert "2 orders" in main_text()
    list_findings = serious_violations(browser)

    # Filtered by status: none paid yet; the CSV link carries the filter.
    status = Select(browser.find_element(By.ID, "order-status"))
    status.select_by_value("paid")
    wait.until(lambda d: "No orders match" in d.find_element(By.ID, "main").text)
    export = browser.find_element(By.LINK_TEXT, "Export CSV")
    assert "status=paid" in export.get_attribute("href") and "orders.csv" in export.get_attribute("href")
    status.select_by_value("awaiting_payment")
    wait.until(lambda d: len(rows(d)) == 2)
    assert "status=awaiting_payment" in browser.current_url

    # The first order is fulfilled: a bad link is refused next to the form, then it goes through.
    browser.find_element(By.LINK_TEXT, first["number"]).click()
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#main h1").text == f"Order {first['number']}")
    assert "Eau de parfum Jasmin" in main_text() and "Awaiting payment" == status_badge()
    assert "lea@example.com" not in main_text()
    browser.find_element(By.XPATH, "//button[normalize-space()='Fulfil']").click()
    form = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "form.action-form")))
    form.find_element(By.CSS_SELECTOR, "[data-field=carrier]").send_keys("Colissimo")
    form.find_element(By.CSS_SELECTOR, "[data-field=trackingNumber]").send_keys("6A12345678901")
    link = form.find_element(By.CSS_SELECTOR, "[data-field=trackingUrl]")
    link.send_keys("ftp://example.com/parcel")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    error = wait.until(lambda d: form.find_element(By.CSS_SELECTOR, ".message-error"))
    wait.until(lambda d: "http(s)" in error.text)
    assert owner.request("GET", f"{base}/{first['id']}").json()["status"] == "awaiting_payment"
    link.clear()
    link.send_keys("https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: status_badge() == "Fulfilled")
    history = browser.find_element(By.CSS_SELECTOR, ".history-table").text
    assert "Fulfilled" in history and "Colissimo 6A12345678901" in history
    assert "Marked fulfilled." in browser.switch_to.active_element.text
    assert browser.find_element(By.LINK_TEXT, "Track the parcel").get_attribute("href").startswith("https://www.laposte.fr/")
    assert owner.request("GET", f"{base}/{first['id']}").json()["status"] == "fulfilled"
    detail_findings = serious_violations(browser)

    # Back to the list as it was filtered: only the second order still awaits payment.
    browser.find_element(By.LINK_TEXT, "← All orders").click()
    wait.until(lambda d: len(rows(d)) == 1 and second["number"] in rows(d)[0].text)

    # The second order: marked paid, then 1 of its 2 bottles refunded, then cancelled.
    browser.find_element(By.LINK_TEXT, second["number"]).click()
    pay = wait.until(EC.element_to_be_clickable((By.XPATH, "//button[normalize-space()='Mark paid']")))
    assert browser.find_elements(By.XPATH, "//button[normalize-space()='Refund']") == []
    pay.click()
    wait.until(lambda d: status_badge() == "Paid")
    browser.find_element(By.XPATH, "//button[normalize-space()='Refund']").click()
    form = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "form.action-form")))
    units = form.find_element(By.CSS_SELECTOR, "input[type=number]")
    assert units.get_attribute("max") == "2"
    units.clear()
    units.send_keys("1")
    wait.until(lambda d: "€69.00" in form.find_element(By.CSS_SELECTOR, ".refund-preview").text)
    assert "Stripe" not in form.text  # a pay-later order: the team pays the buyer back itself
    detail_findings += serious_violations(browser)  # with a form open
    form.find_element(By.XPATH, ".//button[normalize-space()='Refund these units']").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".refunded-amount"))
    assert browser.find_element(By.CSS_SELECTOR, ".refunded-amount").text == "€69.00"
    assert status_badge() == "Paid"
    assert "69.00 EUR refunded" in browser.find_element(By.CSS_SELECTOR, ".history-table").text
    refunded = owner.request("GET", f"{base}/{second['id']}").json()
    assert refunded["refunded"]["amount"] == 6900 and refunded["lines"][0]["refundedQuantity"] == 1
    browser.find_element(By.XPATH, "//button[normalize-space()='Cancel order']").click()
    form = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "form.action-form")))
    form.find_element(By.CSS_SELECTOR, "textarea").send_keys("Changed her mind")
    form.find_element(By.XPATH, ".//button[normalize-space()='Cancel the order']").click()
    wait.until(EC.alert_is_present())
    browser.switch_to.alert.accept()
    wait.until(lambda d: status_badge() == "Cancelled")
    assert "Changed her mind" in browser.find_element(By.CSS_SELECTOR, ".history-table").text
    assert "Nothing more can change" in main_text()
    assert owner.request("GET", f"{base}/{second['id']}").json()["status"] == "cancelled"

    # validate: the list filtered on fulfilled shows the first order, and its CSV link exports just it
    browser.get(f"{server.url}/admin/#/brands/{sale['brand']}/orders?status=fulfilled")
    wait.until(lambda d: len(rows(d)) == 1 and first["number"] in rows(d)[0].text and "Fulfilled" in rows(d)[0].text)
    href = browser.find_element(By.LINK_TEXT, "Export CSV").get_attribute("href")
    assert "status=fulfilled" in href
    exported = requests.get(href, cookies={c["name"]: c["value"] for c in browser.get_cookies()}, timeout=10)
    assert exported.status_code == 200 and first["number"] in exported.text and second["number"] not in exported.text
    # In French, the same page speaks French and writes money the French way.
    Select(browser.find_element(By.ID, "lang-switch")).select_by_value("fr")
    wait.until(lambda d: "Commandes" in d.find_element(By.CSS_SELECTOR, "nav.topbar-nav").text)
    wait.until(lambda d: "69,00 €" in main_text() and "Expédiée" in main_text())
    assert list_findings == [] and detail_findings == [], (list_findings, detail_findings)
    # Expected answers: the 401 of /api/me before login, and the 422 of the refused tracking link.
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
              and not ("/api/me" in entry["message"] and "401" in entry["message"])
              and not ("/fulfil" in entry["message"] and "422" in entry["message"])]
    assert errors == [], errors


def test_owner_sets_up_selling_checkout_stores_promotions_and_stripe_keys(browser, demo):
    # setup: the demo brand (EUR, the shop's own cart, no stores, no promotions, no Stripe keys)
    from axe_selenium_python import Axe
    server, password = demo
    api = Session(server.url, "demo@vitrine.test", password)
    brand_id = api.me["memberships"][0]["brand"]["id"]
    base = f"/api/brands/{brand_id}"
    assert api.request("GET", base).json()["cartMode"] == "handoff"
    wait = WebDriverWait(browser, 20)
    browser.get(server.url + "/admin/")
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=email]"))).send_keys("demo@vitrine.test")
    browser.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(lambda d: len(rows(d)) == 12)

    def card(title):
        return browser.find_element(By.XPATH, f"//section[h2[normalize-space()={title!r}]]")

    def error_next_to(control):
        """The error shown in the same field (or opening-hours row) as `control`, once there is one."""
        wait.until(lambda d: control.get_attribute("aria-invalid") == "true")
        holder = control.find_element(By.XPATH, "./ancestor-or-self::*[contains(@class,'field') or self::fieldset][1]")
        return holder.find_element(By.CSS_SELECTOR, ":scope > .field-error").text

    def press(section, label):
        section.find_element(By.XPATH, f".//button[normalize-space()={label!r}]").click()

    def success(section, text):
        wait.until(lambda d: text in section.find_element(By.CSS_SELECTOR, ".message-success").text)

    # MUT: the Selling page, from the brand's navigation
    browser.find_element(By.LINK_TEXT, "Selling").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#main h1"), "Selling"))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[data-copy=webhookUrl]"))

    # Checkout: Vitrine's own, home delivery at 4.90, terms of sale.
    checkout = card("Checkout")
    checkout.find_element(By.CSS_SELECTOR, "input[type=radio][value=vitrine]").click()
    price = checkout.find_element(By.CSS_SELECTOR, "input[data-field=homeDeliveryPrice]")
    price.clear()
    price.send_keys("4.90")
    terms = checkout.find_element(By.CSS_SELECTOR, "input[data-field=termsUrl]")
    terms.send_keys("https://maison-lumiere.example/cgv")
    press(checkout, "Save the checkout settings")
    success(checkout, "Vitrine’s checkout")
    brand = api.request("GET", base).json()
    assert (brand["cartMode"], brand["homeDeliveryPrice"], brand["termsUrl"]) == (
        "vitrine", {"amount": 490, "currency": "EUR"}, "https://maison-lumiere.example/cgv")

    # A pick-up store open on Monday: a postal code of the wrong shape is named next to its field first.
    stores = card("Pick-up stores")
    for name, value in (("name", "Boutique du Marais"), ("address.line1", "8 rue de Turenne"),
                        ("address.postalCode", "750"), ("address.city", "Paris")):
        stores.find_element(By.CSS_SELECTOR, f"input[data-field='{name}']").send_keys(value)
    press(stores, "Add hours")
    row = stores.find_element(By.CSS_SELECTOR, "fieldset[data-field='openingHours[0]']")
    assert row.find_element(By.CSS_SELECTOR, "select").get_attribute("value") == "mon"
    row.find_element(By.CSS_SELECTOR, "input.range-opens").send_keys("10:00")
    row.find_element(By.CSS_SELECTOR, "input.range-closes").send_keys("19:00")
    press(stores, "Add the store")
    postal = stores.find_element(By.CSS_SELECTOR, "input[data-field='address.postalCode']")
    assert "is not a postal code of France" in error_next_to(postal)
    assert api.request("GET", f"{base}/pickup-stores").json()["items"] == []
    postal.clear()
    postal.send_keys("75004")
    press(stores, "Add the store")
    success(stores, "Boutique du Marais")
    wait.until(lambda d: "Mon 10:00–19:00" in stores.find_element(By.CSS_SELECTOR, "table").text)
    [store] = api.request("GET", f"{base}/pickup-stores").json()["items"]
    assert (store["name"], store["address"], store["openingHours"], store["active"]) == (
        "Boutique du Marais", {"line1": "8 rue de Turenne", "postalCode": "75004", "city": "Paris", "country": "FR"},
        [{"day": "mon", "opens": "10:00", "closes": "19:00"}], True)

    # A code promotion, 15 % off; the same code again (in another case) is refused next to the code.
    promotions = card("Promotions")
    code = promotions.find_element(By.CSS_SELECTOR, "input[data-field=code]")
    code.send_keys("LIVE15")
    promotions.find_element(By.CSS_SELECTOR, "input[data-field=percentOff]").send_keys("15")
    press(promotions, "Create the promotion")
    success(promotions, "LIVE15")
    wait.until(lambda d: "LIVE15" in promotions.find_element(By.CSS_SELECTOR, "table").text)
    code.send_keys("live15")
    promotions.find_element(By.CSS_SELECTOR, "input[data-field=percentOff]").send_keys("10")
    press(promotions, "Create the promotion")
    assert "already has a promotion with this code" in error_next_to(code)
    [promotion] = api.request("GET", f"{base}/promotions").json()["items"]
    assert (promotion["code"], promotion["percentOff"], promotion["automatic"], promotion["active"], promotion["uses"]) == (
        "LIVE15", 15, False, True, 0)

    # Card payments: the webhook address and events to copy into Stripe, and secret inputs that are not
    # kept by the browser. Keys of the wrong kind, then a live key with a test key, are refused by the
    # server's own checks (Stripe is never asked) and named next to their field; nothing is kept.
    stripe = card("Card payments (Stripe)")
    webhook_url = stripe.find_element(By.CSS_SELECTOR, "input[data-copy=webhookUrl]").get_attribute("value")
    assert webhook_url.endswith(f"/api/public/payments/stripe/{brand_id.lower()}/webhook")
    assert webhook_url == api.request("GET", f"{base}/payments/stripe").json()["webhookUrl"]
    events = stripe.find_element(By.CSS_SELECTOR, "ul.chips").text
    assert "payment_intent.succeeded" in events and "payment_intent.payment_failed" in events
    publishable = stripe.find_element(By.CSS_SELECTOR, "input[data-field=publishableKey]")
    secret = stripe.find_element(By.CSS_SELECTOR, "input[data-field=secretKey]")
    signing = stripe.find_element(By.CSS_SELECTOR, "input[data-field=webhookSecret]")
    for control in (secret, signing):
        assert (control.get_attribute("type"), control.get_attribute("autocomplete")) == ("password", "off")
    publishable.send_keys("sk_test_" + "a" * 24)
    secret.send_keys("sk_test_" + "b" * 24)
    signing.send_keys("whsec_" + "c" * 24)
    press(stripe, "Save the keys")
    assert "is not a Stripe key of the right kind" in error_next_to(publishable)
    publishable.clear()
    publishable.send_keys("pk_live_" + "a" * 24)
    press(stripe, "Save the keys")
    assert "must both be test keys, or both live keys" in error_next_to(secret)
    assert publishable.get_attribute("aria-invalid") is None
    settings = api.request("GET", f"{base}/payments/stripe").json()
    assert settings["configured"] is False and "secretKeyHint" not in settings
    assert "Not set up" in stripe.text

    # validate: the page as a whole, with its errors showing, has no serious accessibility violation,
    # and it fits a phone's width.
    def known_false_positive(violation):
        # axe-core 3 (the one axe-selenium-python bundles) takes autocomplete="off" on a password input
        # for a misuse; axe-core 4 accepts it. The Stripe secrets ask for "off" so that no browser fills them.
        return violation["id"] == "autocomplete-valid" and all(browser.execute_script(
            "const e = document.querySelector(arguments[0]); return e.type === 'password' && e.autocomplete === 'off'",
            node["target"][0]) for node in violation["nodes"])
    axe = Axe(browser)
    axe.inject()
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run()["violations"]
               if v["impact"] in ("serious", "critical") and not known_false_positive(v)]
    assert serious == [], serious
    browser.set_window_size(390, 844)
    time.sleep(0.5)
    widths = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    # Only the refusals asked for above reached the console (Chromium logs each 4xx answer).
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
              and not ("/api/me" in entry["message"] and "401" in entry["message"])
              and not any(f"{path} - Failed to load resource: the server responded with a status of {status}"
                          in entry["message"] for path, status in (("/pickup-stores", 422), ("/promotions", 409),
                                                                   ("/payments/stripe", 422)))]
    assert errors == [], errors
