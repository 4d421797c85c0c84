"""Giving online, once or every month, through HTTP with the real SDK against the stand-in."""

import json
from decimal import Decimal

import pytest

from donations.models import Donation, Receipt
from kiosque.models import OutboxEmail
from payments import gateway
from tests.support import stripe_standin as standin_helpers
from tests.support.donations import attachments, give, pay, post_event

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


def test_a_refund_cancels_the_receipt(client, stripe_standin):
    give(client)
    pay(client, stripe_standin)
    donation = Donation.objects.get()
    receipt = donation.receipt
    refund = gateway.client().v1.refunds.create(
        params={"payment_intent": donation.payment_intent_id}
    )
    charge = gateway.client().v1.charges.retrieve(refund.charge)
    payload = standin_helpers.event("charge.refunded", json.loads(str(charge)))

    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200
    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200  # replay

    receipt.refresh_from_db()
    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED
    assert receipt.is_cancelled and receipt.cancellation_reason.startswith("Remboursement")
    assert Receipt.objects.count() == 1  # nothing left to receipt
    told = OutboxEmail.objects.order_by("-pk").first()
    assert receipt.number in told.subject and "annulé" in told.subject


def test_a_partial_refund_issues_a_corrected_receipt(client, stripe_standin):
    give(client, amount="100")
    pay(client, stripe_standin)
    donation = Donation.objects.get()
    refund = gateway.client().v1.refunds.create(
        params={"payment_intent": donation.payment_intent_id, "amount": 3000}
    )
    charge = gateway.client().v1.charges.retrieve(refund.charge)
    payload = standin_helpers.event("charge.refunded", json.loads(str(charge)))

    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200

    cancelled, corrected = Receipt.objects.order_by("sequence")
    assert cancelled.is_cancelled and corrected.replaces == cancelled
    assert corrected.amount == Decimal("70.00")
    told = OutboxEmail.objects.order_by("-pk").first()
    assert list(attachments(told)) == [f"recu-fiscal-{corrected.number}.pdf"]
