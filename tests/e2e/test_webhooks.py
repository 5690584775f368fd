"""Webhooks to a real HTTP endpoint on loopback: signatures checked with Python's hmac, retries
after failures, the delivery log, and the address check at delivery time."""
import hashlib
import hmac
import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from conftest import Server, Session, create_owner, free_port
from test_mail import create_show, mail_env, register_and_confirm, smtp  # noqa: F401 (smtp is a fixture)

ALLOW = {"VITRINE_WEBHOOKS_PRIVATE_ALLOWED": "true", "VITRINE_JOBS_RETRY_DELAY": "1"}


class Endpoint:
    """An HTTP server that records every POST and answers with the next status of `statuses` (then 200)."""

    def __init__(self, statuses=()):
        self.requests, self.statuses = [], list(statuses)
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint.requests.append({"headers": dict(self.headers), "body": body, "at": time.time()})
                status = endpoint.statuses.pop(0) if endpoint.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://localhost:{self.http.server_port}/hooks/vitrine"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def wait(self, count, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.requests) >= count:
                return self.requests
            time.sleep(0.1)
        raise AssertionError(f"{len(self.requests)} of {count} webhook requests arrived in {timeout} s")

    def close(self):
        self.http.shutdown()


@pytest.fixture
def endpoint():
    e = Endpoint(statuses=[500])
    yield e
    e.close()


def verify(request, secret):
    """Checks `Vitrine-Signature: t=…,v1=…` as a receiver would, independently of Vitrine's code."""
    parts = dict(item.split("=", 1) for item in request["headers"]["Vitrine-Signature"].split(","))
    signed = parts["t"].encode() + b"." + request["body"]
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, parts["v1"]), "signature mismatch"
    assert abs(int(parts["t"]) - time.time()) < 120, "timestamp is current"
    return json.loads(request["body"])


def test_show_live_is_signed_retried_after_a_failure_and_logged(data_dir, endpoint):
    # setup
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=ALLOW)
    server = Server(data_dir, free_port(), env=ALLOW)
    try:
        owner = Session(server.url, "owner@example.com")
        brand = owner.brand_id(slug)
        created = owner.request("POST", f"/api/brands/{brand}/webhooks",
                                json={"url": endpoint.url, "events": ["show.live"], "description": "ERP"})
        assert created.status_code == 201, created.text
        secret, hook = created.json()["secret"], created.json()["endpoint"]["id"]
        show = create_show(owner, brand, "Jeudi beauté", datetime.now(timezone.utc) + timedelta(hours=1))
        # MUT
        r = owner.request("POST", f"/api/brands/{brand}/shows/{show['id']}/transitions", json={"event": "live"})
        assert r.status_code == 200, r.text
        first, second = endpoint.wait(2)
        # validate: the first answer was 500, the retry got through, both signed and identical
        for request in (first, second):
            payload = verify(request, secret)
            assert payload["type"] == "show.live"
            assert payload["data"]["show"]["id"] == show["id"]
            assert payload["data"]["show"]["status"] == "live"
            assert request["headers"]["Vitrine-Event"] == "show.live"
            assert request["headers"]["Content-Type"] == "application/json"
        assert first["body"] == second["body"]
        assert first["headers"]["Vitrine-Event-Id"] == second["headers"]["Vitrine-Event-Id"] == payload["id"]
        with pytest.raises(AssertionError):
            verify(first, secret + "x")
        deadline = time.time() + 10
        while time.time() < deadline:
            log = owner.request("GET", f"/api/brands/{brand}/webhooks/{hook}/deliveries").json()["items"]
            if log and log[0]["status"] == "delivered":
                break
            time.sleep(0.2)
        assert [(d["event"], d["status"], d["attempts"], d["responseStatus"]) for d in log] == \
            [("show.live", "delivered", 2, 200)]
        assert "secret" not in json.dumps(log) and secret not in server.output(), "the secret is never logged"
        # "send test event" reaches the endpoint too, whatever it subscribed to
        test = owner.request("POST", f"/api/brands/{brand}/webhooks/{hook}/test")
        assert test.status_code == 202
        assert verify(endpoint.wait(3)[2], secret)["type"] == "webhook.test"
    finally:
        server.stop()


def test_registration_created_carries_the_confirmed_viewer(data_dir, smtp, endpoint):  # noqa: F811
    # setup
    env = {**mail_env(smtp), **ALLOW}
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=env)
    server = Server(data_dir, free_port(), env=env)
    try:
        owner = Session(server.url, "owner@example.com")
        brand = owner.brand_id(slug)
        endpoint.statuses = []
        created = owner.request("POST", f"/api/brands/{brand}/webhooks",
                                json={"url": endpoint.url, "events": ["registration.created"]}).json()
        show = create_show(owner, brand, "Jeudi beauté", datetime.now(timezone.utc) + timedelta(days=2))
        # MUT
        register_and_confirm(server, slug, show, smtp, "Confirmez votre rappel pour « Jeudi beauté »")
        # validate
        payload = verify(endpoint.wait(1)[0], created["secret"])
        assert payload["type"] == "registration.created"
        assert payload["data"]["registration"]["email"] == "viewer@example.com"
        assert payload["data"]["registration"]["showId"] == show["id"]
        assert payload["data"]["registration"]["marketingConsent"] is False
        assert "unsubscribe" not in json.dumps(payload).lower(), "no viewer token leaves Vitrine"
        registrations = owner.request("GET", f"/api/brands/{brand}/shows/{show['id']}/registrations").json()
        assert (registrations["confirmed"], registrations["items"][0]["email"]) == (1, "viewer@example.com")
    finally:
        server.stop()


def test_the_address_is_checked_again_at_delivery(data_dir, endpoint):
    # setup: an endpoint on loopback accepted by a server that allows it…
    slug = create_owner(data_dir, "owner@example.com", "Maison", env=ALLOW)
    server = Server(data_dir, free_port(), env=ALLOW)
    owner = Session(server.url, "owner@example.com")
    brand = owner.brand_id(slug)
    hook = owner.request("POST", f"/api/brands/{brand}/webhooks",
                         json={"url": endpoint.url, "events": ["show.live"]}).json()["endpoint"]["id"]
    show = create_show(owner, brand, "Jeudi", datetime.now(timezone.utc) + timedelta(hours=1))
    server.stop()
    # …then a server that does not: as when a public name starts resolving to a private address
    server = Server(data_dir, free_port(), env={"VITRINE_JOBS_RETRY_DELAY": "1"})
    try:
        owner = Session(server.url, "owner@example.com")
        # MUT
        owner.request("POST", f"/api/brands/{brand}/shows/{show['id']}/transitions", json={"event": "live"})
        # validate
        deadline = time.time() + 15
        while time.time() < deadline:
            log = owner.request("GET", f"/api/brands/{brand}/webhooks/{hook}/deliveries").json()["items"]
            if log and log[0]["attempts"] >= 1:
                break
            time.sleep(0.2)
        assert log[0]["status"] == "pending" and log[0].get("responseStatus") is None
        assert "private" in log[0]["error"] and ("127.0.0.1" in log[0]["error"] or "::1" in log[0]["error"])
        time.sleep(1.5)
        assert endpoint.requests == [], "nothing was sent to the private address"
        jobs = owner.request("GET", f"/api/brands/{brand}/jobs?status=pending").json()["items"]
        assert any(j["kind"] == "webhook.deliver" and "private" in (j["lastError"] or "") for j in jobs)
    finally:
        server.stop()
