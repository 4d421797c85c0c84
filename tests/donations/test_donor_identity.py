"""A donor's name and address: an unpaid form never changes them; a receipt carries the
identity given with the payments it covers (issue 16, item 2)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import Association, Donation, Donor, MonthlyGift, Receipt
from donations.services.annual import issue_annual_receipts
from donations.services.receipts import issue_receipt, reissue_receipt
from kiosque.models import OutboxEmail
from tests.support.donations import DONOR, give, paid_invoice, pay

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

    run = issue_annual_receipts(year)

    assert run.count == 1
    receipt = Receipt.objects.get(kind=Receipt.Kind.ANNUAL)
    assert len(receipt.payments) == 4
    assert (receipt.donor_first_names, receipt.donor_last_name) == ("Marie", "Curie")
    latest = Donation.objects.filter(monthly_gift__isnull=False).order_by("paid_at").last()
    assert latest.monthly_gift == second
    assert receipt.donor_address == ["11 rue Pierre et Marie Curie", "75005 Paris", "France"]


EVE = {
    "email": "Marie.Curie@EXAMPLE.org",
    "first_name": "Eve",
    "last_name": "Forgeuse",
    "line1": "1 rue du Mensonge",
    "postcode": "13001",
    "city": "Marseille",
}
EVE_NAMES = {"first_name": EVE["first_name"], "last_name": EVE["last_name"]}


def annual_email(receipt: Receipt) -> OutboxEmail:
    return OutboxEmail.objects.get(subject__contains=receipt.number)


def test_a_summary_receipt_never_names_one_person_for_another_s_gifts(client, stripe_standin):
    """The attack: Eve starts a monthly gift of 5 € under Marie's email and pays it; her
    identity becomes the donor row's. January's run issues one receipt per person."""
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.ANNUAL)
    year = datetime.date.today().year
    give(client, amount="other", other="50", frequency="monthly", email="marie.curie@example.org")
    pay(client, stripe_standin)
    maries = MonthlyGift.objects.get()
    for month in range(1, 12):
        paid = datetime.datetime(year, month, 5, 12, tzinfo=datetime.UTC)
        paid_invoice(f"in_marie_{month}", maries.stripe_subscription_id, paid, cents=5000)
    eve = Client()
    give(eve, amount="other", other="5", frequency="monthly", **EVE)
    pay(eve, stripe_standin)
    assert Donor.objects.get().first_name == "Eve"  # by design: her paid gift's identity
    assert MonthlyGift.objects.count() == 2

    run = issue_annual_receipts(year)

    assert (run.count, run.total) == (2, Decimal("605.00"))
    receipts = Receipt.objects.filter(kind=Receipt.Kind.ANNUAL).order_by("sequence")
    assert [receipt.sequence for receipt in receipts] == [1, 2]  # numbered, no gap
    marie = receipts.get(donor_last_name="Curie")
    assert (marie.donor_first_names, marie.amount, len(marie.payments)) == (
        "Marie",
        Decimal("600.00"),
        12,
    )
    assert marie.donor_address == MARIE
    forged = receipts.get(donor_last_name="Forgeuse")
    assert (forged.donor_first_names, forged.amount) == ("Eve", Decimal("5.00"))
    assert forged.donor_address == ["1 rue du Mensonge", "13001 Marseille", "France"]
    to_marie = annual_email(marie)
    assert "Bonjour Marie," in to_marie.body and "Bonjour Marie," in to_marie.html_body
    assert "Eve" not in to_marie.body + to_marie.html_body
    to_eve = annual_email(forged)
    assert "Bonjour Eve," in to_eve.body and "Marie" not in to_eve.body
    assert issue_annual_receipts(year).count == 0  # a second run issues nothing
    assert Receipt.objects.count() == 2


def test_a_donor_who_moved_mid_year_gets_one_summary_with_the_latest_address(
    client, stripe_standin
):
    """The same person, however the name was typed (case, accents, spaces): one receipt."""
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.ANNUAL)
    year = datetime.date.today().year
    give(client, amount="other", other="10", frequency="monthly")
    pay(client, stripe_standin)
    first = MonthlyGift.objects.get()
    paid_invoice("in_before", first.stripe_subscription_id, datetime.datetime(year, 1, 5))
    # She moved: a new monthly gift from her new address, her names typed differently.
    retyped = {"first_name": "  marie ", "last_name": "CURIÉ "}
    give(client, amount="other", other="10", frequency="monthly", **MOVED, **retyped)
    pay(client, stripe_standin)

    run = issue_annual_receipts(year)

    assert run.count == 1
    receipt = Receipt.objects.get(kind=Receipt.Kind.ANNUAL)
    assert len(receipt.payments) == 3
    assert receipt.donor_address == ["11 rue Pierre et Marie Curie", "75005 Paris", "France"]
    assert issue_annual_receipts(year).count == 0


def test_a_receipt_names_one_person_and_correcting_a_mixed_one_splits_it():
    """The class: no receipt covers two people's gifts, and a summary issued before they
    were per person is corrected into one receipt per person (the desk's name correction
    rewrites the printed person's gifts only)."""
    from donations.models import GiftIdentity
    from tests.support.donations import aware, make_donor, monthly_gift, paid_donation

    donor = make_donor()
    maries = GiftIdentity.objects.create(donor=donor, **donor.identity_fields())
    eves = GiftIdentity.objects.create(donor=donor, **(donor.identity_fields() | EVE_NAMES))
    gift = monthly_gift(donor)
    marie_gift = paid_donation(
        donor, "50", paid_at=aware(2026, 1, 5), monthly_gift=gift, identity=maries
    )
    eve_gift = paid_donation(
        donor, "5", paid_at=aware(2026, 2, 5), monthly_gift=monthly_gift(donor), identity=eves
    )
    with pytest.raises(ValueError, match="one person"):
        issue_receipt([marie_gift, eve_gift], annual=True)
    assert not Receipt.objects.exists()

    # A summary of both, as the run issued it before: in Eve's name (the latest gift's).
    Donation.objects.filter(pk=eve_gift.pk).update(identity=maries)
    legacy = issue_receipt([marie_gift, eve_gift], annual=True)
    Donation.objects.filter(pk=eve_gift.pk).update(identity=eves)
    Receipt.objects.filter(pk=legacy.pk).update(donor_first_names="Eve", amount=Decimal("55"))

    corrected = reissue_receipt(
        legacy, reason="Adresse", donor_details={"city": "Toulon", "line1": "2 rue Vraie"}
    )

    assert (corrected.donor_first_names, corrected.amount) == ("Eve", Decimal("5.00"))
    assert corrected.replaces == legacy and corrected.donor_address[0] == "2 rue Vraie"
    separate = Receipt.objects.exclude(pk__in=[legacy.pk, corrected.pk]).get()
    assert (separate.donor_first_names, separate.amount) == ("Marie Salomea", Decimal("50.00"))
    assert separate.donor_address[0] == "36 quai de Béthune"
    assert separate.sequence == corrected.sequence + 1  # no gap
    marie_gift.refresh_from_db()
    assert marie_gift.identity == maries and marie_gift.receipt == separate
    gift.refresh_from_db()
    assert gift.identity_id is None  # Marie's monthly gift keeps its own (here none)
    email = OutboxEmail.objects.get(subject__contains=separate.number)
    assert "Bonjour Marie Salomea," in email.body and "Eve" not in email.body
