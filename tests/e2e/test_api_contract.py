"""The API document drives these: tenancy over every operation, and schemathesis."""
import json
import os
import re
import subprocess

import requests
import yaml

from conftest import PASSWORD, ROOT, SAMPLE, Session, create_owner

ALL_SCOPES = ["brand:read", "catalog:read", "catalog:write", "shows:read", "shows:write", "orders:read",
              "orders:write", "webhooks:manage"]
# Operations that may be called without authentication. A new public operation must be added here on
# purpose, with a test that it exposes only published content.
PUBLIC = {
    ("get", "/healthz"), ("get", "/metrics"), ("get", "/api/openapi.yaml"), ("post", "/api/auth/login"),
    ("post", "/api/auth/password-reset"), ("post", "/api/auth/password-reset/confirm"),
    ("get", "/api/invitations/{token}"), ("post", "/api/invitations/{token}/accept"),
    ("get", "/api/public/brands/{slug}"), ("get", "/api/public/brands/{slug}/products/{handle}"),
    ("get", "/api/public/brands/{slug}/shows"), ("get", "/api/public/brands/{slug}/shows/{showId}"),
    ("get", "/api/public/brands/{slug}/shows/{showId}/calendar.ics"), ("get", "/api/public/brands/{slug}/calendar.ics"),
    ("post", "/api/public/brands/{slug}/shows/{showId}/registrations"),
    ("get", "/api/public/registrations/confirm/{token}"), ("get", "/api/public/unsubscribe/{token}"),
    ("post", "/api/public/unsubscribe/{token}"),
    ("get", "/api/public/feedback/{token}"), ("post", "/api/public/feedback/{token}"),
    ("post", "/api/public/privacy"), ("get", "/api/public/privacy/{token}"), ("post", "/api/public/privacy/{token}"),
    ("get", "/api/public/brands/{slug}/shows/{showId}/timeline"), ("get", "/api/live/shows/{showId}"),
    ("get", "/api/public/brands/{slug}/shows/{showId}/lineup"), ("get", "/api/oembed"),
    ("post", "/api/public/brands/{slug}/orders"), ("get", "/api/public/brands/{slug}/cart"),
    ("post", "/api/public/brands/{slug}/cart/lines"), ("post", "/api/public/brands/{slug}/cart/checkout"), ("post", "/api/public/payments/stripe/{brandId}/webhook"), ("put", "/api/public/brands/{slug}/cart/promotion"), ("post", "/api/public/brands/{slug}/cart-events"), ("put", "/api/public/brands/{slug}/cart/lines/{variantId}"),
    ("delete", "/api/public/brands/{slug}/cart/lines/{variantId}"),
}


def operations(base):
    document = yaml.safe_load(requests.get(base + "/api/openapi.yaml").text)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, operation


def make_brand(server, email, name):
    """A brand with a product, a member, an invitation and an API token holding every scope."""
    slug = create_owner(server.data_dir, email, name)
    owner = Session(server.url, email)
    brand = owner.brand_id(slug)
    product = owner.request("POST", f"/api/brands/{brand}/products", json={
        "title": f"{name} sweater", "status": "draft",
        "variants": [{"sku": f"{slug}-1", "price": {"amount": 1000, "currency": "EUR"}, "inventoryQuantity": 5}],
    }).json()
    invite = owner.request("POST", f"/api/brands/{brand}/invitations", json={"email": f"host@{slug}.test", "role": "host"})
    token = owner.request("POST", f"/api/brands/{brand}/tokens", json={"name": "shop", "scopes": ALL_SCOPES}).json()
    members = owner.request("GET", f"/api/brands/{brand}/members").json()["items"]
    show = owner.request("POST", f"/api/brands/{brand}/shows", json={
        "title": f"{name} live", "hosts": [members[0]["id"]],
        "lineup": [{"productId": product["id"], "showPrice": {"amount": 900, "currency": "EUR"}}]}).json()
    series = owner.request("POST", f"/api/brands/{brand}/series", json={
        "title": f"{name} weekly", "weekdays": [4], "localTime": "19:00"}).json()
    return {
        "owner": owner, "slug": slug, "secret": token["secret"],
        "ids": {"brandId": brand, "productId": product["id"], "variantId": product["variants"][0]["id"],
                "memberId": members[0]["id"], "invitationId": invite.json()["invitation"]["id"],
                "tokenId": token["token"]["id"], "showId": show["id"], "seriesId": series["id"]},
    }


def fill(path, ids):
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return path


def snapshot(brand):
    owner, ids = brand["owner"], brand["ids"]
    b = ids["brandId"]
    return [owner.request("GET", p).json() for p in (
        f"/api/brands/{b}", f"/api/brands/{b}/products/{ids['productId']}", f"/api/brands/{b}/members",
        f"/api/brands/{b}/invitations", f"/api/brands/{b}/tokens", f"/api/brands/{b}/shows?perPage=100",
        f"/api/brands/{b}/shows/{ids['showId']}/history", f"/api/brands/{b}/series/{ids['seriesId']}")]


def test_every_operation_with_another_brands_ids_is_404(server):
    a = make_brand(server, "a@example.com", "Alpha")
    b = make_brand(server, "b@example.com", "Beta")
    before = snapshot(b)
    token = requests.Session()
    token.headers["Authorization"] = "Bearer " + a["secret"]
    checked = 0
    for method, path, operation in operations(server.url):
        params = re.findall(r"{(\w+)}", path)
        owned = [p for p in params if p in b["ids"]]
        if (method, path) in PUBLIC or not owned:
            continue
        # All of B's ids; then A's brand with B's other ids (nested resources are checked too).
        variants = [dict(b["ids"])]
        if len(owned) > 1:
            variants.append({**b["ids"], "brandId": a["ids"]["brandId"]})
        kwargs = {"json": {}} if method in ("post", "patch") else {}
        if path.endswith("/imports"):
            kwargs = {"data": open(SAMPLE, "rb").read(), "headers": {"Content-Type": "text/csv"}}
        for nested, ids in enumerate(variants):
            for who, client in (("session", a["owner"].http), ("token", token)):
                r = client.request(method.upper(), server.url + fill(path, ids), **kwargs)
                if nested and r.status_code == 403 and who == "token":
                    # A token may never manage people, whatever the ids: the same request on A's own
                    # resources is refused alike, so the answer says nothing about B.
                    own = client.request(method.upper(), server.url + fill(path, a["ids"]), **kwargs)
                    assert own.status_code == 403, f"token {method.upper()} {path}: {own.status_code}"
                    continue
                assert r.status_code == 404, f"{who} {method.upper()} {fill(path, ids)}: {r.status_code} {r.text[:200]}"
                assert r.json()["error"]["code"] == "not_found"
                checked += 1
    assert checked >= 40, "the walk reached the brand operations"
    assert snapshot(b) == before, "nothing of brand B changed"


def test_public_operations_are_marked_and_expose_only_published_content(server):
    a = make_brand(server, "a@example.com", "Alpha")
    marked = {(m, p) for m, p, op in operations(server.url) if op.get("security") == []}
    assert marked == PUBLIC
    owner, slug = a["owner"], a["slug"]
    r = requests.get(f"{server.url}/api/public/brands/{slug}/products/alpha-sweater")
    assert r.status_code == 404, "a draft product is not public"
    owner.request("PATCH", f"/api/brands/{a['ids']['brandId']}/products/{a['ids']['productId']}",
                  json={"status": "active"})
    r = requests.get(f"{server.url}/api/public/brands/{slug}/products/alpha-sweater")
    assert r.status_code == 200
    assert set(r.json()) == {"id", "handle", "title", "descriptionHtml", "vendor", "productType", "tags",
                             "optionNames", "images", "variants"}
    brand = requests.get(f"{server.url}/api/public/brands/{slug}").json()
    assert set(brand) <= {"name", "slug", "logoUrl", "accentColor", "languages"}
    assert requests.get(f"{server.url}/api/invitations/not-a-token").status_code == 404


def test_schemathesis_finds_no_server_error_and_no_response_outside_the_document(server):
    a = make_brand(server, "a@example.com", "Alpha")
    report = os.path.join(server.data_dir, "schemathesis.xml")
    cmd = [os.path.join(ROOT, ".build/test-venv/bin/schemathesis"), "run", server.url + "/api/openapi.yaml",
           "--url", server.url, "-H", "Authorization: Bearer " + a["secret"],
           "-c", "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
           "-n", os.environ.get("VITRINE_SCHEMATHESIS_EXAMPLES", "15"), "--seed", "20261123",
           "--no-color", "--report", "junit", "--report-junit-path", report, "-w", "1"]
    # One worker: CPython 3.11.7's ast.parse is not thread-safe ("AST constructor recursion depth
    # mismatch" inside hypothesis); run from the data folder so its caches stay out of the checkout.
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=server.data_dir)
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
    assert "request failed" not in server.output(), "no request ended in a server error"


def test_no_secret_reaches_the_logs(server):
    a = make_brand(server, "a@example.com", "Alpha")
    requests.get(server.url + f"/api/brands/{a['ids']['brandId']}/products",
                 headers={"Authorization": "Bearer " + a["secret"]})
    requests.post(server.url + "/api/auth/login", json={"email": "a@example.com", "password": "wrong password here"})
    log = server.output()
    assert "request" in log, "the access log is on"
    for secret in (a["secret"], PASSWORD, "wrong password here", a["owner"].http.cookies.get("vitrine_session"),
                   a["owner"].me["csrfToken"]):
        assert secret not in log
