"""/stripe/webhook/: verified, stored once, placing the order once whichever arrives first."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from payments import gateway, intents
from payments.models import StripeEvent
from shop.checkout import services
from shop.models import CardPayment
from tests.support import stripe_standin as standin_helpers
from tests.support.checkout import PDF_ISSUE, THREE_D_SECURE, VISA, fill_basket, go_to_payment, pay
from tests.support.concurrency import concurrent, run_together

Order = get_model("order", "Order")
WEBHOOK = "/stripe/webhook/"

pytestmark = pytest.mark.usefixtures("demo")


def post_event(client, payload: bytes, signature: str | None):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(WEBHOOK, payload, content_type="application/json", **headers)


def paid_by_3ds_awaiting_browser(client, standin):
    """A 3-D Secure payment the reader confirmed; the browser has not come back yet."""
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    answer = pay(client, standin, THREE_D_SECURE).json()
    intent = standin.confirm_card_payment(answer["client_secret"])
    assert intent["status"] == "succeeded"
    return intent["id"]


def test_bad_or_missing_signature_is_refused_and_changes_nothing(client, stripe_standin):
    intent_id = paid_by_3ds_awaiting_browser(client, stripe_standin)
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent_id)
    forged = standin_helpers.sign(payload, secret="whsec_not_the_right_one")
    tampered = payload.replace(b'"amount": 600', b'"amount": 1')

    assert post_event(client, payload, None).status_code == 400
    assert post_event(client, payload, forged).status_code == 400
    assert post_event(client, tampered, signature).status_code == 400
    assert post_event(client, b"not json", standin_helpers.sign(b"not json")).status_code == 400
    assert not StripeEvent.objects.exists()
    assert not Order.objects.exists()
    assert post_event(client, payload, signature).status_code == 200  # the genuine one
    assert Order.objects.count() == 1


def test_webhook_before_the_browser_places_the_order_once(client, stripe_standin):
    intent_id = paid_by_3ds_awaiting_browser(client, stripe_standin)
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent_id)

    assert post_event(Client(), payload, signature).status_code == 200
    order = Order.objects.get()
    assert order.sources.get().reference == intent_id

    complete = client.post(reverse("checkout:card-complete"))  # the browser comes back
    assert complete.json() == {"redirect": reverse("checkout:thank-you")}
    assert Order.objects.get() == order
    assert order.number in client.get(reverse("checkout:thank-you")).content.decode()


def test_webhook_after_the_browser_and_twice_changes_nothing(client, stripe_standin):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    assert pay(client, stripe_standin, VISA).status_code == 200
    order = Order.objects.get()
    intent_id = order.sources.get().reference
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent_id)

    for __ in range(2):
        assert post_event(Client(), payload, signature).status_code == 200

    assert Order.objects.get() == order
    assert order.payment_events.count() == 1
    stored = StripeEvent.objects.get(event_id=json.loads(payload)["id"])
    assert stored.type == "payment_intent.succeeded" and stored.handled


def test_events_the_site_does_not_use_are_stored_and_acknowledged(client, stripe_standin):
    customer = gateway.client().v1.customers.create(params={"email": "a@example.org"})
    payload, signature = stripe_standin.inbox.wait_for("customer.created", customer.id)

    assert post_event(client, payload, signature).status_code == 200
    stored = StripeEvent.objects.get()
    assert (stored.type, stored.handled) == ("customer.created", False)


def test_failed_payment_event_marks_the_attempt(client, stripe_standin):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    pay(client, stripe_standin, "4000000000000341")
    payment = CardPayment.objects.get()
    charge = gateway.client().v1.charges.list().data[0]
    payload, signature = stripe_standin.inbox.wait_for(
        "payment_intent.payment_failed", charge.payment_intent
    )
    assert post_event(client, payload, signature).status_code == 200
    payment.refresh_from_db()
    assert payment.status == CardPayment.Status.FAILED
    assert not Order.objects.exists()


@concurrent
@pytest.mark.django_db(transaction=True)
def test_browser_and_webhook_at_the_same_time_make_one_order(client, stripe_standin):
    intent_id = paid_by_3ds_awaiting_browser(client, stripe_standin)
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent_id)

    browser, webhook = run_together(
        lambda: client.post(reverse("checkout:card-complete")),
        lambda: post_event(Client(), payload, signature),
    )

    assert browser.status_code == 200, browser
    assert browser.json() == {"redirect": reverse("checkout:thank-you")}
    assert webhook.status_code == 200
    assert Order.objects.count() == 1
    assert Order.objects.get().sources.get().reference == intent_id


@concurrent
@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_placements_make_one_order(client, stripe_standin):
    intent_id = paid_by_3ds_awaiting_browser(client, stripe_standin)
    paid = intents.paid(gateway.client().v1.payment_intents.retrieve(intent_id))

    orders = run_together(*[lambda: services.place_paid_order(paid)] * 6)

    assert Order.objects.count() == 1
    assert all(order == Order.objects.get() for order in orders), orders
