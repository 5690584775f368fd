"""Flash drops over HTTP and the live rooms: the host starts one and every viewer gets the same
wall-clock countdown of at least 10 s at once, whatever their video; orders before the instant are
refused, then sold at the drop price from the drop's own quantity with a limit per buyer; "sold
out" reaches every viewer the moment it happens; the shop's stock push never touches the drop."""
import concurrent.futures
import time
import uuid
from datetime import datetime

from test_orders import ADDRESS
from test_realtime import Client, live_server, make_room, viewer  # noqa: F401 (live_server is a fixture)


def order(room, email, quantity=1):
    import requests
    body = {"email": email, "name": "Léa Martin", "address": ADDRESS, "acceptTerms": True, "payment": "later",
            "lines": [{"variantId": room["products"][0]["variants"][0]["id"], "quantity": quantity}],
            "showId": room["show"], "origin": "live"}
    return requests.post(f"{room['server'].url}/api/public/brands/{room['slug']}/orders", json=body,
                         headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=30)


def test_a_drop_counts_down_for_every_viewer_then_sells_exactly_its_quantity(live_server):
    room = make_room(*live_server)
    owner, brand, show = room["owner"], room["brand"], room["show"]
    product = room["products"][0]
    base = f"/api/brands/{brand}/shows/{show}/drops"
    # Bad drops are refused, naming the field.
    for body, code, field in [
        ({"productId": product["id"], "price": {"amount": 4900, "currency": "EUR"}}, "missing_field", "quantity"),
        ({"productId": product["id"], "quantity": 6, "price": {"amount": 4900, "currency": "EUR"},
          "countdownSeconds": 5}, "invalid_field", "countdownSeconds"),
        ({"productId": str(uuid.uuid4()), "quantity": 6, "price": {"amount": 4900, "currency": "EUR"}},
         "not_in_lineup", "productId"),
    ]:
        r = owner.request("POST", base, json=body)
        assert r.status_code == 422, r.text
        assert (r.json()["error"]["code"], r.json()["error"]["field"]) == (code, field)
    r = owner.request("POST", base, json={"productId": product["id"], "quantity": 6, "perCustomer": 2,
                                          "price": {"amount": 4900, "currency": "EUR"}, "countdownSeconds": 10})
    assert r.status_code == 201, r.text
    drop = r.json()
    assert drop["status"] == "ready" and drop["left"] == 6
    # Two viewers in the room; before the start, ordering the variant in this show is refused.
    a, b = viewer(room, 1), viewer(room, 2)
    assert [d["id"] for d in a.snapshot["drops"]] == [drop["id"]]
    r = order(room, "early@example.com")
    assert r.status_code == 409 and r.json()["error"]["code"] == "drop_not_open", r.text
    # The host starts it: both viewers hear of it at once, with the same instant 10 s ahead.
    r = owner.request("POST", f"{base}/{drop['id']}/start", json={})
    assert r.status_code == 200, r.text
    started = r.json()
    heard = [c.next("drop", where=lambda e: e["drop"]["status"] == "countdown")["drop"] for c in (a, b)]
    assert {h["opensAt"] for h in heard} == {started["opensAt"]}
    opens = datetime.fromisoformat(started["opensAt"].replace("Z", "+00:00"))
    served = datetime.fromisoformat(heard[0]["serverTime"].replace("Z", "+00:00"))
    assert 9 <= (opens - served).total_seconds() <= 12
    # …and its product is pinned, at the media time now (the pin waits for each viewer's video).
    assert a.next("product_pinned")["product"]["productId"].lower() == product["id"].lower()
    r = owner.request("POST", f"{base}/{drop['id']}/start", json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "drop_started"
    # The shop pushes its stock meanwhile: the drop keeps its quantity.
    r = owner.request("POST", f"/api/brands/{brand}/stock", json={"items": [{"sku": f"{room['slug']}-0", "quantity": 1}]})
    assert r.status_code == 200, r.text
    assert order(room, "early@example.com").json()["error"]["code"] == "drop_not_open"
    time.sleep(max(0, (opens - datetime.now(opens.tzinfo)).total_seconds()) + 0.3)
    # Open: 10 buyers at once (one asking 3, above the limit) for 6 units at €49.
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda n: order(room, f"buyer{n}@example.com", 3 if n == 0 else 1), range(10)))
    codes = sorted(r.json()["error"]["code"] if r.status_code != 201 else "ok" for r in answers)
    assert codes == ["drop_limit"] + ["ok"] * 6 + ["sold_out"] * 3, [r.text for r in answers]
    assert all(r.json()["order"]["total"]["amount"] == 4900 for r in answers if r.status_code == 201)
    # "Sold out" reaches both viewers.
    for c in (a, b):
        assert c.next("drop", where=lambda e: e["drop"]["status"] == "sold_out")["drop"]["left"] == 0
    listed = owner.request("GET", base).json()["items"]
    assert [(d["sold"], d["left"], d["status"]) for d in listed] == [(6, 0, "sold_out")]
    # The variant's own stock is the pushed one, with no sale off it.
    variant = product["variants"][0]["id"]
    stock = owner.request("GET", f"/api/brands/{brand}/variants/{variant}/stock").json()
    assert stock == {"onHand": 1, "reserved": 0, "soldUnacknowledged": 0, "available": 1}
    # Closed: the variant sells again at its show price from its own stock.
    r = owner.request("POST", f"{base}/{drop['id']}/close", json={})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = order(room, "after@example.com")
    assert r.status_code == 201 and r.json()["order"]["total"]["amount"] == 7900, r.text
    a.close()
    b.close()
