"""Pick-up stores over HTTP: the brand's team keeps its stores (address, opening hours; clear 422s
for bad ones), buyers see the open ones in the player's boot data and pick their order up there,
a store turned off is no longer offered, and one an order names is turned off rather than deleted."""
import json
import re

import requests

from conftest import Session, create_owner
from test_orders import order_body, place, seed

STORE = {"name": "Boutique du Marais", "address": {"line1": "8 rue de Turenne", "postalCode": "75004",
                                                   "city": "Paris", "country": "FR"},
         "openingHours": [{"day": "sat", "opens": "10:00", "closes": "19:00"},
                          {"day": "mon", "opens": "14:00", "closes": "19:00"},
                          {"day": "mon", "opens": "10:00", "closes": "12:30"}]}


def boot(server, sale):
    html = requests.get(f"{server.url}/watch/{sale['show']}", timeout=10).text
    return json.loads(re.search(r'<script type="application/json" id="vitrine-boot">(.*?)</script>', html, re.S).group(1))


def test_the_team_keeps_its_stores_and_buyers_pick_up_there(server):
    sale = seed(server, stock=10)
    owner, brand = sale["owner"], sale["brand"]
    assert owner.request("PATCH", f"/api/brands/{brand}", json={"cartMode": "vitrine"}).status_code == 200
    base = f"/api/brands/{brand}/pickup-stores"
    # Bad stores are refused, naming the field.
    for change, code, field in [
        ({"name": None}, "missing_field", "name"),
        ({"address": dict(STORE["address"], postalCode="750")}, "invalid_field", "address.postalCode"),
        ({"openingHours": [{"day": "mon", "opens": "19:00", "closes": "10:00"}]}, "invalid_field", "openingHours[0]"),
        ({"openingHours": [{"day": "mon", "opens": "9h", "closes": "19:00"}]}, "invalid_field", "openingHours[0]"),
    ]:
        body = {k: v for k, v in {**STORE, **change}.items() if v is not None}
        r = owner.request("POST", base, json=body)
        assert r.status_code == 422, r.text
        assert (r.json()["error"]["code"], r.json()["error"]["field"]) == (code, field), r.text
    r = owner.request("POST", base, json=STORE)
    assert r.status_code == 201, r.text
    store = r.json()
    assert [(h["day"], h["opens"]) for h in store["openingHours"]] == [("mon", "10:00"), ("mon", "14:00"), ("sat", "10:00")]
    other = owner.request("POST", base, json=dict(STORE, name="Boutique de Lyon",
                                                  address={"line1": "2 quai Saint-Antoine", "postalCode": "69002",
                                                           "city": "Lyon", "country": "FR"})).json()
    # Buyers see both in the player's boot data; an order picks one, without an address.
    stores = boot(server, sale)["commerce"]["pickupStores"]
    assert sorted(s["name"] for s in stores) == ["Boutique de Lyon", "Boutique du Marais"]
    body = order_body(sale, delivery="pickup", pickupStoreId=store["id"])
    del body["address"]
    r = place(server.url, sale, body)
    assert r.status_code == 201, r.text
    assert r.json()["order"]["delivery"] == "pickup" and r.json()["order"]["deliveryPrice"]["amount"] == 0
    # Turned off: no longer offered, and refused.
    r = owner.request("PATCH", f"{base}/{other['id']}", json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert [s["name"] for s in boot(server, sale)["commerce"]["pickupStores"]] == ["Boutique du Marais"]
    r = place(server.url, sale, dict(body, pickupStoreId=other["id"]))
    assert r.status_code == 404 and r.json()["error"]["field"] == "pickupStoreId", r.text
    # Deleted: the unused store goes; the one an order names is turned off.
    assert owner.request("DELETE", f"{base}/{other['id']}").status_code == 204
    r = owner.request("DELETE", f"{base}/{store['id']}")
    assert r.status_code == 200 and r.json()["active"] is False
    assert owner.request("GET", base).json()["items"][0]["name"] == "Boutique du Marais"
    # Another brand's team reaches none of it.
    create_owner(server.data_dir, "other@example.com", "Autre Maison")
    stranger = Session(server.url, "other@example.com")
    assert stranger.request("GET", base).status_code in (403, 404)
    assert stranger.request("PATCH", f"{base}/{store['id']}", json={"active": True}).status_code in (403, 404)
