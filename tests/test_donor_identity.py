"""A donor's name and address: an unpaid form never changes them; a receipt carries the
identity given with the payments it covers (issue 16, item 2)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from donations import services
from donations.models import Association, Donation, Donor, MonthlyGift, Receipt
from tests import stripe_standin as standin_helpers
from tests.test_donations import DONOR, give, pay, post_event

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

MARIE = ["36 quai de Béthune", "75004 Paris", "France"]
MOVED = {"line1": "11 rue Pierre et Marie Curie", "postcode": "75005"}
FORGED = {
    "first_name": "Mallory",
    "last_name": "Faussaire",
    "line1": "1 rue du Mensonge",
    "postcode": "13001",
    "city": "Marseille",
}


def paid_invoice(invoice_id: str, subscription_id: str, paid_at: datetime.datetime) -> None:
    """Stripe's ``invoice.paid`` for a later month of a subscription, signed."""
    payload = standin_helpers.event(
        "invoice.paid",
        {
            "id": invoice_id,
            "object": "invoice",
            "status": "paid",
            "amount_paid": 1000,
            "currency": "eur",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription_id},
            },
            "status_transitions": {"paid_at": int(paid_at.timestamp())},
        },
    )
    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200


def forge(email: str = DONOR["email"]):
    """The attack: an anonymous gift form with someone else's email, never paid."""
    response = give(Client(), frequency="once", email=email.upper(), **FORGED)
    assert response.status_code == 302


def test_an_unpaid_form_never_rewrites_the_identity_on_the_next_monthly_receipt(
    client, stripe_standin
):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.PER_PAYMENT)
    give(client, amount="other", other="10", frequency="monthly")
    assert pay(client, stripe_standin).json() == {"redirect": reverse("donations:thanks")}
    gift = MonthlyGift.objects.get()

    forge()

    donor = Donor.objects.get()
    assert (donor.first_name, donor.last_name, donor.address_lines) == ("Marie", "Curie", MARIE)
    attempt = Donation.objects.get(status=Donation.Status.PENDING)
    assert attempt.donor == donor  # the attempt keeps what was typed with it, for the record
    assert (attempt.identity.last_name, attempt.identity.city) == ("Faussaire", "Marseille")

    paid_invoice("in_next_month", gift.stripe_subscription_id, datetime.datetime.now(datetime.UTC))

    receipt = Donation.objects.get(invoice_id="in_next_month").receipt
    assert (receipt.donor_first_names, receipt.donor_last_name) == ("Marie", "Curie")
    assert receipt.donor_address == MARIE
    assert not Receipt.objects.filter(donor_last_name="Faussaire").exists()
    donor.refresh_from_db()
    assert donor.last_name == "Curie"


def test_a_paid_gift_brings_its_new_address_and_the_monthly_gift_keeps_its_own(
    client, stripe_standin
):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.PER_PAYMENT)
    give(client, amount="other", other="10", frequency="monthly")
    pay(client, stripe_standin)
    gift = MonthlyGift.objects.get()

    # Marie moved: she says so with a one-off gift, and pays it.
    give(client, amount="20", **MOVED)
    assert pay(client, stripe_standin).json() == {"redirect": reverse("donations:thanks")}

    donor = Donor.objects.get()
    moved = ["11 rue Pierre et Marie Curie", "75005 Paris", "France"]
    assert donor.address_lines == moved
    one_off = Donation.objects.get(monthly_gift=None)
    assert one_off.receipt.donor_address == moved
    # The monthly gift's next month is receipted with what was given when it was set up.
    paid_invoice("in_next_month", gift.stripe_subscription_id, datetime.datetime.now(datetime.UTC))
    assert Donation.objects.get(invoice_id="in_next_month").receipt.donor_address == MARIE


def test_a_summary_receipt_carries_the_identity_of_the_year_s_latest_paid_gift(
    client, stripe_standin
):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.ANNUAL)
    give(client, amount="other", other="10", frequency="monthly")
    pay(client, stripe_standin)
    first = MonthlyGift.objects.get()
    # A second monthly gift, set up from her new address and paid.
    give(client, amount="other", other="10", frequency="monthly", **MOVED)
    pay(client, stripe_standin)
    second = MonthlyGift.objects.exclude(pk=first.pk).get()
    year = datetime.date.today().year
    paid_invoice("in_first_gift", first.stripe_subscription_id, datetime.datetime(year, 1, 5))
    forge()
    paid_invoice("in_second_gift", second.stripe_subscription_id, datetime.datetime(year, 1, 9))
    forge()

    run = services.issue_annual_receipts(year)

    assert run.count == 1
    receipt = Receipt.objects.get(kind=Receipt.Kind.ANNUAL)
    assert len(receipt.payments) == 4
    assert (receipt.donor_first_names, receipt.donor_last_name) == ("Marie", "Curie")
    latest = Donation.objects.filter(monthly_gift__isnull=False).order_by("paid_at").last()
    assert latest.monthly_gift == second
    assert receipt.donor_address == ["11 rue Pierre et Marie Curie", "75005 Paris", "France"]
