"""Vitrine's own cart and checkout in the player (`cartMode: vitrine`), in a real headless Chromium
against `vitrine serve`: a live show (an ffmpeg test stream) with one product in its lineup, 5 units
with the policy deny, a show price under the catalog's, home delivery at €4.90, and an SMTP server
(aiosmtpd) that receives the buyer's confirmation. Screenshots go to the test output directory."""
import contextlib
import os
import re
import sys
import subprocess
import tempfile
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import Server, Session, create_owner, free_port
from test_live_video import LIVE, publish, wait
from test_mail import mail_env, wait_for_mail
from test_player import browser, phone, shot

BRAND = "Maison Lumière"


@pytest.fixture(scope="module")
def shop():
    """The brand on Vitrine's checkout, its product in a live show's lineup, and the SMTP server."""
    with running_shop() as running:
        yield running


@contextlib.contextmanager
def running_shop(extra_env=None):
    """The SMTP server, `vitrine serve` (with `extra_env`) and a brand selling one product in a
    live show through Vitrine's checkout; stopped on leaving."""
    with tempfile.TemporaryDirectory(prefix="vitrine-e2e-") as data_dir:
        smtp_port = free_port()
        maildir = os.path.join(data_dir, "Maildir")
        smtp = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}",
                                 "-c", "aiosmtpd.handlers.Mailbox", maildir],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        env = {**mail_env({"port": smtp_port}), **LIVE, **(extra_env or {})}
        slug = create_owner(data_dir, "owner@example.com", BRAND, env=env)
        port = free_port()
        server = Server(data_dir, port, env={**env, "VITRINE_PUBLIC_URL": f"http://127.0.0.1:{port}"})
        encoder = None
        try:
            owner = Session(server.url, "owner@example.com")
            brand = owner.brand_id(slug)
            r = owner.request("PATCH", f"/api/brands/{brand}", json={
                "cartMode": "vitrine", "termsUrl": "https://example.com/cgv",
                "homeDeliveryPrice": {"amount": 490, "currency": "EUR"}})
            assert r.status_code == 200, r.text
            r = owner.request("POST", f"/api/brands/{brand}/products", json={
                "title": "Pull en cachemire", "status": "active", "optionNames": ["Taille"],
                "variants": [{"sku": "PULL-M", "options": ["M"], "price": {"amount": 4500, "currency": "EUR"},
                              "inventoryQuantity": 5, "inventoryPolicy": "deny"}]})
            assert r.status_code == 201, r.text
            product = r.json()
            start = (datetime.now(timezone.utc) + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
            r = owner.request("POST", f"/api/brands/{brand}/shows", json={
                "title": "Le live cachemire", "scheduledStart": start, "orientation": "vertical",
                "lineup": [{"productId": product["id"], "showPrice": {"amount": 3900, "currency": "EUR"}}]})
            assert r.status_code == 201, r.text
            show = r.json()["id"].lower()
            base = f"/api/brands/{brand}/shows/{show}"
            assert owner.request("POST", base + "/transitions", json={"event": "scheduled"}).status_code == 200
            key = owner.request("POST", base + "/stream-key").json()["streamKey"]
            encoder = publish(server.rtmp_port, key, 600, size="240x426")
            hls = f"{server.url}/hls/{show}"
            wait(lambda: owner.http.get(hls + "/preview.m3u8").status_code == 200, 30, "preview")
            r = owner.request("POST", base + "/transitions", json={"event": "live"})
            assert r.status_code == 200, r.text
            wait(lambda: requests.get(hls + "/live.m3u8").text.count("#EXTINF") >= 2, 30, "live segments")
            yield {"server": server, "owner": owner, "brand": brand, "slug": slug, "show": show,
                   "product": product, "maildir": maildir}
        finally:
            if encoder:
                encoder.kill()
            server.stop()
            smtp.terminate()
            smtp.wait(timeout=10)


def watch(shop):
    return f"{shop['server'].url}/watch/{shop['show']}"


def orders(shop):
    r = shop["owner"].request("GET", f"/api/brands/{shop['brand']}/orders")
    assert r.status_code == 200, r.text
    return r.json()


def lineup_stock(shop):
    r = requests.get(f"{shop['server'].url}/api/public/brands/{shop['slug']}/shows/{shop['show']}/lineup")
    return r.json()["items"][0]["stock"]


def click(driver, css):
    """Clicks the first element matching `css`; False when there is none yet or it was just redrawn
    (the lineup is drawn again when the room's snapshot arrives)."""
    try:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        if found:
            found[0].click()
            return True
    except StaleElementReferenceException:
        pass
    return False


def add_to_cart(driver, shop):
    """Opens the player, the product's sheet, adds it; returns once the cart chip counts it."""
    driver.get(watch(shop))
    wait(lambda: click(driver, ".carousel .product"), 15, "the lineup")
    add = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.sheet[open] .primary"), 5, "the sheet")[0]
    add.click()
    try:
        wait(lambda: driver.find_element(By.CSS_SELECTOR, ".cart").text in ("Cart (1)", "Panier (1)"), 8, "the cart chip")
    except AssertionError:
        print(driver.execute_script("return [document.querySelector('.cart').outerHTML, document.querySelector('.notice').textContent]"))
        print([e["message"][:300] for e in driver.get_log("browser")])
        raise
    driver.find_element(By.CSS_SELECTOR, "dialog.sheet[open]").send_keys(Keys.ESCAPE)
    wait(lambda: not driver.find_elements(By.CSS_SELECTOR, "dialog.sheet[open]"), 5, "the sheet closes")


def open_checkout(driver):
    open_cart(driver).find_element(By.CSS_SELECTOR, ".primary").click()
    return wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.checkout[open] form.checkout-form"), 5,
                "the checkout form")[0]


def open_cart(driver):
    """Opens the cart and waits until it has loaded; returns the dialog."""
    driver.find_element(By.CSS_SELECTOR, ".cart").click()
    wait(lambda: driver.execute_script(
        "return !!document.querySelector('dialog.checkout[open] .checkout-body:not([aria-busy]) .cart-line')"), 8, "the cart")
    return driver.find_element(By.CSS_SELECTOR, "dialog.checkout")


def shown(driver, css):
    """The rendered text of the first element matching `css` (read in the page: the dialog redraws)."""
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css)


def control(form, field):
    return form.find_element(By.CSS_SELECTOR, f"[data-field='{field}']")


def fill_form(form, postal_code="75003"):
    for field, value in (("email", "camille@example.fr"), ("name", "Camille Martin"), ("phone", "+33 6 12 34 56 78"),
                         ("address.line1", "12 rue des Archives"), ("address.postalCode", postal_code),
                         ("address.city", "Paris")):
        control(form, field).clear()
        control(form, field).send_keys(value)
    terms = control(form, "acceptTerms")
    if not terms.is_selected():
        terms.click()


def field_error(form, field):
    """The text of the error shown under a field (its aria-describedby)."""
    described = control(form, field).get_attribute("aria-describedby")
    return form.find_element(By.ID, described).text


def serious_violations(driver):
    from axe_selenium_python import Axe
    axe = Axe(driver)
    axe.inject()
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]


def test_a_viewer_buys_the_product_in_the_player_and_gets_one_order_and_its_email(shop):
    driver = browser()
    try:
        phone(driver, 360, 740)
        before = orders(shop)["total"]
        # MUT: add from the product's sheet; the count survives a reload (the cart's token is stored)
        add_to_cart(driver, shop)
        driver.refresh()
        wait(lambda: driver.find_element(By.CSS_SELECTOR, ".cart").text == "Cart (1)", 10, "the count after a reload")
        # the cart: the line at the show price (the catalog's struck), − / +, totals with VAT
        dialog = open_cart(driver)
        line = dialog.find_element(By.CSS_SELECTOR, ".cart-line")
        assert "Pull en cachemire" in line.text and "M" in line.find_element(By.CSS_SELECTOR, ".variant").text
        assert line.find_element(By.CSS_SELECTOR, ".price s").text.endswith("€45.00")
        assert "€39.00" in line.find_element(By.CSS_SELECTOR, ".price").text
        line.find_element(By.CSS_SELECTOR, "button[aria-label^='One more']").click()
        wait(lambda: shown(driver, "dialog.checkout .line-total") == "€78.00", 5, "two units")
        assert driver.find_element(By.CSS_SELECTOR, ".cart").text == "Cart (2)"
        assert driver.switch_to.active_element.get_attribute("aria-label") == "One more: Pull en cachemire", "the focus stays on +"
        dialog.find_element(By.CSS_SELECTOR, "button[aria-label^='One less']").click()
        wait(lambda: shown(driver, "dialog.checkout .line-total") == "€39.00", 5, "one unit again")
        totals = dialog.find_element(By.CSS_SELECTOR, ".totals").text
        for text in ("Subtotal\n€39.00", "Home delivery\n€4.90", "Total, VAT included\n€43.90", "of which VAT 20 %\n€7.32"):
            assert text in totals, totals
        shot(driver, "checkout-cart-phone.png")
        # the checkout form: a French address, pay later, the terms linked
        dialog.find_element(By.CSS_SELECTOR, ".primary").click()
        form = wait(lambda: dialog.find_elements(By.CSS_SELECTOR, "form.checkout-form"), 5, "the form")[0]
        assert control(form, "address.country").get_attribute("value") == "FR"
        assert form.find_element(By.CSS_SELECTOR, "input[name=payment][value=later]").is_selected()
        assert not form.find_elements(By.CSS_SELECTOR, "input[name=payment][value=stripe]"), "no Stripe keys: no card"
        assert form.find_element(By.CSS_SELECTOR, ".check a").get_attribute("href") == "https://example.com/cgv"
        assert not form.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")[1].is_selected(), "no consent by default"
        fill_form(form)
        assert "Total, VAT included\n€43.90" in form.find_element(By.CSS_SELECTOR, ".summary").text
        shot(driver, "checkout-form-phone.png")
        # a double click on "Place the order"
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
        ActionChains(driver).double_click(submit).perform()
        number = wait(lambda: dialog.find_elements(By.CSS_SELECTOR, ".order-number"), 15, "the confirmation")[0].text
        number = re.search(r"Order number: (\S+)", number).group(1)
        assert "Total: €43.90, VAT included" in dialog.text
        assert "A confirmation e-mail is on its way to camille@example.fr." in dialog.text
        assert not driver.find_element(By.CSS_SELECTOR, ".cart").is_displayed(), "the cart is empty: no chip"
        shot(driver, "checkout-confirmation-phone.png")
    finally:
        driver.quit()
    # validate: the e-mail, one order from the live show, one unit fewer
    mails = wait(lambda: [m for m in wait_for_mail(shop["maildir"]) if number in m["Subject"]], 40,
                 "the confirmation e-mail")
    assert mails[0]["Subject"] == f"{BRAND}: your order {number} is confirmed"
    assert mails[0]["To"] == "camille@example.fr"
    assert "€43.90" in mails[0].get_body(preferencelist=("plain",)).get_content()
    listed = orders(shop)
    assert listed["total"] == before + 1, listed
    order = listed["items"][0]
    assert (order["number"], order["origin"], order["showId"].lower()) == (number, "live", shop["show"])
    assert (order["total"]["amount"], order["deliveryPrice"]["amount"], order["payment"]) == (4390, 490, "later")
    assert order["address"]["postalCode"] == "75003" and order["marketingConsent"] is False
    assert [(line["quantity"], line["unitPrice"]["amount"]) for line in order["lines"]] == [(1, 3900)]
    # (the stock viewers see: the brand's product API gives the quantity the shop last pushed, without Vitrine's sales)
    wait(lambda: lineup_stock(shop)["available"] == 4, 5, "4 left")


def test_a_bad_postal_code_is_shown_next_to_its_field_and_places_no_order(shop):
    driver = browser()
    try:
        phone(driver, 360, 740)
        before = orders(shop)["total"]
        add_to_cart(driver, shop)
        form = open_checkout(driver)
        fill_form(form, postal_code="7500")
        # MUT
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # validate: the server's message under the postal code, the field marked and focused; no order
        wait(lambda: field_error(form, "address.postalCode"), 8, "the postal code's error")
        assert "postal code" in field_error(form, "address.postalCode"), field_error(form, "address.postalCode")
        postal = control(form, "address.postalCode")
        assert postal.get_attribute("aria-invalid") == "true"
        assert driver.switch_to.active_element == postal
        error = form.find_element(By.ID, postal.get_attribute("aria-describedby"))
        assert error.get_attribute("aria-live") == "polite"
        assert field_error(form, "address.city") == ""
        assert form.find_element(By.CSS_SELECTOR, ".form-error").text == "Please correct the field marked above."
        assert orders(shop)["total"] == before
        assert driver.find_element(By.CSS_SELECTOR, ".cart").text == "Cart (1)", "the cart is kept"
        # the same checkout, corrected, goes through (a refused order keeps no idempotency key)
        postal.clear()
        postal.send_keys("75003")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.checkout .order-number"), 15, "the confirmation")
        assert orders(shop)["total"] == before + 1
    finally:
        driver.quit()


LOSE_FIRST_ORDER_ANSWER = """
const real = window.fetch;
window.orderCalls = [];
window.fetch = async (url, init = {}) => {
  const response = await real(url, init);
  if (String(url).endsWith('/orders')) {
    window.orderCalls.push([init.headers['Idempotency-Key'], response.status]);
    if (window.orderCalls.length === 1) throw new TypeError('Failed to fetch'); // written, but the answer is lost
  }
  return response;
};
"""


def test_a_retry_after_a_lost_answer_gives_the_same_order(shop):
    driver = browser()
    try:
        phone(driver, 360, 740)
        add_to_cart(driver, shop)
        form = open_checkout(driver)
        fill_form(form)
        before = orders(shop)["total"]
        driver.execute_script(LOSE_FIRST_ORDER_ANSWER)
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        # MUT: the order is written but its answer never arrives; the viewer tries again
        submit.click()
        message = wait(lambda: form.find_element(By.CSS_SELECTOR, ".form-error").text, 8, "the network error")
        assert message.startswith("No answer from the server: try again."), message
        assert submit.is_enabled()
        submit.click()
        number = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.checkout .order-number"), 15,
                      "the confirmation")[0].text.split(": ")[1]
        # validate: the same key twice, the second answer a replay of the first order
        calls = driver.execute_script("return window.orderCalls")
        assert [status for _, status in calls] == [201, 200], calls
        assert calls[0][0] == calls[1][0] and len(calls[0][0]) == 36, calls
        listed = orders(shop)
        assert listed["total"] == before + 1
        assert listed["items"][0]["number"] == number
    finally:
        driver.quit()


def test_the_cart_and_checkout_form_in_french_at_320_px_have_no_serious_accessibility_violation(shop):
    driver = browser(lang="fr-FR")
    try:
        phone(driver, 320, 640)
        add_to_cart(driver, shop)
        chip = driver.execute_script("const r = document.querySelector('.cart').getBoundingClientRect(); return [r.left, r.right]")
        assert 0 <= chip[0] and chip[1] <= 320, f"the cart chip is off the screen: {chip}"
        # MUT: the open cart
        dialog = open_cart(driver)
        assert "dont TVA 20 %" in dialog.text and "Total TTC" in dialog.text
        assert not serious_violations(driver)
        # the checkout form
        dialog.find_element(By.CSS_SELECTOR, ".primary").click()
        form = wait(lambda: dialog.find_elements(By.CSS_SELECTOR, "form.checkout-form"), 5, "the form")[0]
        assert "Payer plus tard ou en boutique" in form.text
        shot(driver, "checkout-form-phone-320-fr.png")
        assert not serious_violations(driver)
        # validate: every control labelled, nothing wider than the screen
        unlabelled = driver.execute_script("""
          return [...arguments[0].querySelectorAll('input, select')].filter((c) => !c.labels.length).map((c) => c.outerHTML);
        """, form)
        assert not unlabelled, unlabelled
        overflow = driver.execute_script(
            "const d = arguments[0]; return [d.scrollWidth - d.clientWidth, document.documentElement.scrollWidth - innerWidth,"
            " document.querySelector('main').scrollWidth - innerWidth]", dialog)
        assert max(overflow) <= 0, f"wider than the screen (dialog, page, player): {overflow}"
        # keyboard: Tab reaches the submit button, Escape closes the dialog
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        for _ in range(40):
            if driver.switch_to.active_element == submit:
                break
            driver.switch_to.active_element.send_keys(Keys.TAB)
        assert driver.switch_to.active_element == submit
        driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        wait(lambda: not driver.find_elements(By.CSS_SELECTOR, "dialog.checkout[open]"), 5, "closed")
    finally:
        driver.quit()


def test_a_line_sold_out_during_checkout_is_named_and_the_cart_refreshed(shop):
    driver = browser()
    try:
        phone(driver, 360, 740)
        add_to_cart(driver, shop)
        form = open_checkout(driver)
        fill_form(form)
        before = orders(shop)["total"]
        # MUT: the shop's stock drops to nothing before the viewer places the order
        r = shop["owner"].request("POST", f"/api/brands/{shop['brand']}/stock",
                                  json={"items": [{"sku": "PULL-M", "quantity": 0}]})
        assert r.status_code == 200, r.text
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # validate: the line is named, marked not available; no order
        message = wait(lambda: form.find_element(By.CSS_SELECTOR, ".form-error").text, 8, "the stock error")
        assert message == "“Pull en cachemire” is sold out: remove it from your cart.", message
        summary = form.find_element(By.CSS_SELECTOR, ".summary").text
        assert "Not available" in summary and "sold out" in summary, summary
        assert orders(shop)["total"] == before
    finally:
        driver.quit()
        shop["owner"].request("POST", f"/api/brands/{shop['brand']}/stock",
                              json={"items": [{"sku": "PULL-M", "quantity": 5}]})
