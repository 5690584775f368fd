"""The Stripe provider against a local server that answers as Stripe's API documentation describes
(fake_stripe.py): a brand's keys checked, sealed and shown masked; a card order holding its stock
until Stripe's signed webhook confirms it (forged, stale or tampered webhooks refused and nothing
changed); a payment that arrives after its hold expired takes what is left, or is refunded in full
and the buyer told; refunds and cancellations through Stripe, once each."""
import json
import os
import stat
import time

import pytest
import requests

from conftest import Server, free_port
from fake_stripe import FakeStripe, sign
from test_mail import mail_env, smtp, wait_for_subject  # noqa: F401 (smtp is a fixture)
from test_orders import order_body, place, seed

HOLD_SECONDS = 2


@pytest.fixture
def fake():
    stripe = FakeStripe()
    yield stripe
    stripe.close()


@pytest.fixture
def shop(data_dir, smtp, fake):
    """A server whose Stripe is the fake, holds lasting 2 s, e-mail to the test's SMTP server; a
    brand on Vitrine's checkout with a perfume (stock 3) and its Stripe keys."""
    port = free_port()
    server = Server(data_dir, port, env=mail_env(smtp, **{
        "VITRINE_STRIPE_API": fake.url, "VITRINE_STRIPE_JS": fake.url + "/v3/",
        "VITRINE_ORDERS_HOLD_SECONDS": str(HOLD_SECONDS), "VITRINE_PUBLIC_URL": f"http://127.0.0.1:{port}"}))
    try:
        sale = seed(server, stock=3)
        owner, brand = sale["owner"], sale["brand"]
        assert owner.request("PATCH", f"/api/brands/{brand}", json={"cartMode": "vitrine"}).status_code == 200
        r = owner.request("PUT", f"/api/brands/{brand}/payments/stripe", json=keys(fake))
        assert r.status_code == 200, r.text
        fake.webhook_url = r.json()["webhookUrl"]
        yield {**sale, "server": server, "maildir": smtp["maildir"], "fake": fake}
    finally:
        server.stop()


def keys(fake, **change):
    return {"publishableKey": fake.publishable_key, "secretKey": fake.secret_key,
            "webhookSecret": fake.webhook_secret, **change}


def stock(shop):
    """The variant's stock as Vitrine counts it (the brand's view, not cached)."""
    r = shop["owner"].request("GET", f"/api/brands/{shop['brand']}/variants/{shop['variant']}/stock")
    assert r.status_code == 200, r.text
    return r.json()


def left(shop):
    return stock(shop)["available"]


def admin_order(shop, order_id):
    r = shop["owner"].request("GET", f"/api/brands/{shop['brand']}/orders/{order_id}")
    assert r.status_code == 200, r.text
    return r.json()


def wait_until(check, timeout=15, what="the change"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen in {timeout} s")


def card_order(shop, key, quantity=1, email="lea@example.com"):
    r = place(shop["server"].url, shop, order_body(shop, email=email, quantity=quantity, payment="stripe"), key)
    assert r.status_code == 201, r.text
    placed = r.json()
    intent = shop["fake"].intents[placed["payment"]["clientSecret"].split("_secret_")[0]]
    return placed["order"], placed["payment"], intent


def test_the_keys_are_checked_kept_sealed_and_shown_masked(data_dir, fake):
    port = free_port()
    server = Server(data_dir, port, env={"VITRINE_STRIPE_API": fake.url, "VITRINE_PUBLIC_URL": f"http://127.0.0.1:{port}"})
    try:
        sale = seed(server, stock=3)
        owner, brand = sale["owner"], sale["brand"]
        url = f"/api/brands/{brand}/payments/stripe"
        before = owner.request("GET", url).json()
        assert before["configured"] is False and before["webhookUrl"].endswith(f"/payments/stripe/{brand.lower()}/webhook")
        # Keys of the wrong kind, of two modes, or that Stripe refuses: clear 422s, nothing kept.
        for change, code, field in [
            ({"publishableKey": "sk_test_notpublishable"}, "invalid_field", "publishableKey"),
            ({"secretKey": "sk_live_mixedmodes1234"}, "mixed_modes", "secretKey"),
            ({"webhookSecret": None}, "missing_field", "webhookSecret"),
            ({"secretKey": "sk_test_wrongwrong9999"}, "invalid_key", "secretKey"),
        ]:
            r = owner.request("PUT", url, json=keys(fake, **change))
            assert r.status_code == 422, r.text
            assert (r.json()["error"]["code"], r.json()["error"]["field"]) == (code, field)
        assert owner.request("GET", url).json()["configured"] is False
        # Kept: shown masked, once and ever after.
        r = owner.request("PUT", url, json=keys(fake))
        assert r.status_code == 200, r.text
        for view in (r.json(), owner.request("GET", url).json()):
            assert view["configured"] is True and view["mode"] == "test"
            assert view["publishableKey"] == fake.publishable_key
            assert view["secretKeyHint"] == "sk_test_…" + fake.secret_key[-4:]
            assert view["webhookSecretHint"] == "whsec_…" + fake.webhook_secret[-4:]
            assert fake.secret_key not in json.dumps(view) and fake.webhook_secret not in json.dumps(view)
        # Sealed at rest, under a key outside the database; never logged.
        stored = b""
        for name in os.listdir(data_dir):
            if name.startswith("vitrine.sqlite"):
                with open(os.path.join(data_dir, name), "rb") as f:
                    stored += f.read()
        assert fake.publishable_key.encode() in stored, "the database was read"
        assert fake.secret_key.encode() not in stored and fake.webhook_secret.encode() not in stored
        mode = os.stat(os.path.join(data_dir, "secrets.key")).st_mode
        assert stat.S_IMODE(mode) == 0o600
        # The key Stripe got is the one typed; the player's page now offers cards.
        assert fake.requests[-1]["key"] == fake.secret_key
        # Removed: card orders are refused with a clear error, pay later still works.
        assert owner.request("DELETE", url).status_code == 204
        r = place(server.url, sale, order_body(sale, payment="stripe"))
        assert r.status_code == 422 and r.json()["error"]["code"] == "payment_unavailable", r.text
        assert left(sale) == 3
        log = server.output()
        assert fake.secret_key not in log and fake.webhook_secret not in log
    finally:
        server.stop()


def test_a_card_order_holds_its_stock_until_a_signed_webhook_confirms_it_once(shop):
    fake, base = shop["fake"], shop["server"].url
    order, payment, intent = card_order(shop, "card-1", quantity=2)
    assert order["status"] == "awaiting_payment" and order["payment"] == "stripe"
    assert payment["publishableKey"] == fake.publishable_key
    # The PaymentIntent: the server's total, the order in its metadata, one idempotency key per order.
    created = [r for r in fake.requests if r["method"] == "POST" and r["path"] == "/v1/payment_intents"]
    assert len(created) == 1
    assert created[0]["key"] == fake.secret_key and created[0]["headers"]["Stripe-Version"]
    assert created[0]["headers"]["Idempotency-Key"] == f"vitrine-order-{order['id'].lower()}"
    assert intent["amount"] == order["total"]["amount"] == 13800 and intent["currency"] == "eur"
    assert intent["metadata"]["vitrine_order_id"] == order["id"].lower()
    # Cards only (and the wallets that pay with one): paid at once and in place, within the hold.
    assert intent["payment_method_types"] == ["card"] and intent["automatic_payment_methods"] == {"enabled": False}
    assert stock(shop) == {"onHand": 3, "reserved": 2, "soldUnacknowledged": 0, "available": 1}, \
        "the order's units are held, not sold"
    # A retry of the same request: the same order and the same PaymentIntent, no second one.
    again = place(base, shop, order_body(shop, quantity=2, payment="stripe"), "card-1")
    assert again.status_code == 200 and again.json()["payment"]["clientSecret"] == payment["clientSecret"]
    assert len([r for r in fake.requests if r["path"] == "/v1/payment_intents"]) == 1
    # Forged, tampered or stale webhooks are refused, and change nothing.
    succeeded = dict(intent, status="succeeded", amount_received=intent["amount"])
    body = json.dumps(fake.event("payment_intent.succeeded", succeeded)).encode()
    other = json.dumps(fake.event("payment_intent.succeeded", dict(succeeded, amount=1))).encode()
    for header in [sign(body, "whsec_forgedforged"), None, sign(body, fake.webhook_secret, int(time.time()) - 600),
                   sign(other, fake.webhook_secret), "t=1,v1=00"]:
        headers = {"Content-Type": "application/json"}
        if header:
            headers["Stripe-Signature"] = header
        r = requests.post(fake.webhook_url, data=body, headers=headers, timeout=10)
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_signature", r.text
    assert admin_order(shop, order["id"])["status"] == "awaiting_payment"
    assert left(shop) == 1
    # The shop cannot count it yet: nothing of it is sold.
    r = shop["owner"].request("POST", f"/api/brands/{shop['brand']}/orders/acknowledge", json={"orderIds": [order["id"]]})
    assert r.json() == {"acknowledged": 0, "alreadyAcknowledged": 0, "awaitingPayment": 1}, r.text
    # A declined card: noted, the order still waits (its hold too).
    status, _ = fake.confirm(intent, "pm_card_chargeDeclined")
    assert status == 402
    waiting = admin_order(shop, order["id"])
    assert waiting["status"] == "awaiting_payment"
    assert waiting["history"][-1]["note"] == "Card payment failed: Your card was declined."
    # The card goes through: Stripe's webhook makes the order paid and its held units sold.
    status, _ = fake.confirm(intent, "pm_card_visa")
    assert status == 200 and fake.events[-1] == ("payment_intent.succeeded", 200)
    paid = admin_order(shop, order["id"])
    assert paid["status"] == "paid" and paid["paymentReference"] == intent["id"]
    assert stock(shop) == {"onHand": 3, "reserved": 0, "soldUnacknowledged": 2, "available": 1}
    # Stripe sends the event again: nothing more is sold.
    assert fake.send("payment_intent.succeeded", intent).status_code == 200
    assert left(shop) == 1 and admin_order(shop, order["id"])["status"] == "paid"
    # The holds expire meanwhile: a paid order's units stay sold.
    time.sleep(HOLD_SECONDS + 6)
    assert stock(shop) == {"onHand": 3, "reserved": 0, "soldUnacknowledged": 2, "available": 1}
    mail = wait_for_subject(shop["maildir"], f"Parfums de Grasse : votre commande {order['number']} est enregistrée")
    assert "Paiement : reçu par carte." in mail.get_body(("plain",)).get_content()


def test_a_payment_after_its_hold_expired_takes_what_is_left_or_is_refunded_and_the_buyer_told(shop):
    fake, base = shop["fake"], shop["server"].url
    first, _, first_intent = card_order(shop, "late-1", email="first@example.com")
    second, _, second_intent = card_order(shop, "late-2", quantity=2, email="second@example.com")
    assert left(shop) == 0
    # Both holds expire: the units come back to everyone.
    wait_until(lambda: left(shop) == 3, HOLD_SECONDS + 10, "the holds' expiry")
    # A pay-later buyer takes two of them meanwhile.
    r = place(base, shop, order_body(shop, email="third@example.com", quantity=2))
    assert r.status_code == 201, r.text
    assert left(shop) == 1
    # The first payment arrives: one unit left, it takes it.
    assert fake.confirm(first_intent, "pm_card_visa")[0] == 200
    assert admin_order(shop, first["id"])["status"] == "paid"
    assert left(shop) == 0
    # The second arrives: nothing left for it. Refunded in full through Stripe, cancelled, the buyer told.
    assert fake.confirm(second_intent, "pm_card_visa")[0] == 200
    late = admin_order(shop, second["id"])
    assert late["status"] == "cancelled" and late["refunded"] == late["total"]
    assert "refunded in full by Stripe" in late["history"][-1]["note"]
    refunds = [r for r in fake.refunds if r["payment_intent"] == second_intent["id"]]
    assert [r["amount"] for r in refunds] == [second["total"]["amount"]]
    assert stock(shop) == {"onHand": 3, "reserved": 0, "soldUnacknowledged": 3, "available": 0}, \
        "nothing sold beyond the stock"
    # The same event again refunds nothing more.
    assert fake.send("payment_intent.succeeded", second_intent).status_code == 200
    assert len([r for r in fake.refunds if r["payment_intent"] == second_intent["id"]]) == 1
    mail = wait_for_subject(
        shop["maildir"], f"Parfums de Grasse : votre commande {second['number']} est annulée et remboursée")
    assert mail["To"] == "second@example.com"
    assert "remboursé en totalité" in mail.get_body(("plain",)).get_content()


def test_refunds_and_cancellations_go_through_stripe_once_each(shop):
    fake, base, owner, brand = shop["fake"], shop["server"].url, shop["owner"], shop["brand"]
    order, _, intent = card_order(shop, "refund-1", quantity=2)
    # Stripe confirms card payments: the brand cannot mark it paid, nor send it, before.
    for action in ("pay", "fulfil"):
        r = owner.request("POST", f"/api/brands/{brand}/orders/{order['id']}/{action}",
                          json={"carrier": "Colissimo", "trackingNumber": "6A1"})
        assert r.status_code == 409 and r.json()["error"]["code"] == "awaiting_card_payment", r.text
    assert fake.confirm(intent, "pm_card_visa")[0] == 200
    line = order["lines"][0]["id"]
    refund = f"/api/brands/{brand}/orders/{order['id']}/refund"
    # Stripe fails: the refund is refused with Stripe's reason, and nothing changes.
    fake.fail_refunds = True
    r = owner.request("POST", refund, json={"lines": [{"lineId": line, "quantity": 1}]})
    assert r.status_code == 502 and r.json()["error"]["code"] == "payment_provider_error", r.text
    assert admin_order(shop, order["id"])["refunded"]["amount"] == 0
    assert left(shop) == 1
    # Stripe answers: one unit refunded there, and here.
    fake.fail_refunds = False
    r = owner.request("POST", refund, json={"lines": [{"lineId": line, "quantity": 1}]})
    assert r.status_code == 200, r.text
    assert r.json()["refunded"]["amount"] == 6900 and r.json()["status"] == "paid"
    assert [x["amount"] for x in fake.refunds if x["payment_intent"] == intent["id"]] == [6900]
    assert left(shop) == 2
    # Cancelling the paid order refunds the rest through Stripe.
    r = owner.request("POST", f"/api/brands/{brand}/orders/{order['id']}/cancel", json={"reason": "client"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled" and r.json()["refunded"]["amount"] == 13800
    assert [x["amount"] for x in fake.refunds if x["payment_intent"] == intent["id"]] == [6900, 6900]
    assert left(shop) == 3
    # A card order cancelled before it was paid: its PaymentIntent is cancelled, its hold given back.
    waiting, _, waiting_intent = card_order(shop, "refund-2")
    assert left(shop) == 2
    r = owner.request("POST", f"/api/brands/{brand}/orders/{waiting['id']}/cancel", json={})
    assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text
    assert waiting_intent["status"] == "canceled"
    assert left(shop) == 3
