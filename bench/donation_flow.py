"""A donation end to end, as a donor's browser makes it: form posted, card set up at the
Stripe stand-in (as Stripe.js would), gift paid, the stand-in's signed webhook through the
endpoint, receipt issued, thank-you email delivered by a Celery worker whose mail server
takes 2 seconds to accept a message. The donor's page must not wait for that server."""

import re
import statistics
import time
import types

import requests

from bench.common import celery_worker, empty_broker, free_port, gunicorn

CARD = "4242424242424242"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def give(base: str, standin, n: int) -> tuple[float, str]:
    """One donor's visit; returns the seconds the donor waited and their email."""
    browser = requests.Session()
    form = browser.get(f"{base}/don/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    email = f"donatrice{n}@example.org"
    fields = {
        "csrfmiddlewaretoken": token, "amount": "50", "other_amount": "", "frequency": "once",
        "first_name": "Marie", "last_name": f"Curie {n}", "email": email,
        "line1": "36 quai de Béthune", "line2": "", "postcode": "75004", "city": "Paris",
        "country": "France",
    }  # fmt: skip
    started = time.perf_counter()
    payment_page = browser.post(f"{base}/don/", data=fields)
    assert payment_page.url.endswith("/don/paiement/"), payment_page.url
    ajax = {"X-CSRFToken": browser.cookies["csrftoken"], "Referer": f"{base}/don/paiement/"}
    setup = browser.post(f"{base}/don/paiement/carte/", headers=ajax).json()
    setup_intent = standin.confirm_card_setup(setup["client_secret"], CARD)
    paid = browser.post(
        f"{base}/don/paiement/payer/", data={"setup_intent": setup_intent["id"]}, headers=ajax
    ).json()
    thanks = browser.get(base + paid["redirect"])
    waited = time.perf_counter() - started
    assert thanks.status_code == 200 and "Merci" in thanks.text
    return started, waited, email


def run(donations: int = 15, mail_seconds: float = 2.0) -> dict:
    from kiosque.models import OutboxEmail
    from tests.support.stripe_standin import WEBHOOK_SECRET, StandIn

    port = free_port()
    webhook = types.SimpleNamespace(url=f"http://127.0.0.1:{port}/stripe/webhook/")
    standin = StandIn(webhook)
    stripe = {
        "STRIPE_SECRET_KEY": "sk_test_kiosque",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_kiosque",
        "STRIPE_API_BASE": standin.url,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    pages, whole = [], []
    empty_broker()
    try:
        with (
            gunicorn(workers=2, port=port, **stripe) as base,
            celery_worker(
                EMAIL_DELIVERY_BACKEND="bench.slow_mail.SlowMailServer",
                SLOW_MAIL_SECONDS=str(mail_seconds),
                **stripe,
            ),
        ):
            for n in range(donations):
                started, waited, email = give(base, standin, n)
                sent = OutboxEmail.objects.filter(
                    to=[email], subject__startswith="Merci", sent_at__isnull=False
                )
                deadline = time.monotonic() + 120
                while not sent.exists():
                    assert time.monotonic() < deadline, f"no thank-you email for {email}"
                    time.sleep(0.02)
                pages.append(waited)
                whole.append(time.perf_counter() - started)
    finally:
        standin.stop()
    return {
        "donations": donations,
        "mail_server_seconds": mail_seconds,
        "page_median_ms": round(statistics.median(pages) * 1000),
        "page_p95_ms": round(percentile(pages, 0.95) * 1000),
        "email_delivered_median_ms": round(statistics.median(whole) * 1000),
        "email_delivered_p95_ms": round(percentile(whole, 0.95) * 1000),
    }
