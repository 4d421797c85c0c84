"""Before verifying its email, an account sees only what it did while signed in (issue 16,
item 1): its own gifts, their receipts, its own monthly gift to stop; never what others gave
under that email."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import Association, Donation, MonthlyGift, Receipt
from donations.services.annual import issue_annual_receipts
from tests.support.donations import give, paid_invoice, pay

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

VICTIM = "victime@example.org"


@pytest.fixture
def unverified(django_user_model):
    """An account that registered with the victim's email and never followed the link."""
    user = django_user_model.objects.create_user("u", "Victime@Example.org", "x-long-password")
    client = Client()
    client.force_login(user)
    return client


def test_an_unverified_account_sees_and_manages_the_gifts_it_made(unverified, stripe_standin):
    give(unverified, email=VICTIM, amount="20")
    pay(unverified, stripe_standin)
    give(unverified, email=VICTIM, amount="other", other="12", frequency="monthly")
    pay(unverified, stripe_standin)
    receipt = Donation.objects.get(monthly_gift=None).receipt
    gift = MonthlyGift.objects.get()

    page = unverified.get(reverse("donations:account")).text

    assert "Aucun don pour l&#x27;instant" not in page and "Aucun don pour l'instant" not in page
    assert "20,00" in page and "12,00" in page and receipt.number in page
    assert "pas encore confirmée" in page  # and it is told to confirm its email
    download = unverified.get(reverse("donations:account-receipt", args=[receipt.number]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert receipt.number in unverified.get(reverse("magazine:reader-space")).text
    stopped = unverified.post(reverse("donations:account-stop-monthly-gift", args=[gift.pk]))
    assert stopped.status_code == 302
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.STOPPED


def test_an_unverified_account_sees_nothing_given_by_others_under_its_email(
    unverified, stripe_standin
):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.ANNUAL)
    guest = Client()
    give(guest, email=VICTIM, amount="50")
    pay(guest, stripe_standin)
    give(guest, email=VICTIM, amount="other", other="15", frequency="monthly")
    pay(guest, stripe_standin)
    victims_receipt = Receipt.objects.get()
    victims_gift = MonthlyGift.objects.get()
    # The account gives too, under the same email (the same donor row), while signed in.
    give(unverified, email=VICTIM, amount="other", other="7", frequency="monthly")
    pay(unverified, stripe_standin)
    own_gift = MonthlyGift.objects.exclude(pk=victims_gift.pk).get()
    now = datetime.datetime.now(datetime.UTC)
    paid_invoice("in_victim_next", victims_gift.stripe_subscription_id, now)
    # January's summary covers both monthly gifts: it names the victim, not the account's alone.
    issue_annual_receipts(now.year)
    summary = Receipt.objects.get(kind=Receipt.Kind.ANNUAL)
    assert summary.donations.filter(monthly_gift=own_gift).exists()

    page = unverified.get(reverse("donations:account")).text

    assert "7,00" in page and "Arrêter" in page  # its own monthly gift
    for mark in ("50,00", "15,00", victims_receipt.number, summary.number):
        assert mark not in page, mark
    for receipt in (victims_receipt, summary):
        url = reverse("donations:account-receipt", args=[receipt.number])
        assert unverified.get(url).status_code == 404
        assert receipt.number not in unverified.get(reverse("magazine:reader-space")).text
    url = reverse("donations:account-stop-monthly-gift", args=[victims_gift.pk])
    assert unverified.post(url).status_code == 404
    victims_gift.refresh_from_db()
    assert victims_gift.status == MonthlyGift.Status.ACTIVE
