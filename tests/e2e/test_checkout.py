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


# MARK: Promo codes. Only codes (they apply when typed) are left behind: the other tests' totals stay
# as they are; the live's automatic offer is deleted by the test that makes it.

def promotion(shop, **fields):
    """A promotion of the shop's brand (the owner's API); returns its id."""
    r = shop["owner"].request("POST", f"/api/brands/{shop['brand']}/promotions", json=fields)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def restock(shop, quantity):
    """The shop pushes its stock of the product (the tests before hold or sold all 5 units)."""
    r = shop["owner"].request("POST", f"/api/brands/{shop['brand']}/stock",
                              json={"items": [{"sku": "PULL-M", "quantity": quantity}]})
    assert r.status_code == 200, r.text
    # Pages read the lineup from a cache of 2 s: wait until it shows units to buy (when there are),
    # or a page loaded now could still say "all reserved" and its Add button be off.
    if quantity >= 10:
        wait(lambda: (lineup_stock(shop) or {}).get("available", 0) > 0, 10, "the lineup's new stock")


def no_break(text):
    """Text with its no-break spaces (French money and punctuation) as plain spaces, its lines kept."""
    return re.sub(r"[\u00a0\u202f]", " ", text or "")


def test_a_promo_code_is_refused_below_its_minimum_then_takes_15_percent_off_the_order_and_its_email(shop):
    # setup: LIVE15, 15 % off orders of €50 or more (one unit is €39.00 in the show)
    promotion(shop, code="LIVE15", percentOff=15, minimumOrder={"amount": 5000, "currency": "EUR"})
    restock(shop, 20)
    driver = browser()
    try:
        phone(driver, 360, 740)
        before = orders(shop)["total"]
        add_to_cart(driver, shop)
        dialog = open_cart(driver)
        assert dialog.find_element(By.CSS_SELECTOR, ".promo label").text == "Promo code"
        assert dialog.find_element(By.CSS_SELECTOR, ".promo-apply").text == "Apply"
        code = dialog.find_element(By.CSS_SELECTOR, ".promo input")
        # MUT: a code the brand does not have
        code.send_keys("nope", Keys.ENTER)
        wait(lambda: shown(driver, "dialog.checkout .promo-note") == "This code does not exist.", 5, "the unknown code")
        assert code.get_attribute("aria-invalid") == "true"
        assert not dialog.find_elements(By.CSS_SELECTOR, ".totals .discount")
        # MUT: LIVE15 typed in lower case, one unit: below its minimum
        code.clear()
        code.send_keys("live15")
        dialog.find_element(By.CSS_SELECTOR, ".promo-apply").click()
        wait(lambda: (shown(driver, "dialog.checkout .promo-state p") or "").startswith("Code LIVE15:"), 5, "the refusal")
        assert shown(driver, "dialog.checkout .promo-state p") == \
            "Code LIVE15: Your order is below this code’s minimum: add to your cart to use it."
        assert shown(driver, "dialog.checkout .promo-note") == "", "the unknown code's message is gone"
        assert not dialog.find_elements(By.CSS_SELECTOR, ".totals .discount"), "no discount below the minimum"
        assert "Total, VAT included\n€43.90" in shown(driver, "dialog.checkout .totals")
        # MUT: two units (€78.00) reach the minimum
        dialog.find_element(By.CSS_SELECTOR, "button[aria-label^='One more']").click()
        wait(lambda: shown(driver, "dialog.checkout .totals dd.discount") == "−€11.70", 5, "the discount")
        totals = shown(driver, "dialog.checkout .totals")
        for text in ("Subtotal\n€78.00", "LIVE15 -15 %\n−€11.70", "Home delivery\n€4.90", "Total, VAT included\n€71.20"):
            assert text in totals, totals
        assert shown(driver, "dialog.checkout .promo-state p") == "Code LIVE15 applied."
        assert code.get_attribute("aria-invalid") is None
        assert dialog.find_element(By.CSS_SELECTOR, ".promo-remove").get_attribute("aria-label") == "Remove the code LIVE15"
        shot(driver, "checkout-promo-cart-phone.png")
        # the checkout summary says the same
        dialog.find_element(By.CSS_SELECTOR, ".primary").click()
        form = wait(lambda: dialog.find_elements(By.CSS_SELECTOR, "form.checkout-form"), 5, "the form")[0]
        summary = form.find_element(By.CSS_SELECTOR, ".summary").text
        for text in ("2 × Pull en cachemire (M)", "LIVE15 -15 %\n−€11.70", "Total, VAT included\n€71.20"):
            assert text in summary, summary
        fill_form(form)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        number = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.checkout .order-number"), 15,
                      "the confirmation")[0].text.split(": ")[1]
        assert "Total: €71.20, VAT included" in dialog.text and "You saved €11.70." in dialog.text, dialog.text
    finally:
        driver.quit()
        restock(shop, 5)
    # validate: one order with the code and its discount, and the e-mail says it
    listed = orders(shop)
    assert listed["total"] == before + 1
    order = next(o for o in listed["items"] if o["number"] == number)
    assert (order["promotionCode"], order["discount"]["amount"], order["subtotal"]["amount"], order["total"]["amount"]) \
        == ("LIVE15", 1170, 7800, 7120), order
    mails = wait(lambda: [m for m in wait_for_mail(shop["maildir"]) if number in m["Subject"]], 40,
                 "the confirmation e-mail")
    text = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert "Discount : -€11.70" in text and "€71.20" in text, text


def test_in_french_the_live_offer_applies_by_itself_and_a_code_the_order_refuses_can_be_taken_off(shop):
    # setup: the live's automatic offer (10 %) and a code (20 %) that applies for now
    offer = promotion(shop, showId=shop["show"], percentOff=10, title="Offre du live")
    code_id = promotion(shop, code="BIENTOT", percentOff=20)
    restock(shop, 20)
    driver = browser(lang="fr-FR")
    try:
        phone(driver, 320, 640)
        before = orders(shop)["total"]
        add_to_cart(driver, shop)
        dialog = open_cart(driver)
        # the live's offer, with no code typed: 10 % of €39.00
        totals = no_break(shown(driver, "dialog.checkout .totals"))
        assert "Offre du live\n−3,90 €" in totals and "Total TTC\n40,00 €" in totals, totals
        assert dialog.find_element(By.CSS_SELECTOR, ".promo label").text == "Code promo"
        assert dialog.find_element(By.CSS_SELECTOR, ".promo-apply").text == "Appliquer"
        assert not dialog.find_element(By.CSS_SELECTOR, ".promo-state").is_displayed(), "no code: nothing to remove"
        # a code typed takes the offer's place
        code = dialog.find_element(By.CSS_SELECTOR, ".promo input")
        code.send_keys("bientot", Keys.ENTER)
        wait(lambda: no_break(shown(driver, "dialog.checkout .totals dd.discount")) == "−7,80 €", 5, "the code's discount")
        totals = no_break(shown(driver, "dialog.checkout .totals"))
        assert "BIENTOT -20 %\n−7,80 €" in totals and "Offre du live" not in totals, totals
        assert shown(driver, "dialog.checkout .promo-state p") == "Code BIENTOT appliqué."
        shot(driver, "checkout-promo-cart-phone-320-fr.png")
        assert not serious_violations(driver)
        overflow = driver.execute_script("const d = arguments[0]; return d.scrollWidth - d.clientWidth", dialog)
        assert overflow <= 0, f"the cart is wider than the screen: {overflow}"
        dialog.find_element(By.CSS_SELECTOR, ".primary").click()
        form = wait(lambda: dialog.find_elements(By.CSS_SELECTOR, "form.checkout-form"), 5, "the form")[0]
        fill_form(form)
        # MUT: the brand moves the code's start to tomorrow before the order is placed
        tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        r = shop["owner"].request("PATCH", f"/api/brands/{shop['brand']}/promotions/{code_id}", json={"startsAt": tomorrow})
        assert r.status_code == 200, r.text
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
        submit.click()
        # validate: the reason in the summary, a way to take the code off; no order
        wait(lambda: shown(driver, "dialog.checkout .summary .promo-refused .form-error"), 8, "the code refused")
        assert shown(driver, "dialog.checkout .summary .promo-refused .form-error") == "Ce code n’est pas encore valable."
        general = form.find_element(By.CSS_SELECTOR, "form.checkout-form > .form-error").text
        assert general.startswith("Votre commande n’a pas été passée"), general
        remove = form.find_element(By.CSS_SELECTOR, ".promo-refused button")
        assert remove.text == "Retirer le code" and driver.switch_to.active_element == remove
        assert orders(shop)["total"] == before
        shot(driver, "checkout-promo-refused-phone-320-fr.png")
        # MUT: the code taken off, the order placed again: the live's offer applies
        remove.click()
        wait(lambda: "Offre du live" in (shown(driver, "dialog.checkout .summary") or ""), 5, "the offer back")
        summary = no_break(shown(driver, "dialog.checkout .summary"))
        assert "Offre du live\n−3,90 €" in summary and "Total TTC\n40,00 €" in summary, summary
        assert not form.find_elements(By.CSS_SELECTOR, ".promo-refused")
        assert form.find_element(By.CSS_SELECTOR, "form.checkout-form > .form-error").text == ""
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        number = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.checkout .order-number"), 15,
                      "the confirmation")[0].text.split(": ")[-1].strip()
        text = no_break(dialog.text)
        assert "Total : 40,00 € TTC" in text and "Vous économisez 3,90 €." in text, text
    finally:
        driver.quit()
        restock(shop, 5)
        # the offer goes (turned off, once used): the other tests' totals are the lineup's
        deleted = [shop["owner"].request("DELETE", f"/api/brands/{shop['brand']}/promotions/{promotion_id}")
                   for promotion_id in (offer, code_id)]
    assert all(r.status_code in (200, 204) for r in deleted), [r.text for r in deleted]
    order = next(o for o in orders(shop)["items"] if o["number"] == number)
    assert (order.get("promotionCode"), order["discount"]["amount"], order["total"]["amount"]) == (None, 390, 4000), order


# MARK: Picking up in store. The stores are made by the tests that use them and turned off after:
# the other tests' checkouts have no delivery choice and €4.90 of home delivery.

MARAIS = {"name": "Boutique du Marais",
          "address": {"line1": "8 rue de Turenne", "postalCode": "75004", "city": "Paris", "country": "FR"},
          "openingHours": [{"day": "sat", "opens": "10:00", "closes": "18:00"},
                           {"day": "mon", "opens": "14:00", "closes": "19:00"},
                           {"day": "mon", "opens": "10:00", "closes": "12:30"}]}
LYON = {"name": "Boutique de Lyon",
        "address": {"line1": "2 quai Saint-Antoine", "postalCode": "69002", "city": "Lyon", "country": "FR"},
        "openingHours": [{"day": "tue", "opens": "10:00", "closes": "19:00"}]}


def pickup_store(shop, body):
    """A pick-up store of the shop's brand (the owner's API); returns its id."""
    r = shop["owner"].request("POST", f"/api/brands/{shop['brand']}/pickup-stores", json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def turn_off(shop, store_ids):
    """Deletes the stores (an unused one goes, one an order names is turned off); a gone one is fine."""
    codes = [shop["owner"].request("DELETE", f"/api/brands/{shop['brand']}/pickup-stores/{i}").status_code
             for i in store_ids]
    assert all(code in (200, 204, 404) for code in codes), codes


def order_by_number(shop, number):
    """The order as the brand's team sees it (GET /orders/{id})."""
    found = next(o for o in orders(shop)["items"] if o["number"] == number)
    r = shop["owner"].request("GET", f"/api/brands/{shop['brand']}/orders/{found['id']}")
    assert r.status_code == 200, r.text
    return r.json()


def displayed(form, css):
    return form.find_element(By.CSS_SELECTOR, css).is_displayed()


def test_a_buyer_picks_the_order_up_in_store_free_of_delivery_and_the_email_names_the_store(shop):
    # setup: one store, made before the player loads (its boot data lists the brand's stores)
    store = pickup_store(shop, MARAIS)
    restock(shop, 20)
    driver = browser()
    try:
        phone(driver, 360, 740)
        add_to_cart(driver, shop)
        form = open_checkout(driver)
        # the delivery choice: home delivery at €4.90 by default, picking up free; no store shown yet
        home = form.find_element(By.CSS_SELECTOR, "input[name=delivery][value=home]")
        pickup = form.find_element(By.CSS_SELECTOR, "input[name=delivery][value=pickup]")
        assert home.is_selected() and not pickup.is_selected()
        labels = [label.text for label in form.find_elements(By.CSS_SELECTOR, ".delivery > fieldset > label.choice")]
        assert labels == ["Home delivery\n€4.90", "Pick up in store\nFree"], labels
        assert not displayed(form, ".pickup-stores") and displayed(form, "[data-field='address.line1']")
        fill_form(form)
        assert "Total, VAT included\n€43.90" in shown(driver, "dialog.checkout .summary")
        # MUT: pick up in store
        pickup.find_element(By.XPATH, "..").click()
        # validate: the store with its hours (Monday's two ranges in order), chosen as the only one;
        # the address gone, the summary without delivery
        wait(lambda: displayed(form, ".pickup-stores"), 5, "the stores")
        choice = form.find_element(By.CSS_SELECTOR, "label.store")
        assert choice.text == ("Boutique du Marais\n8 rue de Turenne, 75004 Paris\n"
                               "Mon 10:00–12:30, 14:00–19:00\nSat 10:00–18:00"), choice.text
        assert choice.find_element(By.CSS_SELECTOR, "input[name=pickupStoreId]").is_selected()
        assert not displayed(form, "[data-field='address.line1']")
        assert not control(form, "address.line1").is_enabled()
        summary = no_break(shown(driver, "dialog.checkout .summary"))
        for text in ("Pick up in store\nFree", "Total, VAT included\n€39.00", "of which VAT 20 %\n€6.50"):
            assert text in summary, summary
        assert "€4.90" not in summary and "Home delivery" not in summary, summary
        shot(driver, "checkout-pickup-phone.png")
        # back to home delivery and to picking up again: the summary follows
        home.find_element(By.XPATH, "..").click()
        wait(lambda: "Total, VAT included\n€43.90" in shown(driver, "dialog.checkout .summary"), 5, "home delivery again")
        assert displayed(form, "[data-field='address.line1']") and not displayed(form, ".pickup-stores")
        pickup.find_element(By.XPATH, "..").click()
        wait(lambda: "Total, VAT included\n€39.00" in shown(driver, "dialog.checkout .summary"), 5, "picking up again")
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
        submit.click()
        number = wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.checkout .order-number"), 15,
                      "the confirmation")[0].text.split(": ")[1]
        text = no_break(driver.find_element(By.CSS_SELECTOR, "dialog.checkout").text)
        for said in ("Total: €39.00, VAT included", "of which VAT 20 %: €6.50",
                     "Pick-up in store: Boutique du Marais, 8 rue de Turenne, 75004 Paris."):
            assert said in text, text
    finally:
        driver.quit()
        restock(shop, 5)
        turn_off(shop, [store])
    # validate: the order is picked up at the store, without delivery nor address; its e-mail says where
    order = order_by_number(shop, number)
    assert (order["delivery"], order["pickupStoreId"].lower()) == ("pickup", store.lower()), order
    assert (order["deliveryPrice"]["amount"], order["total"]["amount"]) == (0, 3900), order
    assert order.get("address") is None, order
    assert [(v["rate"], v["vat"]["amount"]) for v in order["vat"]] == [(2000, 650)], order
    mails = wait(lambda: [m for m in wait_for_mail(shop["maildir"]) if number in m["Subject"]], 40,
                 "the confirmation e-mail")
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert "Pick-up in store: Boutique du Marais, 8 rue de Turenne, 75004 Paris." in body, body
    assert "€39.00" in body and "€4.90" not in body, body


def test_in_french_a_store_turned_off_meanwhile_is_refused_next_to_the_stores_and_another_one_is_chosen(shop):
    # setup: two stores, made before the player loads
    marais, lyon = pickup_store(shop, MARAIS), pickup_store(shop, LYON)
    restock(shop, 20)
    driver = browser(lang="fr-FR")
    try:
        phone(driver, 320, 640)
        before = orders(shop)["total"]
        add_to_cart(driver, shop)
        form = open_checkout(driver)
        for field, value in (("email", "camille@example.fr"), ("name", "Camille Martin")):
            control(form, field).send_keys(value)
        control(form, "acceptTerms").click()
        form.find_element(By.CSS_SELECTOR, "input[name=delivery][value=pickup]").find_element(By.XPATH, "..").click()
        shown_stores = wait(lambda: [s for s in form.find_elements(By.CSS_SELECTOR, "label.store") if s.is_displayed()], 5,
                            "the stores")
        stores = {s.find_element(By.CSS_SELECTOR, ".store-name").text: s for s in shown_stores}
        # two stores: none chosen for the buyer; the days in French
        assert sorted(stores) == ["Boutique de Lyon", "Boutique du Marais"], list(stores)
        assert not any(s.find_element(By.CSS_SELECTOR, "input").is_selected() for s in shown_stores)
        assert [e.text for e in stores["Boutique du Marais"].find_elements(By.CSS_SELECTOR, ".store-hours")] == \
            ["Lun. 10:00–12:30, 14:00–19:00", "Sam. 10:00–18:00"]
        summary = no_break(shown(driver, "dialog.checkout .summary"))
        assert "Retrait en boutique\nGratuit" in summary and "Total TTC\n39,00 €" in summary, summary
        shot(driver, "checkout-pickup-phone-320-fr.png")
        assert not serious_violations(driver)
        overflow = driver.execute_script("const d = document.querySelector('dialog.checkout'); return d.scrollWidth - d.clientWidth")
        assert overflow <= 0, f"the form is wider than the screen: {overflow}"
        stores["Boutique de Lyon"].click()
        # MUT: the brand deletes the Lyon store before the order is placed
        turn_off(shop, [lyon])
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
        submit.click()
        # validate: the refusal next to the stores, the list marked and focused; no order
        wait(lambda: field_error(form, "pickupStoreId"), 8, "the store's error")
        assert field_error(form, "pickupStoreId") == \
            "Cette boutique ne propose plus le retrait : choisissez-en une autre, ou la livraison à domicile."
        group = control(form, "pickupStoreId")
        assert group.get_attribute("aria-invalid") == "true" and driver.switch_to.active_element == group
        assert orders(shop)["total"] == before
        # MUT: the Marais store instead
        stores["Boutique du Marais"].click()
        submit.click()
        wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.checkout .order-number"), 15, "the confirmation")
        text = no_break(driver.find_element(By.CSS_SELECTOR, "dialog.checkout").text)
        number = re.search(r"Numéro de commande : (\S+)", text).group(1)
        assert "Retrait en boutique : Boutique du Marais, 8 rue de Turenne, 75004 Paris." in text, text
        assert "Total : 39,00 € TTC" in text, text
    finally:
        driver.quit()
        restock(shop, 5)
        turn_off(shop, [marais, lyon])
    order = order_by_number(shop, number)
    assert (order["delivery"], order["pickupStoreId"].lower(), order["deliveryPrice"]["amount"]) == \
        ("pickup", marais.lower(), 0), order
    mails = wait(lambda: [m for m in wait_for_mail(shop["maildir"]) if number in m["Subject"]], 40,
                 "the confirmation e-mail")
    body = no_break(mails[0].get_body(preferencelist=("plain",)).get_content())
    assert "Retrait en boutique : Boutique du Marais, 8 rue de Turenne, 75004 Paris." in body, body
