"""Test helpers around the Stripe stand-in (localstripe), run as a real HTTP server.

The tests talk to it with the real `stripe` SDK (through the site's code) and, where the
reader's browser would run Stripe.js, with the very requests Stripe.js sends to it.
"""

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEBHOOK_SECRET = "whsec_kiosque_tests"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WebhookInbox:
    """An HTTP endpoint that keeps the signed events the stand-in posts, to replay them later."""

    def __init__(self):
        self.events: list[tuple[bytes, str]] = []
        self.lock = threading.Lock()
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with inbox.lock:
                    inbox.events.append((body, self.headers["Stripe-Signature"]))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def clear(self):
        with self.lock:
            self.events.clear()

    def wait_for(self, event_type: str, object_id: str, timeout=15) -> tuple[bytes, str]:
        """The (payload, Stripe-Signature) of the event about ``object_id``, as Stripe sent it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for body, signature in self.events:
                    event = json.loads(body)
                    if event["type"] == event_type and event["data"]["object"]["id"] == object_id:
                        return body, signature
            time.sleep(0.1)
        raise AssertionError(f"no {event_type} event for {object_id} within {timeout}s")


class StandIn:
    def __init__(self, inbox: WebhookInbox):
        self.inbox = inbox
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devtools.stripe_standin", "--port", str(self.port),
             "--webhook-url", inbox.url, "--webhook-secret", WEBHOOK_SECRET],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,  # devtools/ is not installed: found from the project's root
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                self.request("GET", "/v1/balance")
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the Stripe stand-in did not start") from None
                time.sleep(0.1)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def request(self, method: str, path: str, body: dict | None = None, auth=True) -> dict:
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = "Bearer sk_test_kiosque"
        request = urllib.request.Request(  # noqa: S310 (our own http:// URL)
            self.url + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers=headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                text = response.read()
        except urllib.error.HTTPError as error:
            return json.loads(error.read() or b"{}") | {"http_status": error.code}
        return json.loads(text) if text.strip() else {}

    def wipe(self):
        self.request("DELETE", "/_config/data")
        self.inbox.clear()

    # What Stripe.js does in the reader's browser -----------------------------------------

    def confirm_card_setup(self, client_secret: str, number: str, *, authenticate=True) -> dict:
        """``stripe.confirmCardSetup(client_secret, {payment_method: {card}})``."""
        setup_intent = client_secret.split("_secret_")[0]
        body = {
            "key": "pk_test_kiosque",
            "use_stripe_sdk": True,
            "client_secret": client_secret,
            "payment_method_data": {
                "type": "card",
                "card": {"number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"},
            },
        }
        result = self.request("POST", f"/v1/setup_intents/{setup_intent}/confirm", body, auth=False)
        if result.get("status") == "requires_action":
            # The 3-D Secure dialog, answered as the reader chooses.
            action = "confirm" if authenticate else "cancel"
            result = self.request(
                "POST",
                f"/v1/setup_intents/{setup_intent}/{action}",
                {"key": "pk_test_kiosque", "use_stripe_sdk": True, "client_secret": client_secret},
                auth=False,
            )
        return result

    def confirm_sepa_setup(self, client_secret: str, iban: str, name: str = "Marie Curie") -> dict:
        """``stripe.confirmSepaDebitSetup(client_secret, {payment_method: {sepa_debit}})``:
        the mandate the donor accepts in the page."""
        setup_intent = client_secret.split("_secret_")[0]
        body = {
            "key": "pk_test_kiosque",
            "use_stripe_sdk": True,
            "client_secret": client_secret,
            "payment_method_data": {
                "type": "sepa_debit",
                "sepa_debit": {"iban": iban},
                "billing_details": {"name": name, "email": "marie@example.org"},
            },
        }
        return self.request("POST", f"/v1/setup_intents/{setup_intent}/confirm", body, auth=False)

    def create_token(self, number: str) -> dict:
        """``stripe.createToken(card)``: the card of a one-off payment, as a token."""
        card = {"number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"}
        return self.request(
            "POST", "/v1/tokens", {"key": "pk_test_kiosque", "card": card}, auth=False
        )

    def confirm_card_payment(self, client_secret: str, *, authenticate=True) -> dict:
        """``stripe.confirmCardPayment(client_secret)``: the 3-D Secure step."""
        intent = client_secret.split("_secret_")[0]
        success = "true" if authenticate else "false"
        return self.request(
            "POST",
            f"/v1/payment_intents/{intent}/_authenticate?success={success}",
            {"key": "pk_test_kiosque", "client_secret": client_secret},
            auth=False,
        )


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header, computed as Stripe documents it."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event(event_type: str, obj: dict, event_id: str | None = None) -> bytes:
    """An event with the shape of Stripe's ``Event`` object, for types the stand-in never sends."""
    created = int(time.time())
    return json.dumps(
        {
            "id": event_id or f"evt_test_{event_type.replace('.', '_')}_{time.time_ns()}",
            "object": "event",
            "api_version": "2024-06-20",
            "created": created,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
            "data": {"object": obj},
        }
    ).encode()
