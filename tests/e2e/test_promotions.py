"""Promotions over HTTP: the brand's team writes codes and show offers (clear 422s for bad ones),
buyers' orders use them (priced by the server, limits kept), and a used promotion is turned off
rather than deleted."""
import requests

from conftest import Session, create_owner
from test_orders import order_body, place, seed


def test_the_team_writes_promotions_and_orders_use_them(server):
    sale = seed(server, stock=20)
    owner, brand = sale["owner"], sale["brand"]
    base = f"/api/brands/{brand}/promotions"
    # Bad promotions are refused, naming the field; nothing is kept.
    for body, code, field in [
        ({"code": "LIVE15"}, "missing_field", "percentOff"),
        ({"code": "LIVE15", "percentOff": 0}, "invalid_field", "percentOff"),
        ({"code": "LIVE15", "percentOff": 10, "amountOff": {"amount": 500, "currency": "EUR"}}, "invalid_field", "amountOff"),
        ({"code": "<b>x</b>", "percentOff": 10}, "invalid_field", "code"),
        ({"percentOff": 10}, "missing_field", "showId"),
        ({"code": "DATES", "percentOff": 10, "startsAt": "2026-12-01T10:00:00Z", "endsAt": "2026-12-01T09:00:00Z"},
         "invalid_field", "endsAt"),
    ]:
        r = owner.request("POST", base, json=body)
        assert r.status_code == 422, r.text
        assert (r.json()["error"]["code"], r.json()["error"]["field"]) == (code, field), r.text
    assert owner.request("GET", base).json()["items"] == []
    # A code for two uses, and the show's automatic offer.
    r = owner.request("POST", base, json={"code": "live15", "percentOff": 15, "usageLimit": 2})
    assert r.status_code == 201, r.text
    code = r.json()
    assert code["code"] == "LIVE15" and code["title"] == "LIVE15 -15 %" and code["uses"] == 0
    r = owner.request("POST", base, json={"code": "Live15", "percentOff": 5})
    assert r.status_code == 409 and r.json()["error"]["code"] == "code_taken"
    r = owner.request("POST", base, json={"showId": sale["show"], "percentOff": 10, "title": "Offre du live"})
    assert r.status_code == 201 and r.json()["automatic"] is True, r.text
    offer = r.json()
    # Two orders use the code; the third is told it is used up and nothing is written.
    for buyer in ("a", "b"):
        r = place(server.url, sale, order_body(sale, email=f"{buyer}@example.com", quantity=2, promotionCode="live15"))
        assert r.status_code == 201, r.text
        assert r.json()["order"]["discount"]["amount"] == 2070 and r.json()["order"]["promotionCode"] == "LIVE15"
    r = place(server.url, sale, order_body(sale, email="c@example.com", promotionCode="LIVE15"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "promotion_used_up", r.text
    assert owner.request("GET", f"{base}/{code['id']}").json()["uses"] == 2
    # The show is not live: its offer does not apply.
    r = place(server.url, sale, order_body(sale, email="d@example.com"))
    assert r.status_code == 201 and r.json()["order"]["discount"]["amount"] == 0
    # Changed: more uses; the code itself cannot change.
    r = owner.request("PATCH", f"{base}/{code['id']}", json={"usageLimit": 3})
    assert r.status_code == 200 and r.json()["usageLimit"] == 3
    r = owner.request("PATCH", f"{base}/{code['id']}", json={"code": "OTHER"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "immutable_field"
    # Deleted: the unused offer goes; the used code is turned off, and refused from then on.
    assert owner.request("DELETE", f"{base}/{offer['id']}").status_code == 204
    r = owner.request("DELETE", f"{base}/{code['id']}")
    assert r.status_code == 200 and r.json()["active"] is False
    r = place(server.url, sale, order_body(sale, email="e@example.com", promotionCode="LIVE15"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_promotion"
    assert [p["code"] for p in owner.request("GET", base).json()["items"]] == ["LIVE15"]
    # Nobody outside the brand sees any of it.
    assert requests.get(f"{server.url}{base}", timeout=10).status_code == 401
    create_owner(server.data_dir, "other@example.com", "Autre Maison")
    other = Session(server.url, "other@example.com")
    assert other.request("GET", base).status_code in (403, 404)
    assert other.request("DELETE", f"{base}/{code['id']}").status_code in (403, 404)
