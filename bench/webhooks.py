"""Webhook processing: signed ``payment_intent.succeeded`` events posted to the real endpoint
of gunicorn (2 workers), each to completion (gift paid, receipt issued, email in the outbox),
by several senders at once, as Stripe sends them."""

import hashlib
import hmac
import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from bench.common import WEBHOOK_SECRET, gunicorn
from bench.export_memory import make_donors


def signed(payload: bytes) -> str:
    timestamp = int(time.time())
    digest = hmac.new(
        WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def pending_gifts(count: int) -> list:
    from decimal import Decimal

    from donations.models import Donation

    donors = make_donors(count, "webhook")
    return Donation.objects.bulk_create(
        Donation(donor=donor, amount=Decimal("50.00"), status=Donation.Status.PENDING)
        for donor in donors
    )


def event(donation, n: int) -> bytes:
    intent = {
        "id": f"pi_bench_{donation.pk}",
        "object": "payment_intent",
        "status": "succeeded",
        "amount": 5000,
        "currency": "eur",
        "created": int(time.time()),
        "latest_charge": None,
        "metadata": {"purpose": "kiosque_donation", "donation": str(donation.pk)},
    }
    return json.dumps(
        {
            "id": f"evt_bench_{donation.pk}_{n}",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {"object": intent},
        }
    ).encode()


def run(events: int = 200, senders: int = 8) -> dict:
    from donations.models import Donation, Receipt

    gifts = pending_gifts(events)
    payloads = [event(gift, n) for n, gift in enumerate(gifts)]
    with gunicorn(workers=2) as base:

        def post(payload: bytes) -> int:
            request = urllib.request.Request(
                f"{base}/stripe/webhook/",
                data=payload,
                headers={"Content-Type": "application/json", "Stripe-Signature": signed(payload)},
            )
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status

        started = time.perf_counter()
        with ThreadPoolExecutor(senders) as pool:
            statuses = list(pool.map(post, payloads))
        seconds = time.perf_counter() - started
    ids = [gift.pk for gift in gifts]
    paid = Donation.objects.filter(pk__in=ids, status=Donation.Status.PAID).count()
    receipts = Receipt.objects.filter(donations__pk__in=ids).count()
    return {
        "events": events,
        "senders": senders,
        "events_per_s": round(events / seconds, 1),
        "all_answered_200": statuses.count(200) == events,
        "gifts_paid": paid,
        "receipts_issued": receipts,
        "exactly_one_donation_per_event": paid == events == receipts,
    }
