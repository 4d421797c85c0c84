"""Failed SEPA debits as the stand-in really sends them (its failing IBAN, its old API shape,
events about half a second after the debit): the handlers read them as they read Stripe's."""

from decimal import Decimal

import pytest
from django.utils import timezone

from donations.models import Donation, Mandate, MonthlyGift
from donations.services.monthly import MONTHLY_PURPOSE
from kiosque.models import OutboxEmail
from payments import gateway, subscriptions
from tests.support.donations import make_donor, post_event

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

FAILING_IBAN = "DE62370400440532013001"  # always fails at the stand-in


def sepa_customer():
    client = gateway.client()
    customer = client.v1.customers.create()
    method = client.v1.payment_methods.create(
        params={"type": "sepa_debit", "sepa_debit": {"iban": FAILING_IBAN}}
    )
    client.v1.payment_methods.attach(method.id, params={"customer": customer.id})
    client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": method.id}}
    )
    return customer.id, method.id


def test_a_one_off_debit_failing_at_the_stand_in(stripe_standin):
    donation = Donation.objects.create(
        donor=make_donor(),
        amount=Decimal("50.00"),
        status=Donation.Status.PROCESSING,
        method=Donation.Method.DIRECT_DEBIT,
    )
    customer, method = sepa_customer()
    intent = gateway.client().v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "eur",
            "customer": customer,
            "payment_method": method,
            "payment_method_types": ["sepa_debit"],
            "confirm": True,
            "metadata": {"purpose": "kiosque_donation", "donation": str(donation.pk)},
        }
    )
    Donation.objects.filter(pk=donation.pk).update(payment_intent_id=intent.id)

    payload, signature = stripe_standin.inbox.wait_for("payment_intent.payment_failed", intent.id)
    assert post_event(payload, signature).status_code == 200

    donation.refresh_from_db()
    assert donation.status == Donation.Status.FAILED and donation.receipt is None
    assert OutboxEmail.objects.filter(to=[donation.donor.email]).count() == 1


def test_a_monthly_debit_failing_at_the_stand_in(stripe_standin):
    donor = make_donor()
    customer, method = sepa_customer()
    mandate = Mandate.objects.create(
        donor=donor,
        reference="KIOSQUE-MANDAT-0099",
        signed_at=timezone.now(),
        account_label="DE•• •••• •••• 3001",
        stripe_payment_method_id=method,
    )
    gift = MonthlyGift.objects.create(
        donor=donor,
        amount=Decimal("10.00"),
        status=MonthlyGift.Status.ACTIVE,
        method=Donation.Method.DIRECT_DEBIT,
        mandate=mandate,
    )
    # The subscription's id is not stored yet: the handler finds the gift by its metadata.
    subscription = gateway.client().v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"plan": subscriptions.monthly_plan(Decimal("10"))}],
            "metadata": {"purpose": MONTHLY_PURPOSE, "monthly_gift": str(gift.pk)},
        }
    )
    invoice = gateway.object_id(subscription.latest_invoice)

    payload, signature = stripe_standin.inbox.wait_for("invoice.payment_failed", invoice)
    assert post_event(payload, signature).status_code == 200

    gift.refresh_from_db()
    assert gift.stripe_subscription_id == subscription.id
    assert gift.failed_payments == 1 and gift.lapsed_at is not None
    failed = Donation.objects.get(invoice_id=invoice)
    assert (failed.status, failed.amount, failed.mandate) == (
        Donation.Status.FAILED,
        Decimal("10.00"),
        mandate,
    )
    assert "rejeté par votre banque" in OutboxEmail.objects.get(to=[donor.email]).body
