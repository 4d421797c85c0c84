"""A webhook storm: every event three times, out of order, twenty at once, on PostgreSQL.
The end state is the one a clean delivery in order gives."""

import json
import random

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import Donation, MonthlyGift, Receipt
from payments import gateway
from payments.models import StripeEvent
from tests.support import stripe_standin as standin_helpers
from tests.support.checkout import THREE_D_SECURE
from tests.support.concurrency import concurrent, run_together
from tests.support.donations import give, invoice_event, pay, post_event

pytestmark = [
    concurrent,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("association", "outbox_emails"),
]


def authenticated_but_not_back(client, standin, **gift):
    """A gift paid after 3-D Secure whose page never came back: only Stripe can tell."""
    give(client, **gift)
    answer = pay(client, standin, THREE_D_SECURE).json()
    return standin.confirm_card_payment(answer["client_secret"])


def test_the_same_end_state_whatever_the_order_and_number_of_events(stripe_standin):
    one_off = authenticated_but_not_back(Client(), stripe_standin)
    monthly_client = Client()
    authenticated_but_not_back(monthly_client, stripe_standin, frequency="monthly", amount="20")
    gift = MonthlyGift.objects.get()
    invoice_id = (
        gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id).latest_invoice
    )

    inbox = stripe_standin.inbox
    succeeded = inbox.wait_for("payment_intent.succeeded", one_off["id"])
    created = inbox.wait_for("customer.subscription.created", gift.stripe_subscription_id)
    invoice_succeeded = inbox.wait_for("invoice.payment_succeeded", invoice_id)
    paid = invoice_event("invoice.paid", invoice_id, gift.stripe_subscription_id, cents=2000)
    refund = gateway.client().v1.refunds.create(params={"payment_intent": one_off["id"]})
    charge = gateway.client().v1.charges.retrieve(refund.charge)
    refunded = standin_helpers.event("charge.refunded", json.loads(str(charge)))
    events = [
        succeeded,
        created,
        invoice_succeeded,
        (paid, standin_helpers.sign(paid)),
        (refunded, standin_helpers.sign(refunded)),
    ]
    # First the refund before its payment, invoice.paid before its subscription...
    first = [post_event(*events[4]), post_event(*events[3])]
    # ...then every event three times in all, shuffled, eighteen at once.
    storm = random.Random(7).sample(events * 3, 15) + events[:3]

    answers = first + run_together(*[
        (lambda payload=payload, signature=signature: post_event(payload, signature))
        for payload, signature in storm
    ])  # fmt: skip

    assert len(answers) == 20
    assert all(not isinstance(answer, Exception) for answer in answers), answers
    assert [answer.status_code for answer in answers] == [200] * 20
    assert StripeEvent.objects.count() == 5  # each event recorded once
    # The one-off gift: paid, then wholly refunded, so no receipt in force.
    donation = Donation.objects.get(monthly_gift__isnull=True)
    assert donation.status == Donation.Status.REFUNDED and donation.paid_at is not None
    assert not Receipt.objects.filter(status=Receipt.Status.ISSUED, donations=donation).exists()
    # The monthly gift: started, and one donation for its first invoice, receipted once.
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.ACTIVE
    monthly = Donation.objects.get(monthly_gift=gift)
    assert monthly.invoice_id == invoice_id and monthly.status == Donation.Status.PAID
    assert Receipt.objects.filter(donations=monthly, status=Receipt.Status.ISSUED).count() == 1
    # The monthly donor's page comes back too, and finds the gift started.
    complete = reverse("donations:card-complete")
    assert Client().post(complete).json() == {"redirect": reverse("donations:payment")}
