"""A local server that answers as Stripe's API documentation describes, for the Stripe provider's
tests: PaymentIntents (create, retrieve, confirm, cancel) and refunds, form-encoded, with bearer
keys, idempotency keys and Stripe's error bodies; and signed webhook events sent to Vitrine as
Stripe sends them (`Stripe-Signature: t=...,v1=HMAC-SHA256(secret, "t.body")`).

It also serves a stand-in for Stripe.js at /v3/ (tests/e2e/fake_stripe.js): the player's Payment
Element code runs against it in Chromium, as it runs against js.stripe.com for real."""
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

HERE = os.path.dirname(os.path.abspath(__file__))


def sign(payload: bytes, secret: str, timestamp=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def error(status, kind, message, code=None):
    body = {"error": {"type": kind, "message": message}}
    if code:
        body["error"]["code"] = code
    return status, body


class FakeStripe:
    def __init__(self, secret_key="sk_test_fake4242", publishable_key="pk_test_fake4242",
                 webhook_secret="whsec_fakefake4242"):
        self.secret_key, self.publishable_key, self.webhook_secret = secret_key, publishable_key, webhook_secret
        self.webhook_url = None
        self.intents, self.refunds, self.requests, self.events = {}, [], [], []
        self.idempotency = {}
        # When set, refund requests are dropped unanswered (a network failure).
        self.fail_refunds = False
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
                self.end_headers()
                self.wfile.write(data)

            def do_OPTIONS(self):
                self._answer(204, b"")

            def do_GET(self):
                if self.path.startswith("/v3"):
                    with open(os.path.join(HERE, "fake_stripe.js"), "rb") as f:
                        return self._answer(200, f.read(), "text/javascript")
                self._answer(*fake.handle("GET", self.path, self.headers, {}))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
                if fake.fail_refunds and self.path.startswith("/v1/refunds"):
                    # The network fails: the connection drops before Stripe saw the request, so
                    # nothing is done and nothing is saved under its idempotency key.
                    self.close_connection = True
                    return
                self._answer(*fake.handle("POST", self.path, self.headers, form))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    # The API.

    def handle(self, method, path, headers, form):
        path = path.split("?")[0]
        auth = headers.get("Authorization", "")
        key = auth[len("Bearer "):] if auth.startswith("Bearer ") else form.get("key", "")
        with self.lock:
            self.requests.append({"method": method, "path": path, "headers": dict(headers), "form": form,
                                  "key": key})
        publishable = key == self.publishable_key
        if key != self.secret_key and not publishable:
            return error(401, "invalid_request_error",
                         f"Invalid API Key provided: {key[:8]}****{key[-4:]}" if key else "You did not provide an API key.")
        parts = path.strip("/").split("/")
        if publishable:
            # Stripe.js: only a PaymentIntent's own client secret opens it.
            if not (len(parts) >= 3 and parts[:2] == ["v1", "payment_intents"]):
                return error(403, "invalid_request_error", "This key cannot do this.")
            intent = self.intents.get(parts[2])
            if intent is None or form.get("client_secret") != intent["client_secret"]:
                return error(404, "invalid_request_error", "No such payment_intent.", "resource_missing")
        if method == "POST" and headers.get("Idempotency-Key"):
            idem = (key, headers["Idempotency-Key"])
            with self.lock:
                if idem in self.idempotency:
                    seen_path, seen_form, answer = self.idempotency[idem]
                    if (seen_path, seen_form) != (path, form):
                        return error(400, "idempotency_error",
                                     "Keys for idempotent requests can only be used with the same parameters "
                                     "they were first used with.")
                    return answer
            answer = self.route(method, parts, form)
            with self.lock:
                self.idempotency[idem] = (path, form, answer)
            return answer
        return self.route(method, parts, form)

    def route(self, method, parts, form):
        if parts[:2] == ["v1", "payment_intents"]:
            if method == "POST" and len(parts) == 2:
                return self.create_intent(form)
            intent = self.intents.get(parts[2]) if len(parts) > 2 else None
            if intent is None:
                return error(404, "invalid_request_error", f"No such payment_intent: '{parts[2] if len(parts) > 2 else ''}'",
                             "resource_missing")
            if method == "GET" and len(parts) == 3:
                return 200, intent
            if method == "POST" and len(parts) == 4 and parts[3] == "cancel":
                if intent["status"] == "succeeded":
                    return error(400, "invalid_request_error",
                                 "You cannot cancel this PaymentIntent because it has a status of succeeded.",
                                 "payment_intent_unexpected_state")
                intent["status"] = "canceled"
                return 200, intent
            if method == "POST" and len(parts) == 4 and parts[3] == "confirm":
                return self.confirm(intent, form.get("payment_method", "pm_card_visa"))
        if parts == ["v1", "refunds"] and method == "POST":
            return self.refund(form)
        return error(404, "invalid_request_error", "Unrecognized request URL.")

    def create_intent(self, form):
        try:
            amount = int(form.get("amount", ""))
        except ValueError:
            return error(400, "invalid_request_error", "Missing required param: amount.", "parameter_missing")
        if amount < 50:
            return error(400, "invalid_request_error", "Amount must be at least €0.50 eur", "amount_too_small")
        if not form.get("currency"):
            return error(400, "invalid_request_error", "Missing required param: currency.", "parameter_missing")
        ident = "pi_" + secrets.token_hex(12)
        intent = {
            "id": ident, "object": "payment_intent", "amount": amount, "amount_received": 0,
            "currency": form["currency"], "status": "requires_payment_method",
            "client_secret": f"{ident}_secret_{secrets.token_hex(12)}", "livemode": False,
            "description": form.get("description"),
            "payment_method_types": [v for k, v in sorted(form.items()) if k.startswith("payment_method_types[")]
            or ["card"],
            "automatic_payment_methods": {"enabled": form.get("automatic_payment_methods[enabled]") == "true"},
            "metadata": {k[len("metadata["):-1]: v for k, v in form.items() if k.startswith("metadata[")},
            "last_payment_error": None,
        }
        self.intents[ident] = intent
        return 200, intent

    def confirm(self, intent, method):
        if intent["status"] in ("succeeded", "canceled"):
            return error(400, "invalid_request_error",
                         f"This PaymentIntent's status is {intent['status']}.", "payment_intent_unexpected_state")
        if method == "pm_card_chargeDeclined":
            intent["status"] = "requires_payment_method"
            intent["last_payment_error"] = {"type": "card_error", "code": "card_declined",
                                            "message": "Your card was declined."}
            self.send("payment_intent.payment_failed", intent)
            return error(402, "card_error", "Your card was declined.", "card_declined")
        intent["status"] = "succeeded"
        intent["amount_received"] = intent["amount"]
        intent["last_payment_error"] = None
        self.send("payment_intent.succeeded", intent)
        return 200, intent

    def refund(self, form):
        intent = self.intents.get(form.get("payment_intent", ""))
        if intent is None:
            return error(404, "invalid_request_error", "No such payment_intent.", "resource_missing")
        refunded = sum(r["amount"] for r in self.refunds if r["payment_intent"] == intent["id"])
        amount = int(form.get("amount") or intent["amount_received"] - refunded)
        if intent["status"] != "succeeded":
            return error(400, "invalid_request_error", "This PaymentIntent does not have a successful charge to refund.",
                         "charge_not_refundable")
        if amount <= 0 or refunded + amount > intent["amount_received"]:
            return error(400, "invalid_request_error",
                         f"Refund amount ({amount}) is greater than unrefunded amount on charge.",
                         "amount_too_large")
        refund = {"id": "re_" + secrets.token_hex(12), "object": "refund", "amount": amount,
                  "payment_intent": intent["id"], "status": "succeeded", "currency": intent["currency"],
                  "metadata": {k[len("metadata["):-1]: v for k, v in form.items() if k.startswith("metadata[")}}
        self.refunds.append(refund)
        return 200, refund

    # Webhooks.

    def event(self, kind, intent):
        return {"id": "evt_" + secrets.token_hex(12), "object": "event", "type": kind,
                "api_version": "2024-06-20", "created": int(time.time()), "livemode": False,
                "data": {"object": dict(intent)}}

    def send(self, kind, intent, secret=None, timestamp=None, signature=None):
        """Posts a signed event to Vitrine's webhook endpoint; returns the response. Sent at once
        (Stripe sends them within seconds of the change)."""
        body = json.dumps(self.event(kind, intent)).encode()
        header = signature if signature is not None else sign(body, secret or self.webhook_secret, timestamp)
        response = requests.post(self.webhook_url, data=body, timeout=10,
                                 headers={"Content-Type": "application/json", "Stripe-Signature": header})
        self.events.append((kind, response.status_code))
        return response
