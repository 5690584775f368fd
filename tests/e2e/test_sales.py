"""A show's sales over HTTP: orders placed in it (units, revenue, live or replay), refunds and
cancellations taken off, stock left, and a hand-off brand's add-to-cart events recorded by the
player for attribution (clear 4xx for events that are not the brand's)."""
import uuid

import requests

from test_orders import order_body, place, seed


def test_a_show_s_sales_count_its_orders_and_its_add_to_carts(server):
    sale = seed(server, stock=10)
    owner, brand, show = sale["owner"], sale["brand"], sale["show"]
    events = f"{server.url}/api/public/brands/{sale['slug']}/cart-events"
    # The brand's shop took three add-to-carts from the player, and refused one.
    for added in (True, True, True, False):
        r = requests.post(events, json={"showId": show, "productId": sale["product"], "variantId": sale["variant"],
                                        "added": added, "origin": "live", "viewerId": "viewer-1", "mediaTime": 12.5},
                          timeout=10)
        assert r.status_code == 202, r.text
    # Events that are not the brand's, or absurd, are refused and not counted.
    for body, status, field in [
        ({"showId": show, "productId": str(uuid.uuid4())}, 404, "productId"),
        ({"showId": show, "productId": sale["product"], "variantId": str(uuid.uuid4())}, 404, "variantId"),
        ({"showId": show, "productId": sale["product"], "quantity": 0}, 422, "quantity"),
        ({"showId": show, "productId": sale["product"], "viewerId": "<script>"}, 422, "viewerId"),
    ]:
        r = requests.post(events, json=body, timeout=10)
        assert r.status_code == status and r.json()["error"]["field"] == field, r.text
    # Three orders in the show (one from its replay); one cancelled, one refunded in part.
    orders = []
    for email, quantity, origin in [("a@example.com", 2, "live"), ("b@example.com", 1, "replay"),
                                    ("c@example.com", 3, "live")]:
        r = place(server.url, sale, order_body(sale, email=email, quantity=quantity, origin=origin))
        assert r.status_code == 201, r.text
        orders.append(r.json()["order"])
    base = f"/api/brands/{brand}/orders"
    assert owner.request("POST", f"{base}/{orders[1]['id']}/cancel", json={}).status_code == 200
    assert owner.request("POST", f"{base}/{orders[2]['id']}/pay", json={}).status_code == 200
    line = orders[2]["lines"][0]["id"]
    r = owner.request("POST", f"{base}/{orders[2]['id']}/refund", json={"lines": [{"lineId": line, "quantity": 1}]})
    assert r.status_code == 200, r.text
    # The panel: 2 orders, 4 units, 4 × €69 of revenue, 6 of the 10 perfumes left.
    r = owner.request("GET", f"/api/brands/{brand}/shows/{show}/sales")
    assert r.status_code == 200, r.text
    sales = r.json()
    assert (sales["orders"], sales["units"], sales["liveOrders"], sales["addedToCart"]) == (2, 4, 2, 3)
    assert sales["revenue"] == {"amount": 4 * 6900, "currency": "EUR"}
    [product] = sales["products"]
    assert product["title"] == "Eau de parfum Jasmin" and product["orders"] == 2 and product["units"] == 4
    assert (product["addedToCart"], product["refusedByShop"]) == (3, 1)
    assert product["available"] == 6 and product["soldOut"] is False
    # Nobody outside the brand reads it.
    assert requests.get(f"{server.url}/api/brands/{brand}/shows/{show}/sales", timeout=10).status_code == 401
