"""Failed SEPA debits as the stand-in really sends them (its failing IBAN, its old API shape,
events about half a second after the debit): the handlers read them as they read Stripe's."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from donations.models import Donation, Mandate, MonthlyGift, Receipt
from donations.services.monthly import MONTHLY_PURPOSE
from kiosque.models import OutboxEmail
from payments import gateway, subscriptions
from tests.support.donations import FAILING_IBAN as PAGE_FAILING_IBAN
from tests.support.donations import give, make_donor, pay_by_debit, post_event

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
    # Its first month: the gift never started (nothing of it was ever paid).
    assert gift.status == MonthlyGift.Status.FAILED and gift.error_code == "first_debit_refused"
    failed = Donation.objects.get(invoice_id=invoice)
    assert (failed.status, failed.amount, failed.mandate) == (
        Donation.Status.FAILED,
        Decimal("10.00"),
        mandate,
    )
    assert "rejeté par votre banque" in OutboxEmail.objects.get(to=[donor.email]).body


# Through the payment page (its SEPA flow), the stand-in's failing IBAN ----------------------


@pytest.fixture
def treasurer(django_user_model):
    from django.contrib.auth.models import Group

    from kiosque.access import TREASURER_GROUP

    user = django_user_model.objects.create_user(
        "claire", "claire@example.org", "x-long-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=TREASURER_GROUP))
    return user


def test_a_one_off_debit_refused_from_the_page_tells_donor_and_treasurer(
    client, stripe_standin, treasurer
):
    give(client)
    pay_by_debit(client, stripe_standin, PAGE_FAILING_IBAN)
    donation = Donation.objects.get()
    payload, signature = stripe_standin.inbox.wait_for(
        "payment_intent.payment_failed", donation.payment_intent_id
    )
    assert post_event(payload, signature).status_code == 200

    donation.refresh_from_db()
    assert donation.status == Donation.Status.FAILED and not Receipt.objects.exists()
    failed = OutboxEmail.objects.get(to=[donation.donor.email], subject__contains="rejeté")
    assert "aucun reçu fiscal" in failed.body and "/don/" in failed.body
    assert "Prélèvement rejeté" in OutboxEmail.objects.get(to=[treasurer.email]).subject
    # Replayed: nothing more.
    assert post_event(payload, signature).status_code == 200
    assert OutboxEmail.objects.filter(subject__contains="rejeté").count() == 2  # donor, treasurer


@pytest.mark.parametrize("subscription_ended_first", [True, False])
def test_a_monthly_first_debit_refused_from_the_page_never_starts_the_gift(
    client, stripe_standin, treasurer, subscription_ended_first
):
    """The stand-in ends the subscription before it tells the refused invoice; Stripe may
    tell them in either order: the gift did not start, the donor and the treasury are told
    so, whatever the order."""
    give(client, frequency="monthly", amount="20")
    pay_by_debit(client, stripe_standin, PAGE_FAILING_IBAN)
    gift = MonthlyGift.objects.get()
    first = Donation.objects.get()
    assert first.status == Donation.Status.PROCESSING

    failed = stripe_standin.inbox.wait_for("invoice.payment_failed", first.invoice_id)
    ended = stripe_standin.inbox.wait_for(
        "customer.subscription.deleted", gift.stripe_subscription_id
    )
    for payload, signature in (ended, failed) if subscription_ended_first else (failed, ended):
        assert post_event(payload, signature).status_code == 200

    first.refresh_from_db()
    gift.refresh_from_db()
    assert first.status == Donation.Status.FAILED and not Receipt.objects.exists()
    assert Donation.objects.count() == 1
    assert (gift.status, gift.failed_payments) == (MonthlyGift.Status.FAILED, 0)
    told = OutboxEmail.objects.get(to=[gift.donor.email], subject__contains="rejeté")
    assert "votre don mensuel n'a pas démarré" in told.body and "/don/" in told.body
    (treasury,) = OutboxEmail.objects.filter(to=[treasurer.email])
    assert "le don n'a pas démarré" in treasury.body
    assert "0 paiement" not in treasury.body
    thanks = client.get(reverse("donations:thanks")).content.decode()
    assert "Votre banque a refusé le premier prélèvement" in thanks
