"""Card payment in the player's checkout, in a real headless Chromium against `vitrine serve` and a
fake Stripe (tests/e2e/fake_stripe.py: the API, its signed webhooks, and tests/e2e/fake_stripe.js
standing in for Stripe.js and its Payment Element). The shop is test_checkout's: one product in a
live show's lineup, 5 units, €39.00 in the show plus €4.90 home delivery; the brand has its Stripe
keys. Screenshots go to the test output directory."""
import mailbox
import os
import re
from email import message_from_bytes, policy

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from fake_stripe import FakeStripe
from test_checkout import (LOSE_FIRST_ORDER_ANSWER, add_to_cart, fill_form, lineup_stock, open_checkout,
                           orders, running_shop, serious_violations, shown)
from test_live_video import wait
from test_mail import wait_for_mail
from test_player import browser, phone, shot

CONFIRMATION = "dialog.checkout .checkout-body > .order-number"


@pytest.fixture(scope="module")
def shop():
    """test_checkout's shop, its server pointed at the fake Stripe, the brand's keys set."""
    fake = FakeStripe()
    try:
        with running_shop({"VITRINE_STRIPE_API": fake.url, "VITRINE_STRIPE_JS": fake.url + "/v3/"}) as running:
            r = running["owner"].request("PUT", f"/api/brands/{running['brand']}/payments/stripe", json={
                "publishableKey": fake.publishable_key, "secretKey": fake.secret_key,
                "webhookSecret": fake.webhook_secret})
            assert r.status_code == 200, r.text
            fake.webhook_url = r.json()["webhookUrl"]
            yield {**running, "stripe": fake}
    finally:
        fake.close()


def order_numbered(shop, number):
    return next(o for o in orders(shop)["items"] if o["number"] == number)


def intents_of(shop, number):
    """The PaymentIntents made at the fake Stripe for an order, and the confirmations sent for them."""
    fake = shop["stripe"]
    created = [r for r in fake.requests if (r["method"], r["path"]) == ("POST", "/v1/payment_intents")
               and r["form"].get("metadata[vitrine_order_number]") == number]
    ids = {i["id"] for i in fake.intents.values() if i["metadata"].get("vitrine_order_number") == number}
    confirms = [r for r in fake.requests if r["path"].endswith("/confirm") and r["path"].split("/")[3] in ids]
    return created, ids, confirms


def mails_about(maildir, number):
    """The e-mails received so far about an order (no waiting)."""
    if not os.path.isdir(maildir):
        return []
    found = [message_from_bytes(m.as_bytes(), policy=policy.default) for m in mailbox.Maildir(maildir, create=False)]
    return [m for m in found if number in m["Subject"]]


def spaced(text):
    """Text with its no-break spaces (French money, punctuation) as plain spaces."""
    return re.sub(r"\s", " ", text)


def payment_step(driver):
    """Waits for the Payment Element; returns (the step, its card choice, its Pay button, the order number)."""
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, "dialog.checkout .payment-element select[name=fake-card]"), 15,
         "the Payment Element")
    step = driver.find_element(By.CSS_SELECTOR, "dialog.checkout .payment")
    number = step.find_element(By.CSS_SELECTOR, ".order-number").text.split(": ")[-1].strip()
    return (step, Select(step.find_element(By.CSS_SELECTOR, "select[name=fake-card]")),
            step.find_element(By.CSS_SELECTOR, "button[data-key=pay]"), number)


def test_a_declined_card_can_be_retried_and_a_visa_pays_the_one_order_which_is_then_confirmed_by_email(shop):
    driver = browser()
    try:
        phone(driver, 360, 740)
        before = orders(shop)["total"]
        add_to_cart(driver, shop)
        form = open_checkout(driver)
        # setup: the card is offered first, paying later still possible
        assert form.find_element(By.CSS_SELECTOR, "input[name=payment][value=stripe]").is_selected()
        assert not form.find_element(By.CSS_SELECTOR, "input[name=payment][value=later]").is_selected()
        assert "Card" in form.text and "Pay later or in store" in form.text
        fill_form(form)
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        assert submit.text == "Place the order and pay"
        shot(driver, "checkout-card-form-phone.png")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
        submit.click()
        # the payment step: the order's number and total, the Payment Element, "Pay €43.90"
        step, card, pay, number = payment_step(driver)
        assert re.fullmatch(r"\S+", number), number
        assert "To pay: €43.90, VAT included" in step.text, step.text
        assert pay.text == "Pay €43.90" and pay.is_enabled()
        assert driver.find_element(By.CSS_SELECTOR, "dialog.checkout h2").text == "Card payment"
        placed = order_numbered(shop, number)
        assert (placed["status"], placed["payment"], placed["total"]["amount"]) == ("awaiting_payment", "stripe", 4390)
        shot(driver, "checkout-card-payment-phone.png")

        # MUT: a declined card
        card.select_by_visible_text("Declined card")
        pay.click()
        error = wait(lambda: shown(driver, "dialog.checkout .payment .form-error"), 10, "the decline")
        # validate: Stripe's words next to the element; the same order, still waiting; Pay again
        assert error == "Your card was declined.", error
        wait(lambda: pay.is_enabled(), 5, "Pay enabled again")
        listed = orders(shop)
        assert listed["total"] == before + 1, listed
        assert order_numbered(shop, number)["status"] == "awaiting_payment"
        assert not mails_about(shop["maildir"], number), "no confirmation before the payment"
        shot(driver, "checkout-card-declined-phone.png")

        # MUT: a Visa, Pay double-clicked
        card.select_by_value("pm_card_visa")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", pay)
        ActionChains(driver).double_click(pay).perform()
        confirmation = wait(lambda: driver.find_elements(By.CSS_SELECTOR, CONFIRMATION), 15, "the confirmation")[0]
        # validate: the confirmation; the cart spent
        dialog = driver.find_element(By.CSS_SELECTOR, "dialog.checkout")
        assert confirmation.text == f"Order number: {number}"
        for text in ("Thank you for your order!", "Total: €43.90, VAT included", "Payment received.",
                     "A confirmation e-mail is on its way to camille@example.fr."):
            assert text in dialog.text, dialog.text
        assert not driver.find_element(By.CSS_SELECTOR, ".cart").is_displayed(), "the cart is empty: no chip"
        shot(driver, "checkout-card-paid-phone.png")
    finally:
        driver.quit()
    # validate: the order paid (by Stripe's webhook), one order, one PaymentIntent, one successful confirm
    wait(lambda: order_numbered(shop, number)["status"] == "paid", 15, "the order paid")
    assert orders(shop)["total"] == before + 1
    created, ids, confirms = intents_of(shop, number)
    assert len(created) == 1 and len(ids) == 1, (created, ids)
    intent = shop["stripe"].intents[ids.pop()]
    assert (intent["status"], intent["amount"], intent["currency"]) == ("succeeded", 4390, "eur"), intent
    assert [c["form"]["payment_method"] for c in confirms] == ["pm_card_chargeDeclined", "pm_card_visa"], confirms
    assert all(c["key"] == shop["stripe"].publishable_key for c in confirms), "Stripe.js uses the publishable key"
    mails = wait(lambda: [m for m in wait_for_mail(shop["maildir"]) if number in m["Subject"]], 40,
                 "the confirmation e-mail")
    assert len(mails) == 1, [m["Subject"] for m in mails]
    assert mails[0]["To"] == "camille@example.fr"
    text = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert "Payment: received by card." in text and "€43.90" in text, text
    wait(lambda: lineup_stock(shop)["available"] == 4, 5, "4 left")


def test_in_french_a_lost_answer_is_retried_into_the_same_order_and_payment_and_the_step_is_accessible(shop):
    driver = browser(lang="fr-FR")
    try:
        phone(driver, 320, 640)
        add_to_cart(driver, shop)
        form = open_checkout(driver)
        assert "Carte bancaire" in form.text and "Payer plus tard ou en boutique" in form.text
        # choosing "later" and back changes the button and the hint
        form.find_element(By.CSS_SELECTOR, "input[name=payment][value=later]").click()
        assert form.find_element(By.CSS_SELECTOR, "button[type=submit]").text == "Valider la commande"
        form.find_element(By.CSS_SELECTOR, "input[name=payment][value=stripe]").click()
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        assert submit.text == "Valider la commande et payer"
        fill_form(form)
        before = orders(shop)["total"]
        driver.execute_script(LOSE_FIRST_ORDER_ANSWER)
        # MUT: the card order is written, its answer lost; the buyer tries again
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
        submit.click()
        message = wait(lambda: form.find_element(By.CSS_SELECTOR, ".form-error").text, 8, "the network error")
        assert message.startswith("Le serveur n’a pas répondu"), message
        submit.click()
        step, card, pay, number = payment_step(driver)
        # validate: one key, answered 201 then 200 with the same payment; one order, one PaymentIntent
        calls = driver.execute_script("return window.orderCalls")
        assert [status for _, status in calls] == [201, 200] and calls[0][0] == calls[1][0], calls
        assert orders(shop)["total"] == before + 1
        created, ids, _ = intents_of(shop, number)
        assert len(created) == 1 and len(ids) == 1, (created, ids)
        assert "À payer : 43,90 € TTC" in spaced(step.text), step.text
        assert spaced(pay.text) == "Payer 43,90 €"
        assert driver.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "fr"
        shot(driver, "checkout-card-payment-phone-320-fr.png")
        assert not serious_violations(driver)
        overflow = driver.execute_script(
            "const d = document.querySelector('dialog.checkout'); return [d.scrollWidth - d.clientWidth,"
            " document.documentElement.scrollWidth - innerWidth]")
        assert max(overflow) <= 0, f"wider than the screen (dialog, page): {overflow}"
        # closed and opened again from the cart chip: the same step, the element still there
        driver.find_element(By.CSS_SELECTOR, "dialog.checkout .close").click()
        wait(lambda: not driver.find_elements(By.CSS_SELECTOR, "dialog.checkout[open]"), 5, "closed")
        driver.find_element(By.CSS_SELECTOR, ".cart").click()
        step, card, pay, again = payment_step(driver)
        assert again == number
        card.select_by_value("pm_card_visa")
        pay.click()
        wait(lambda: driver.find_elements(By.CSS_SELECTOR, CONFIRMATION), 15, "the confirmation")
        dialog = driver.find_element(By.CSS_SELECTOR, "dialog.checkout")
        assert f"Numéro de commande : {number}" in spaced(dialog.text) and "Paiement reçu." in dialog.text, dialog.text
    finally:
        driver.quit()
    wait(lambda: order_numbered(shop, number)["status"] == "paid", 15, "the order paid")
    assert len(intents_of(shop, number)[2]) == 1, "one confirmation"
    mails = wait(lambda: [m for m in wait_for_mail(shop["maildir"]) if number in m["Subject"]], 40,
                 "the confirmation e-mail")
    text = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert "Paiement : reçu par carte." in text, text
