"""Card testing through the client secret: refusals are counted where they happen, at Stripe
(``setup_intent.setup_failed`` and ``payment_intent.payment_failed``), against the intent, the
client's address and the email; successful payments never count."""

import datetime
import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from donations.models import Donation
from payments.models import CardAttempt
from tests.support import stripe_standin as standin_helpers
from tests.support.checkout import (
    DECLINED_AT_CHARGE,
    PDF_ISSUE,
    THREE_D_SECURE,
    VISA,
    fill_basket,
    go_to_payment,
)
from tests.support.checkout import pay as checkout_pay
from tests.support.donations import give, pay, post_event

pytestmark = pytest.mark.usefixtures("association")

DECLINED_AT_SETUP = "4000000000000002"
Order = get_model("order", "Order")


def setup_secret(client) -> str:
    response = client.post(reverse("donations:card-setup"))
    assert response.status_code == 200, response.content
    return response.json()["client_secret"]


def checkout_start(client) -> str:
    response = client.post(reverse("checkout:card-setup"))
    assert response.status_code == 200, response.content
    return response.json()["client_secret"]


def declined_at_stripe(standin, client_secret: str) -> None:
    """Stripe.js confirming the SetupIntent with a card the bank refuses, as a card tester's
    script does without the site; Stripe then sends ``setup_intent.setup_failed`` (the
    stand-in never does: built as Stripe documents it, signed with the endpoint secret)."""
    answer = standin.confirm_card_setup(client_secret, DECLINED_AT_SETUP)
    assert answer.get("http_status") == 402, answer
    setup_intent = standin.request("GET", f"/v1/setup_intents/{client_secret.split('_secret_')[0]}")
    setup_intent |= {
        "status": "requires_payment_method",
        "last_setup_error": {"type": "card_error", "code": "card_declined"},
    }
    payload = standin_helpers.event("setup_intent.setup_failed", setup_intent)
    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200


def test_a_setup_intent_confirmed_again_and_again_at_stripe_is_cancelled(
    client, stripe_standin, settings
):
    settings.KIOSQUE_PAYMENT_INTENT_FAILURES_LIMIT = 3
    give(client)
    secret = setup_secret(client)
    for _ in range(3):
        declined_at_stripe(stripe_standin, secret)

    attempt = CardAttempt.objects.get()
    assert attempt.failures == 3 and attempt.canceled_at is not None
    setup_intent_id = secret.split("_secret_")[0]
    assert stripe_standin.request("GET", f"/v1/setup_intents/{setup_intent_id}")["status"] == (
        "canceled"
    )
    # The stand-in lets the cancelled SetupIntent be confirmed again (Stripe would not):
    # the site still never charges a card set up through it.
    assert stripe_standin.confirm_card_setup(secret, VISA)["status"] == "succeeded"
    response = client.post(reverse("donations:card-pay"), {"setup_intent": setup_intent_id})
    assert response.status_code == 402
    assert response.json()["error"].startswith("Trop de tentatives de paiement")
    assert not Donation.objects.filter(status="paid").exists()
    assert not stripe_standin.request("GET", "/v1/payment_intents")["data"]


def test_refusals_at_stripe_count_against_the_address_and_the_email(
    client, stripe_standin, settings
):
    settings.KIOSQUE_PAYMENT_FAILURES_LIMIT = 3
    give(client)
    for _ in range(3):  # three SetupIntents, each refused once: no single intent is at its limit
        declined_at_stripe(stripe_standin, setup_secret(client))

    refused = client.post(reverse("donations:card-setup"))
    assert refused.status_code == 429
    assert refused.json()["error"].startswith("Trop de tentatives de paiement")
    # The same email from another address, too.
    elsewhere = Client(REMOTE_ADDR="203.0.113.7")
    give(elsewhere)
    assert elsewhere.post(reverse("donations:card-setup")).status_code == 429
    # Someone else somewhere else is not concerned.
    other = Client(REMOTE_ADDR="203.0.113.8")
    give(other, email="autre@example.org")
    assert other.post(reverse("donations:card-setup")).status_code == 200


def test_intents_set_up_before_the_limit_are_cancelled_when_it_is_reached(
    client, stripe_standin, settings
):
    """A tester who opens many SetupIntents first, then tries one card on each."""
    settings.KIOSQUE_PAYMENT_FAILURES_LIMIT = 2
    give(client)
    secrets = [setup_secret(client) for _ in range(4)]
    for secret in secrets[:2]:
        declined_at_stripe(stripe_standin, secret)

    assert CardAttempt.objects.filter(canceled_at__isnull=True).count() == 0
    assert stripe_standin.confirm_card_setup(secrets[3], VISA)["status"] == "succeeded"
    response = client.post(
        reverse("donations:card-pay"), {"setup_intent": secrets[3].split("_secret_")[0]}
    )
    assert response.status_code == 402
    assert not stripe_standin.request("GET", "/v1/payment_intents")["data"]


def deliver_failed_payments(standin, count: int) -> None:
    """Stripe's ``payment_intent.payment_failed`` events, as the stand-in sent them (~1 s
    after the refusal), delivered to the site."""
    deadline = time.monotonic() + 15
    while True:
        with standin.inbox.lock:
            failed = [
                (payload, signature)
                for payload, signature in standin.inbox.events
                if json.loads(payload)["type"] == "payment_intent.payment_failed"
            ]
        if len(failed) >= count or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(failed) == count
    for payload, signature in failed:
        assert post_event(payload, signature).status_code == 200


def test_refusals_of_the_site_s_own_charges_count_too(client, stripe_standin, settings):
    settings.KIOSQUE_PAYMENT_FAILURES_LIMIT = 2
    for _ in range(2):
        give(client)
        assert pay(client, stripe_standin, DECLINED_AT_CHARGE).status_code == 402
    deliver_failed_payments(stripe_standin, 2)

    give(client)
    assert client.post(reverse("donations:card-setup")).status_code == 429


def test_declines_and_purchases_of_an_office_behind_one_address_never_block_it(
    client, stripe_standin
):
    """With the settings as shipped: 2 declines, then five colleagues each paying once."""
    give(client, email="distrait@example.org")
    assert pay(client, stripe_standin, DECLINED_AT_CHARGE).status_code == 402
    give(client, email="distrait@example.org")
    assert pay(client, stripe_standin, DECLINED_AT_CHARGE).status_code == 402
    deliver_failed_payments(stripe_standin, 2)
    for n in range(5):
        colleague = Client()  # the same address (127.0.0.1), another person
        give(colleague, email=f"collegue{n}@example.org")
        assert pay(colleague, stripe_standin).status_code == 200

    assert Donation.objects.filter(status="paid").count() == 5


def test_twenty_declines_from_one_address_are_stopped(client, stripe_standin):
    """With the settings as shipped: the refusals Stripe reports, whatever emails are typed."""
    stopped_at = None
    for n in range(20):
        give(client, email=f"testeur{n}@example.org")
        setup = client.post(reverse("donations:card-setup"))
        if setup.status_code == 429:
            stopped_at = n
            break
        declined_at_stripe(stripe_standin, setup.json()["client_secret"])
    assert stopped_at is not None and stopped_at <= 10


def test_every_card_form_counts_refusals_and_never_charges_a_cancelled_setup(
    client, stripe_standin, demo, settings
):
    """The class: the shop's checkout and the monthly gift's form too."""
    settings.KIOSQUE_PAYMENT_INTENT_FAILURES_LIMIT = 2
    # The shop's checkout.
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    secret = checkout_start(client)
    for _ in range(2):
        declined_at_stripe(stripe_standin, secret)
    assert stripe_standin.confirm_card_setup(secret, VISA)["status"] == "succeeded"
    response = client.post(
        reverse("checkout:card-pay"), {"setup_intent": secret.split("_secret_")[0]}
    )
    assert response.status_code == 402
    assert not Order.objects.exists()
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 1
    # A monthly gift.
    donor = Client(REMOTE_ADDR="203.0.113.20")
    give(donor, frequency="monthly", email="mensuel@example.org")
    secret = setup_secret(donor)
    for _ in range(2):
        declined_at_stripe(stripe_standin, secret)
    assert stripe_standin.confirm_card_setup(secret, VISA)["status"] == "succeeded"
    response = donor.post(
        reverse("donations:card-pay"), {"setup_intent": secret.split("_secret_")[0]}
    )
    assert response.status_code == 402
    assert not stripe_standin.request("GET", "/v1/subscriptions")["data"]


def test_a_payment_intent_s_client_secret_is_cancelled_after_refusals(
    client, stripe_standin, demo, settings
):
    """A 3-D Secure payment hands the page the PaymentIntent's client secret: refusals of
    it (confirmed again at Stripe with other cards) count, and it is cancelled."""
    settings.KIOSQUE_PAYMENT_INTENT_FAILURES_LIMIT = 2
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    answer = checkout_pay(client, stripe_standin, THREE_D_SECURE).json()
    intent_id = answer["client_secret"].split("_secret_")[0]
    for _ in range(2):
        intent = stripe_standin.request("GET", f"/v1/payment_intents/{intent_id}")
        intent |= {
            "status": "requires_payment_method",
            "last_payment_error": {"type": "card_error", "code": "card_declined"},
        }
        payload = standin_helpers.event("payment_intent.payment_failed", intent)
        assert post_event(payload, standin_helpers.sign(payload)).status_code == 200

    assert stripe_standin.request("GET", f"/v1/payment_intents/{intent_id}")["status"] == (
        "canceled"
    )
    assert CardAttempt.objects.get().canceled_at is not None
    assert not Order.objects.exists()


def test_card_attempts_are_forgotten_after_a_day(db):
    from payments.tasks import purge_card_attempts

    for name, age in (("seti_old", 25), ("seti_new", 23)):
        attempt = CardAttempt.objects.create(
            setup_intent_id=name, client_ip="192.0.2.1", email="a@example.org"
        )
        CardAttempt.objects.filter(pk=attempt.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=age)
        )

    assert purge_card_attempts() == 1
    assert list(CardAttempt.objects.values_list("setup_intent_id", flat=True)) == ["seti_new"]
