"""Refused payments: a monthly gift's invoice refused (card or SEPA debit), a one-off SEPA
debit returned. Nothing is receipted; the donor gets a link to pay again and the treasury is
told; the third refusal in a row stops the gift. Events built as Stripe documents them."""

import time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from donations.models import Donation, Mandate, MonthlyGift, Receipt
from kiosque.access import TREASURER_GROUP
from kiosque.models import OutboxEmail
from payments import gateway
from tests.support import stripe_standin as standin_helpers
from tests.support.donations import give, make_donor, paid_invoice, pay, post_event, token_in

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def treasurer(django_user_model):
    user = django_user_model.objects.create_user(
        "claire", "claire@example.org", "x-long-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=TREASURER_GROUP))
    return user


def failed_invoice(invoice_id, subscription_id, cents=1000, attempt=1, event_id=None):
    """``invoice.payment_failed`` as Stripe sends it (newer shape: the subscription under
    ``parent``; the invoice stays open while Stripe retries)."""
    return standin_helpers.event(
        "invoice.payment_failed",
        {
            "id": invoice_id,
            "object": "invoice",
            "status": "open",
            "amount_due": cents,
            "amount_paid": 0,
            "amount_remaining": cents,
            "attempt_count": attempt,
            "attempted": True,
            "billing_reason": "subscription_cycle",
            "collection_method": "charge_automatically",
            "currency": "eur",
            "next_payment_attempt": int(time.time()) + 3 * 86400,
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription_id},
            },
            "last_finalization_error": None,
        },
        event_id=event_id,
    )


def send(payload):
    response = post_event(payload, standin_helpers.sign(payload))
    assert response.status_code == 200, response.content
    return response


def monthly_gift_by(client, stripe_standin, *, sepa=True) -> MonthlyGift:
    """A monthly gift started in the page (its first month paid by card at the stand-in);
    for SEPA, then debited under a mandate (the page's SEPA flow is the lead's)."""
    give(client, frequency="monthly", amount="other", other="10")
    pay(client, stripe_standin)
    gift = MonthlyGift.objects.get()
    if sepa:
        mandate = Mandate.objects.create(
            donor=gift.donor,
            reference="KIOSQUE-MANDAT-0001",
            signed_at=timezone.now(),
            account_holder="Marie Curie",
            account_label="FR76 •••• •••• 1234",
            stripe_payment_method_id="pm_sepa_test",
        )
        gift.method, gift.mandate = Donation.Method.DIRECT_DEBIT, mandate
        gift.payment_label = "FR76 •••• •••• 1234"
        gift.save()
    OutboxEmail.objects.all().delete()  # the thanks of the first month
    return gift


def emails_to(address):
    return list(OutboxEmail.objects.filter(to=[address]).order_by("pk"))


def test_a_refused_debit_is_not_receipted_and_donor_and_treasurer_are_told(
    client, stripe_standin, treasurer
):
    gift = monthly_gift_by(client, stripe_standin)
    assert gift.method == Donation.Method.DIRECT_DEBIT
    receipts = Receipt.objects.count()

    send(failed_invoice("in_month_2", gift.stripe_subscription_id))

    failed = Donation.objects.get(invoice_id="in_month_2")
    assert (failed.status, failed.amount, failed.receipt) == (
        Donation.Status.FAILED,
        Decimal("10.00"),
        None,
    )
    assert (failed.method, failed.mandate) == (Donation.Method.DIRECT_DEBIT, gift.mandate)
    assert Receipt.objects.count() == receipts
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.ACTIVE
    assert gift.failed_payments == 1 and gift.lapsed_at is not None

    (donor_email,) = emails_to(gift.donor.email)
    assert "prélèvement" in donor_email.subject.lower()
    assert "rejeté par votre banque" in donor_email.body
    assert "aucun reçu fiscal" in donor_email.body
    assert "2 autres paiements" in donor_email.body
    # The link to new bank details or a card works, without an account.
    token = token_in(donor_email.body, "/don/mensuel/")
    assert Client().get(f"/don/mensuel/{token}/paiement/").status_code == 200
    assert f"{SITE}/don/mensuel/{token}/paiement/" in donor_email.body
    (treasury_email,) = emails_to(treasurer.email)
    assert "Curie" in treasury_email.subject and "10,00" in treasury_email.subject
    assert "1 paiement refusé" in treasury_email.body


def test_a_refused_card_payment_says_card(client, stripe_standin, treasurer):
    gift = monthly_gift_by(client, stripe_standin, sepa=False)
    send(failed_invoice("in_month_2", gift.stripe_subscription_id))
    (donor_email,) = emails_to(gift.donor.email)
    assert "carte" in donor_email.body and "prélèvement" not in donor_email.body.lower()
    assert Donation.objects.get(invoice_id="in_month_2").method == Donation.Method.CARD


def test_the_third_refusal_in_a_row_stops_the_gift_and_nothing_more_changes(
    client, stripe_standin, treasurer
):
    gift = monthly_gift_by(client, stripe_standin)
    subscription = gift.stripe_subscription_id
    # Stripe retries the same invoice: each attempt refused is one event of its own.
    send(failed_invoice("in_month_2", subscription, attempt=1))
    send(failed_invoice("in_month_2", subscription, attempt=2))
    gift.refresh_from_db()
    assert gift.failed_payments == 2 and gift.status == MonthlyGift.Status.ACTIVE
    assert Donation.objects.filter(invoice_id="in_month_2").count() == 1
    assert "1 autre paiement" in emails_to(gift.donor.email)[-1].body

    third = failed_invoice("in_month_2", subscription, attempt=3)
    send(third)

    gift.refresh_from_db()
    assert (gift.status, gift.error_code, gift.failed_payments) == (
        MonthlyGift.Status.STOPPED,
        "payments_refused",
        3,
    )
    assert gift.stopped_at is not None
    assert gateway.client().v1.subscriptions.retrieve(subscription).status == "canceled"
    stopped = emails_to(gift.donor.email)[-1]
    assert "arrêté" in stopped.subject and "/don/" in stopped.body
    assert "3 paiements de votre don mensuel ont été refusés" in stopped.body
    assert "arrêté" in emails_to(treasurer.email)[-1].subject
    emails = OutboxEmail.objects.count()

    # The same event again (Stripe's retry of a delivery), then a fourth refusal: nothing.
    send(third)
    send(failed_invoice("in_month_2", subscription, attempt=4))
    gift.refresh_from_db()
    assert (gift.status, gift.failed_payments) == (MonthlyGift.Status.STOPPED, 3)
    assert OutboxEmail.objects.count() == emails
    assert Donation.objects.filter(status=Donation.Status.FAILED).count() == 1


def test_a_replayed_refusal_counts_once(client, stripe_standin, treasurer):
    gift = monthly_gift_by(client, stripe_standin)
    payload = failed_invoice("in_month_2", gift.stripe_subscription_id)
    send(payload)
    send(payload)
    gift.refresh_from_db()
    assert gift.failed_payments == 1
    assert len(emails_to(gift.donor.email)) == 1


def test_a_refusal_told_after_the_invoice_was_paid_changes_nothing(
    client, stripe_standin, treasurer
):
    gift = monthly_gift_by(client, stripe_standin)
    paid_invoice("in_month_2", gift.stripe_subscription_id, timezone.now())
    OutboxEmail.objects.all().delete()

    send(failed_invoice("in_month_2", gift.stripe_subscription_id))

    paid = Donation.objects.get(invoice_id="in_month_2")
    assert paid.status == Donation.Status.PAID
    gift.refresh_from_db()
    assert (gift.failed_payments, gift.lapsed_at) == (0, None)
    assert not OutboxEmail.objects.exists()


def test_a_debit_in_progress_of_that_invoice_fails(client, stripe_standin, treasurer):
    gift = monthly_gift_by(client, stripe_standin)
    processing = Donation.objects.create(
        donor=gift.donor,
        monthly_gift=gift,
        amount=Decimal("10.00"),
        status=Donation.Status.PROCESSING,
        method=Donation.Method.DIRECT_DEBIT,
        mandate=gift.mandate,
        invoice_id="in_month_2",
    )
    send(failed_invoice("in_month_2", gift.stripe_subscription_id))
    processing.refresh_from_db()
    assert processing.status == Donation.Status.FAILED and processing.receipt is None
    assert Donation.objects.filter(invoice_id="in_month_2").count() == 1
    assert len(emails_to(gift.donor.email)) == 1


def test_a_gift_stopped_by_its_donor_is_not_counted_nor_mailed(client, stripe_standin, treasurer):
    gift = monthly_gift_by(client, stripe_standin)
    MonthlyGift.objects.filter(pk=gift.pk).update(status=MonthlyGift.Status.STOPPED)
    send(failed_invoice("in_month_2", gift.stripe_subscription_id))
    gift.refresh_from_db()
    assert gift.failed_payments == 0
    assert not Donation.objects.filter(invoice_id="in_month_2").exists()
    assert not OutboxEmail.objects.exists()


def test_another_subscription_s_refusal_is_left_alone(stripe_standin, treasurer):
    send(failed_invoice("in_not_ours", "sub_not_ours"))
    assert not Donation.objects.filter(invoice_id="in_not_ours").exists()
    assert not OutboxEmail.objects.exists()


# One-off gifts ---------------------------------------------------------------------------


def payment_failed(donation, status="requires_payment_method"):
    """``payment_intent.payment_failed`` of a one-off gift's SEPA debit, as Stripe sends it."""
    return standin_helpers.event(
        "payment_intent.payment_failed",
        {
            "id": donation.payment_intent_id,
            "object": "payment_intent",
            "amount": 5000,
            "currency": "eur",
            "status": status,
            "metadata": {"purpose": "kiosque_donation", "donation": str(donation.pk)},
            "payment_method_types": ["sepa_debit"],
            "last_payment_error": {
                "type": "invalid_request_error",
                "code": "payment_method_microdeposit_failed",
                "decline_code": "insufficient_funds",
            },
        },
    )


def one_off(status, method=Donation.Method.DIRECT_DEBIT):
    return Donation.objects.create(
        donor=make_donor(),
        amount=Decimal("50.00"),
        status=status,
        method=method,
        payment_intent_id=f"pi_test_{status}",
    )


def test_a_one_off_debit_returned_is_told_to_donor_and_treasurer(client, treasurer, settings):
    settings.STRIPE_WEBHOOK_SECRET = standin_helpers.WEBHOOK_SECRET
    donation = one_off(Donation.Status.PROCESSING)

    send(payment_failed(donation))

    donation.refresh_from_db()
    assert donation.status == Donation.Status.FAILED and donation.receipt is None
    (donor_email,) = emails_to(donation.donor.email)
    assert "rejeté par votre banque" in donor_email.body
    assert "aucun reçu fiscal" in donor_email.body
    assert f"{SITE}/don/" in donor_email.body
    assert Client().get("/don/").status_code == 200
    (treasury_email,) = emails_to(treasurer.email)
    assert "Prélèvement rejeté" in treasury_email.subject


def test_a_card_refused_in_the_page_sends_no_email(treasurer, settings):
    settings.STRIPE_WEBHOOK_SECRET = standin_helpers.WEBHOOK_SECRET
    donation = one_off(Donation.Status.PENDING, Donation.Method.CARD)
    send(payment_failed(donation))
    donation.refresh_from_db()
    assert donation.status == Donation.Status.FAILED
    assert not OutboxEmail.objects.exists()


def test_a_failure_told_after_the_debit_was_paid_changes_nothing(treasurer, settings):
    settings.STRIPE_WEBHOOK_SECRET = standin_helpers.WEBHOOK_SECRET
    donation = one_off(Donation.Status.PAID)
    payload = payment_failed(donation)
    send(payload)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID
    assert not OutboxEmail.objects.exists()


def test_a_forged_or_malformed_refusal_changes_nothing(client, stripe_standin, treasurer):
    gift = monthly_gift_by(client, stripe_standin)
    payload = failed_invoice("in_month_2", gift.stripe_subscription_id)
    forged = post_event(payload, standin_helpers.sign(payload, secret="whsec_someone_else"))
    assert forged.status_code == 400
    # Signed, but without the invoice's own id: it would match every debit not numbered yet.
    nameless = failed_invoice("", gift.stripe_subscription_id)
    assert post_event(nameless, standin_helpers.sign(nameless)).status_code == 400
    gift.refresh_from_db()
    assert (gift.failed_payments, gift.lapsed_at) == (0, None)
    assert not Donation.objects.filter(status=Donation.Status.FAILED).exists()
    assert not OutboxEmail.objects.exists()


def test_an_english_donor_is_told_in_english(client, stripe_standin, treasurer):
    gift = monthly_gift_by(client, stripe_standin)
    MonthlyGift.objects.filter(pk=gift.pk).update(language="en")
    send(failed_invoice("in_month_2", gift.stripe_subscription_id))
    (donor_email,) = emails_to(gift.donor.email)
    assert "returned by your bank" in donor_email.body
    # The treasury reads French whatever the donor's language.
    assert "a échoué" in emails_to(treasurer.email)[0].body
