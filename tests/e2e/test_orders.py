"""Orders through the public endpoint of a running server: idempotency, server-side prices, clear
4xx errors that write nothing, the admin's list, CSV and changes, and durability: a server killed
with SIGKILL in the middle of a sale keeps every order it acknowledged, and never sells more than
its stock."""
import concurrent.futures
import csv
import io
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import Server, Session, create_owner, free_port

ADDRESS = {"line1": "12 rue des Lilas", "postalCode": "75011", "city": "Paris", "country": "FR"}


def seed(server, stock, show_price=6900):
    """A brand with one perfume (stock with policy deny) in the lineup of a scheduled public show."""
    slug = create_owner(server.data_dir, "owner@example.com", "Parfums de Grasse")
    owner = Session(server.url, "owner@example.com")
    brand = owner.brand_id(slug)
    product = owner.request("POST", f"/api/brands/{brand}/products", json={
        "title": "Eau de parfum Jasmin", "status": "active", "optionNames": ["Contenance"],
        "variants": [{"sku": "JASMIN-50", "options": ["50 ml"], "price": {"amount": 8900, "currency": "EUR"},
                      "inventoryQuantity": stock, "inventoryPolicy": "deny"}],
    })
    assert product.status_code == 201, product.text
    product = product.json()
    start = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    show = owner.request("POST", f"/api/brands/{brand}/shows", json={
        "title": "Vente flash", "scheduledStart": start,
        "lineup": [{"productId": product["id"], "showPrice": {"amount": show_price, "currency": "EUR"}}]})
    assert show.status_code == 201, show.text
    return {"owner": owner, "slug": slug, "brand": brand, "product": product["id"],
            "variant": product["variants"][0]["id"], "show": show.json()["id"]}


def order_body(sale, email="lea@example.com", quantity=1, **extra):
    body = {"email": email, "name": "Léa Martin", "address": ADDRESS, "acceptTerms": True, "payment": "later",
            "lines": [{"variantId": sale["variant"], "quantity": quantity}], "showId": sale["show"]}
    body.update(extra)
    return body


def place(base, sale, body, key=None):
    return requests.post(f"{base}/api/public/brands/{sale['slug']}/orders", json=body,
                         headers={"Idempotency-Key": key or str(uuid.uuid4())}, timeout=30)


def all_orders(sale):
    orders, page = [], 1
    while True:
        r = sale["owner"].request("GET", f"/api/brands/{sale['brand']}/orders?page={page}&perPage=100")
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        orders += items
        if len(items) < 100:
            return orders
        page += 1


def available(base, sale):
    """What viewers are shown as left (the public lineup's stock)."""
    r = requests.get(f"{base}/api/public/brands/{sale['slug']}/shows/{sale['show']}/lineup", timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["items"][0]["stock"]["available"]


def test_an_order_is_priced_by_the_server_and_placed_once_per_key(server):
    sale = seed(server, stock=5)
    key = str(uuid.uuid4())
    # A price and a total sent by the client are ignored: the show's price applies.
    body = order_body(sale, quantity=2, total={"amount": 1, "currency": "EUR"},
                      lines=[{"variantId": sale["variant"], "quantity": 2, "unitPrice": {"amount": 1}}])
    first = place(server.url, sale, body, key)
    assert first.status_code == 201, first.text
    order = first.json()["order"]
    assert order["total"] == {"amount": 13800, "currency": "EUR"}
    assert order["lines"][0]["unitPrice"]["amount"] == 6900
    assert order["lines"][0]["compareAtPrice"]["amount"] == 8900
    assert order["vat"] == [{"rate": 2000, "base": {"amount": 13800, "currency": "EUR"},
                             "vat": {"amount": 2300, "currency": "EUR"}}]
    assert order["status"] == "awaiting_payment" and order["origin"] == "live"
    # A double click: the same key and body give the same order, marked as replayed.
    again = place(server.url, sale, body, key)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["order"]["id"] == order["id"]
    # The same key with another body is refused and writes nothing.
    other = place(server.url, sale, order_body(sale, quantity=1), key)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert len(all_orders(sale)) == 1
    assert available(server.url, sale) == 3


@pytest.mark.parametrize("change, status, code, field", [
    ({"lines": [{"quantity": 0}]}, 422, "invalid_quantity", "lines[0].quantity"),
    ({"lines": [{"quantity": 100000}]}, 422, "invalid_quantity", "lines[0].quantity"),
    ({"lines": [{"quantity": 6}]}, 409, "out_of_stock", "lines[0].quantity"),
    ({"lines": [{"variantId": str(uuid.uuid4())}]}, 404, "not_found", "lines[0].variantId"),
    ({"address": dict(ADDRESS, postalCode="7501")}, 422, "invalid_field", "address.postalCode"),
    ({"address": dict(ADDRESS, country="US")}, 422, "unsupported_country", "address.country"),
    ({"acceptTerms": False}, 422, "terms_not_accepted", "acceptTerms"),
    ({"email": "not-an-address"}, 422, "invalid_field", "email"),
])
def test_bad_orders_get_a_clear_error_and_change_nothing(server, change, status, code, field):
    sale = seed(server, stock=5)
    body = order_body(sale)
    if "lines" in change:
        body["lines"] = [dict(body["lines"][0], **change.pop("lines")[0])]
    body.update(change)
    r = place(server.url, sale, body)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["field"] == field
    assert all_orders(sale) == []
    assert available(server.url, sale) == 5


def test_a_variant_of_another_brand_and_a_missing_key_are_refused(server):
    ours = seed(server, stock=5)
    slug = create_owner(server.data_dir, "other@example.com", "Autre Maison")
    r = requests.post(f"{server.url}/api/public/brands/{slug}/orders", json=order_body(ours),
                      headers={"Idempotency-Key": "k-1"}, timeout=10)
    assert r.status_code == 404 and r.json()["error"]["field"] == "lines[0].variantId"
    r = requests.post(f"{server.url}/api/public/brands/{ours['slug']}/orders", json=order_body(ours), timeout=10)
    assert r.status_code == 422 and r.json()["error"]["code"] == "missing_idempotency_key"
    assert available(server.url, ours) == 5


def test_the_brand_lists_exports_fulfils_and_refunds(server):
    sale = seed(server, stock=5)
    placed = place(server.url, sale, order_body(sale, quantity=2, email="Jeanne@Example.com")).json()["order"]
    owner, base = sale["owner"], f"/api/brands/{sale['brand']}/orders"
    # Filters and the spreadsheet.
    assert [o["number"] for o in owner.request("GET", base + "?email=jeanne@example.com").json()["items"]] == \
        [placed["number"]]
    assert owner.request("GET", base + "?status=paid").json()["items"] == []
    rows = list(csv.DictReader(io.StringIO(owner.request("GET", f"/api/brands/{sale['brand']}/orders.csv").text)))
    assert rows[0]["number"] == placed["number"] and rows[0]["total"] == "138.00"
    assert rows[0]["lines"] == "2 × Eau de parfum Jasmin (50 ml) [JASMIN-50]"
    # Paid, then one of the two bottles refunded: one unit back on sale.
    assert owner.request("POST", f"{base}/{placed['id']}/pay", json={}).json()["status"] == "paid"
    absurd = owner.request("POST", f"{base}/{placed['id']}/refund", json={"lines": [
        {"lineId": placed["lines"][0]["id"], "quantity": 2**63 - 1}, {"lineId": placed["lines"][0]["id"], "quantity": 1}]})
    assert absurd.status_code == 422 and absurd.json()["error"]["code"] == "invalid_quantity"
    refund = owner.request("POST", f"{base}/{placed['id']}/refund",
                           json={"lines": [{"lineId": placed["lines"][0]["id"], "quantity": 1}]})
    assert refund.status_code == 200, refund.text
    assert refund.json()["refunded"]["amount"] == 6900 and refund.json()["status"] == "paid"
    assert available(server.url, sale) == 4
    fulfil = owner.request("POST", f"{base}/{placed['id']}/fulfil", json={
        "carrier": "Colissimo", "trackingNumber": "6A12345678901", "trackingUrl": "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"})
    assert fulfil.status_code == 200 and fulfil.json()["status"] == "fulfilled"
    # A fulfilled order cannot be cancelled; the history tells the story.
    assert owner.request("POST", f"{base}/{placed['id']}/cancel", json={}).status_code == 409
    history = owner.request("GET", f"{base}/{placed['id']}").json()["history"]
    assert [h["status"] for h in history] == ["awaiting_payment", "paid", "paid", "fulfilled"]
    # The shipped e-mail is queued with the fulfilment, the confirmation with the order.
    jobs = owner.request("GET", f"/api/brands/{sale['brand']}/jobs").json()["items"]
    assert sorted(j["kind"] for j in jobs if j["kind"] == "order.email") == ["order.email", "order.email"]


@pytest.mark.parametrize("drop", [False, True], ids=["sale", "flash-drop"])
def test_a_server_killed_mid_sale_keeps_every_acknowledged_order(data_dir, drop):
    port = free_port()
    server = Server(data_dir, port)
    stock = 400
    try:
        # A flash drop sells its own 400 units (the shop's stock is 3); else the shop's 400.
        sale = seed(server, stock=3 if drop else stock)
        if drop:
            drops = f"/api/brands/{sale['brand']}/shows/{sale['show']}/drops"
            r = sale["owner"].request("POST", drops, json={
                "productId": sale["product"], "quantity": stock, "price": {"amount": 4900, "currency": "EUR"}})
            assert r.status_code == 201, r.text
            started = sale["owner"].request("POST", f"{drops}/{r.json()['id']}/start", json={}).json()
            opens = datetime.fromisoformat(started["opensAt"].replace("Z", "+00:00"))
            time.sleep(max(0.0, (opens - datetime.now(timezone.utc)).total_seconds()) + 0.2)
    except Exception:
        server.stop()
        raise
    acknowledged, refused, lock = {}, [], threading.Lock()
    stop = threading.Event()

    def buyer(worker):
        http = requests.Session()
        n = 0
        while not stop.is_set():
            n += 1
            key = f"buyer-{worker}-{n}"
            try:
                r = http.post(f"{server.url}/api/public/brands/{sale['slug']}/orders",
                              json=order_body(sale, email=f"{key}@example.com"),
                              headers={"Idempotency-Key": key}, timeout=10)
            except requests.RequestException:
                return  # the server is gone: what was not answered was not promised
            with lock:
                if r.status_code == 201:
                    acknowledged[r.json()["order"]["id"]] = key
                else:
                    refused.append(r.status_code)

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        for worker in range(16):
            pool.submit(buyer, worker)
        deadline = time.time() + 30
        while time.time() < deadline and len(acknowledged) < stock // 3:
            time.sleep(0.01)
        server.process.kill()  # SIGKILL: no shutdown, no flush
        server.process.wait()
        stop.set()
    assert len(acknowledged) >= stock // 3, server.output()[-2000:]

    again = Server(data_dir, port)
    try:
        sale["owner"] = Session(again.url, "owner@example.com")
        stored = {o["id"] for o in all_orders(sale)}
        missing = set(acknowledged) - stored
        assert not missing, f"{len(missing)} acknowledged orders lost"
        # Stock left plus units sold is the starting stock: nothing oversold, nothing lost.
        if drop:
            [left] = sale["owner"].request("GET", f"/api/brands/{sale['brand']}/shows/{sale['show']}/drops").json()["items"]
            assert (left["sold"], left["left"] + left["sold"]) == (len(stored), stock)
            assert available(again.url, sale) == 3, "the shop's own stock was not touched"
        else:
            assert available(again.url, sale) + len(stored) == stock
        assert set(refused) <= {409}
    finally:
        again.stop()


def test_the_shop_counts_vitrines_sales_then_acknowledges_them(server):
    sale = seed(server, stock=10)
    owner, brand = sale["owner"], sale["brand"]
    token = owner.request("POST", f"/api/brands/{brand}/tokens",
                          json={"name": "shop", "scopes": ["catalog:write"]}).json()["secret"]
    shop = {"Authorization": f"Bearer {token}"}
    order = place(server.url, sale, order_body(sale, quantity=3)).json()["order"]
    assert available(server.url, sale) == 7
    # The shop's next push still counts the 3 bottles: viewers keep seeing 7, not 10.
    r = requests.post(f"{server.url}/api/brands/{brand}/stock", headers=shop,
                      json={"items": [{"sku": "JASMIN-50", "quantity": 10}]}, timeout=10)
    assert r.status_code == 200, r.text
    assert available(server.url, sale) == 7
    # It takes the order off its own count, pushes 7 and acknowledges: still 7, once.
    requests.post(f"{server.url}/api/brands/{brand}/stock", headers=shop,
                  json={"items": [{"sku": "JASMIN-50", "quantity": 7}]}, timeout=10)
    r = requests.post(f"{server.url}/api/brands/{brand}/orders/acknowledge", headers=shop,
                      json={"orderIds": [order["id"]]}, timeout=10)
    assert r.json() == {"acknowledged": 1, "alreadyAcknowledged": 0, "awaitingPayment": 0}
    r = requests.post(f"{server.url}/api/brands/{brand}/orders/acknowledge", headers=shop,
                      json={"orderIds": [order["id"]]}, timeout=10)
    assert r.json() == {"acknowledged": 0, "alreadyAcknowledged": 1, "awaitingPayment": 0}
    assert available(server.url, sale) == 7
    # Another brand's order id, or a token without catalog:write, changes nothing.
    r = requests.post(f"{server.url}/api/brands/{brand}/orders/acknowledge", headers=shop,
                      json={"orderIds": [str(uuid.uuid4())]}, timeout=10)
    assert r.status_code == 404
    reader = owner.request("POST", f"/api/brands/{brand}/tokens", json={"name": "r", "scopes": ["orders:read"]}).json()
    r = requests.post(f"{server.url}/api/brands/{brand}/orders/acknowledge",
                      headers={"Authorization": f"Bearer {reader['secret']}"}, json={"orderIds": [order["id"]]}, timeout=10)
    assert r.status_code == 403
    assert owner.request("GET", f"/api/brands/{brand}/orders/{order['id']}").json()["acknowledgedAt"]
