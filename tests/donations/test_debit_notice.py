"""SEPA's pre-notification: from Stripe's ``invoice.upcoming`` (an invoice without an id of
its own), the donor of a monthly gift paid by direct debit is told the amount, the date, the
mandate and the creditor. Cards, paused and stopped gifts: nothing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from donations.models import Donation, Mandate, MonthlyGift
from kiosque.models import OutboxEmail
from payments import events
from tests.support import stripe_standin as standin_helpers
from tests.support.donations import make_donor, post_event

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

DUE = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = standin_helpers.WEBHOOK_SECRET


def upcoming(subscription_id, cents=1500, **changes):
    """``invoice.upcoming`` as Stripe sends it: a draft with no ``id``."""
    invoice = {
        "object": "invoice",
        "status": "draft",
        "amount_due": cents,
        "currency": "eur",
        "billing_reason": "upcoming",
        "collection_method": "charge_automatically",
        "created": int(DUE.timestamp()) - 3600,
        "period_end": int(DUE.timestamp()) - 60,
        "next_payment_attempt": int(DUE.timestamp()),
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription_id},
        },
        **changes,
    }
    return standin_helpers.event("invoice.upcoming", invoice)


def send(payload, status=200):
    response = post_event(payload, standin_helpers.sign(payload))
    assert response.status_code == status, response.content
    return response


def gift(method=Donation.Method.DIRECT_DEBIT, **changes):
    donor = make_donor()
    mandate = Mandate.objects.create(
        donor=donor,
        reference="KIOSQUE-MANDAT-0042",
        signed_at=timezone.now(),
        account_label="FR76 •••• •••• 1234",
        stripe_payment_method_id="pm_sepa_test",
    )
    fields = {
        "donor": donor,
        "amount": Decimal("15.00"),
        "status": MonthlyGift.Status.ACTIVE,
        "stripe_subscription_id": "sub_monthly_sepa",
        "method": method,
        "mandate": mandate if method == Donation.Method.DIRECT_DEBIT else None,
        "language": "fr",
    }
    return MonthlyGift.objects.create(**{**fields, **changes})


def test_a_sepa_gift_s_donor_is_told_amount_date_mandate_and_creditor(association):
    sepa = gift()

    send(upcoming("sub_monthly_sepa"))

    (email,) = OutboxEmail.objects.all()
    assert email.to == [sepa.donor.email]
    text = email.body.replace("\xa0", " ").replace("\u202f", " ")
    assert "15,00 €" in text and "7 décembre 2026" in text
    assert "KIOSQUE-MANDAT-0042" in text
    assert f"Créancier : {association.name}" in text
    assert "prélèvement de 15,00 €" in email.subject.replace("\xa0", " ").replace("\u202f", " ")


def test_a_card_gift_gets_no_pre_notification():
    gift(method=Donation.Method.CARD)
    send(upcoming("sub_monthly_sepa"))
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"status": MonthlyGift.Status.STOPPED},
        {"paused_until": datetime.date(2027, 1, 31)},
    ],
)
def test_a_gift_that_will_not_be_debited_gets_none(changes):
    gift(**changes)
    send(upcoming("sub_monthly_sepa"))
    assert not OutboxEmail.objects.exists()


def test_a_pause_ended_before_the_debit_does_not_stop_it():
    gift(paused_until=datetime.date(2026, 11, 30))
    send(upcoming("sub_monthly_sepa"))
    assert OutboxEmail.objects.count() == 1


def test_another_subscription_s_upcoming_invoice_is_left_alone():
    gift()
    send(upcoming("sub_someone_else"))
    assert not OutboxEmail.objects.exists()


def test_a_replayed_upcoming_invoice_sends_one_email():
    gift()
    payload = upcoming("sub_monthly_sepa")
    send(payload)
    send(payload)
    assert OutboxEmail.objects.count() == 1


def test_an_upcoming_invoice_without_its_subscription_is_left_alone():
    gift()
    send(upcoming(None, parent=None))
    send(upcoming("", parent=None, subscription=""))
    assert not OutboxEmail.objects.exists()


def test_only_upcoming_invoices_may_come_without_an_id():
    upcoming_invoice = events.from_stripe(
        "invoice.upcoming",
        {"object": "invoice", "subscription": "sub_x", "amount_due": 100, "period_end": 1},
    )
    assert upcoming_invoice == events.InvoiceUpcoming(
        subscription_id="sub_x",
        amount=Decimal("1.00"),
        due_at=datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=datetime.UTC),
    )
    with pytest.raises(TypeError):
        events.from_stripe("invoice.payment_failed", {"object": "invoice", "subscription": "s"})
