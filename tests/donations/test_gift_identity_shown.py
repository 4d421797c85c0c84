"""Pages and emails about a gift or a receipt name the identity given with that gift (or
frozen in that receipt), never the donor row's, which anyone's paid gift may have changed
(issue 16, item 2: the payment page told the stored name from an email; emails greeted the
donor with a forged name)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from donations import links
from donations.models import Association, Donation, Donor, MonthlyGift, Receipt
from donations.services.annual import issue_annual_receipts
from donations.services.receipts import cancel_receipt
from kiosque.models import OutboxEmail
from tests.support.donations import DONOR, give, paid_invoice, pay

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

EVE = {"first_name": "Eve", "last_name": "Forgeuse"}


def last_email() -> OutboxEmail:
    return OutboxEmail.objects.order_by("-pk").first()


def text_of(email: OutboxEmail) -> str:
    return email.subject + email.body + email.html_body


def test_the_payment_page_shows_the_name_typed_never_the_stored_one(client, stripe_standin):
    give(client)
    pay(client, stripe_standin)  # Marie Curie's gift: her name is stored

    own = Client()
    give(own, amount="20")
    assert "Reçu fiscal au nom de Marie Curie" in own.get(reverse("donations:payment")).text

    eve = Client()
    assert give(eve, email=DONOR["email"].upper(), **EVE).status_code == 302
    page = eve.get(reverse("donations:payment")).text

    assert "Reçu fiscal au nom de Eve Forgeuse, envoyé à marie@example.org" in page
    assert "Curie" not in page and "Marie" not in page


def test_emails_about_a_gift_greet_with_that_gift_s_identity(client, stripe_standin):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.ANNUAL)
    give(client, amount="other", other="10", frequency="monthly")
    pay(client, stripe_standin)  # Marie's monthly gift (receipted once a year)
    gift = MonthlyGift.objects.get()

    eve = Client()
    give(eve, email=DONOR["email"].upper(), amount="20", **EVE)
    pay(eve, stripe_standin)  # Eve pays under Marie's email: by design, the donor's now
    assert Donor.objects.get().first_name == "Eve"
    eves = last_email()
    assert "Bonjour Eve," in eves.body and "Bonjour Eve," in eves.html_body
    eves_receipt = Donation.objects.get(monthly_gift=None).receipt

    # Marie's next month: thanked as Marie.
    paid_invoice("in_next_month", gift.stripe_subscription_id, datetime.datetime.now(datetime.UTC))
    thanks = last_email()
    assert "Bonjour Marie," in thanks.body and "Bonjour Marie," in thanks.html_body
    assert "Eve" not in text_of(thanks)

    # Her summary receipt in January: the name it prints, Marie's.
    issue_annual_receipts(timezone.localdate().year)
    summary = Receipt.objects.get(kind=Receipt.Kind.ANNUAL)
    assert summary.donor_first_names == "Marie"
    annual = last_email()
    assert summary.number in annual.subject
    assert "Bonjour Marie," in annual.body and "Bonjour Marie," in annual.html_body
    assert "Eve" not in text_of(annual)

    # Its cancellation: Marie's too; the one of Eve's receipt, Eve's.
    cancel_receipt(summary, reason="Erreur de saisie", eligible=False)
    cancelled = last_email()
    assert summary.number in cancelled.subject and "annulé" in cancelled.subject
    assert "Bonjour Marie," in cancelled.body and "Bonjour Marie," in cancelled.html_body
    assert "Eve" not in text_of(cancelled)
    cancel_receipt(eves_receipt, reason="Erreur de saisie", eligible=True)
    corrected = last_email()
    assert eves_receipt.number in corrected.subject
    assert "Bonjour Eve," in corrected.body and "Marie" not in corrected.body


def test_no_donation_email_reads_the_donor_row_s_name():
    """The class: every email template of the donations names whom its gift or receipt
    names (``first_name`` given by the service), never ``donor.…``."""
    folder = Path(settings.BASE_DIR) / "templates" / "donations" / "emails"
    templates = sorted(folder.glob("*"))
    assert len(templates) >= 9
    for template in templates:
        assert "donor." not in template.read_text(), template.name


def test_the_receipts_page_of_the_emailed_link_never_greets_with_a_name_paid_under_it(
    client, stripe_standin
):
    give(client)
    pay(client, stripe_standin)
    eve = Client()
    give(eve, email=DONOR["email"].upper(), amount="20", **EVE)
    pay(eve, stripe_standin)  # the donor row now says Eve
    url = links.receipts_url(Donor.objects.get()).removeprefix("http://127.0.0.1:8000")

    page = Client().get(url).text

    assert "voici tous vos reçus fiscaux" in page
    assert "Eve" not in page
