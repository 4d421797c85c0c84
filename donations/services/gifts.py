"""One-off gifts: a PaymentIntent (same gateway and page script as the shop's checkout).

A donation is ``paid`` only on Stripe's word, once: the donation's row lock makes the browser
and the webhooks, in whatever order and number they come, record it once.
"""

import datetime
from decimal import Decimal

import stripe
from django.db import transaction
from django.utils import timezone

from donations import identity as identities
from donations.models import Donation, Donor, GiftIdentity
from donations.services.notifications import thank_for
from donations.services.receipts import issue_receipt
from payments import card_attempts, gateway
from payments.gateway import CardPaymentFailed

# Metadata that marks Stripe objects as ours (the shop's orders use "kiosque_order").
ONE_OFF_PURPOSE = "kiosque_donation"


def start_one_off_donation(
    *,
    donor: Donor,
    amount: Decimal,
    language: str,
    identity: GiftIdentity | None = None,
    placed_by=None,
) -> Donation:
    """``placed_by``: the account signed in, which sees this gift before verifying its email."""
    identity = identity or identities.current_identity(donor)
    return Donation.objects.create(
        donor=donor, amount=amount, language=language, identity=identity, placed_by=placed_by
    )


def paid_at(timestamp) -> datetime.datetime:
    if timestamp:
        return datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    return timezone.now()


def is_one_off_payment(intent) -> bool:
    metadata = gateway.field(intent, "metadata", {})
    return gateway.field(metadata, "purpose") == ONE_OFF_PURPOSE and bool(
        gateway.field(metadata, "donation")
    )


def charge_donation(donation: Donation, setup_intent_id: str) -> stripe.PaymentIntent:
    """Charge the card the page set up. Raises CardPaymentFailed when nothing is charged."""
    try:
        customer, payment_method = card_attempts.card_of_setup(setup_intent_id)
        intent = gateway.create_payment_intent(
            {
                "amount": gateway.to_cents(donation.amount),
                "currency": "eur",
                "customer": customer,
                "payment_method": payment_method,
                "confirm": True,
                "metadata": {"purpose": ONE_OFF_PURPOSE, "donation": str(donation.pk)},
            },
            idempotency_key=f"kiosque-donation-{donation.pk}",
        )
    except CardPaymentFailed as failure:
        _record_failure(donation, failure.code)
        raise
    Donor.objects.filter(pk=donation.donor_id).update(stripe_customer_id=customer or "")
    Donation.objects.filter(pk=donation.pk, payment_intent_id=None).update(
        payment_intent_id=intent.id
    )
    donation.payment_intent_id = intent.id
    return _follow(donation, intent)


def complete_donation_payment(donation: Donation) -> stripe.PaymentIntent:
    """After 3-D Secure in the page: what Stripe says of the PaymentIntent now."""
    intent = gateway.retrieve_payment_intent(donation.payment_intent_id)
    return _follow(donation, intent)


def _follow(donation: Donation, intent: stripe.PaymentIntent) -> stripe.PaymentIntent:
    if intent.status == "succeeded":
        record_paid_donation(intent)
    elif intent.status in gateway.REFUSED:
        failure = gateway.refusal(intent)
        _record_failure(donation, failure.code)
        raise failure
    # "requires_action" (3-D Secure in the page) or "processing" (the webhook tells).
    return intent


def _record_failure(donation: Donation, code: str) -> None:
    Donation.objects.filter(pk=donation.pk, status=Donation.Status.PENDING).update(
        status=Donation.Status.FAILED, error_code=code[:255]
    )


def record_failed_donation(intent) -> None:
    if is_one_off_payment(intent):
        donation = Donation(pk=int(intent["metadata"]["donation"]))
        _record_failure(donation, gateway.refusal(intent).code)


@transaction.atomic
def record_paid_donation(intent) -> Donation | None:
    """Record the one-off gift a succeeded PaymentIntent paid, once; None if not a gift's."""
    if not is_one_off_payment(intent):
        return None
    if intent["status"] != "succeeded":
        raise ValueError(f"PaymentIntent {intent['id']} has not succeeded ({intent['status']})")
    donation = Donation.objects.select_for_update().get(pk=int(intent["metadata"]["donation"]))
    charge = gateway.field(intent, "latest_charge")
    if donation.status == Donation.Status.REFUNDED and donation.paid_at is None:
        # The refund was told first: the gift was paid, then given back; no receipt.
        donation.paid_at = paid_at(gateway.field(charge, "created") or intent["created"])
        donation.save(update_fields=["paid_at"])
    if donation.status in (Donation.Status.PAID, Donation.Status.REFUNDED):
        return donation
    donation.status = Donation.Status.PAID
    donation.payment_intent_id = intent["id"]
    donation.amount = gateway.from_cents(intent["amount"])
    donation.paid_at = paid_at(gateway.field(charge, "created") or intent["created"])
    donation.error_code = ""
    donation.save()
    identities.adopt_paid_identity(donation)
    thank_for(donation, issue_receipt([donation]))
    return donation
