"""The donor who gives by SEPA direct debit ("prélèvement"), from the browser: the choice on
the payment page, the mandate text naming the association, the IBAN and the holder; a debit
is pending (no receipt) until the bank pays it; the IBAN the stand-in always fails is
refused later by the bank, and no receipt is ever issued for it."""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from donations.models import Donation, MonthlyGift, Receipt
from donations.selectors import get_association
from tests.e2e.test_donor import fill_donor, receipt_mail
from tests.support.worker import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GOOD_IBAN = "FR14 2004 1010 0505 0001 3M02 606"
FAILING_IBAN = "DE62370400440532013001"  # the stand-in's debit on it fails ~0.5 s later


def choose_debit(page, *, holder: str, iban: str):
    page.get_by_label("Prélèvement SEPA").check()
    expect(page.locator("#card-element")).to_be_hidden()
    mandate = page.locator("#sepa-mandate")
    expect(mandate).to_contain_text(f"vous autorisez (A) {get_association().name}")
    expect(mandate).to_contain_text("8 semaines")
    page.get_by_label("Titulaire du compte").fill(holder)
    page.get_by_label("IBAN").fill(iban)


def test_donor_gives_monthly_by_direct_debit(page, site, screenshot, mail_dir):
    page.goto(f"{site.url}/don/")
    page.get_by_label("chaque mois").check()
    page.get_by_label("50 €").check()
    fill_donor(page)
    page.get_by_role("button", name="Continuer vers le paiement").click()

    give = page.get_by_role("button", name=re.compile("Donner 50,00 .* chaque mois"))
    page.get_by_label("Prélèvement SEPA").check()
    # No holder: a French message, nothing sent to Stripe.
    page.get_by_label("IBAN").fill(GOOD_IBAN)
    give.click()
    expect(page.locator("#card-errors")).to_contain_text("nom du titulaire")
    assert not MonthlyGift.objects.filter(stripe_subscription_id__isnull=False).exists()
    # An IBAN Stripe refuses outright: a French message, and the form is kept.
    choose_debit(page, holder="Marie Curie", iban="FR76")
    give.click()
    expect(page.locator("#card-errors")).to_contain_text("IBAN ne peut pas être utilisé")
    expect(page.get_by_label("Titulaire du compte")).to_have_value("Marie Curie")

    choose_debit(page, holder="Marie Curie", iban=GOOD_IBAN)
    screenshot("donation-sepa")
    give.click()
    expect(page).to_have_url(re.compile("/don/merci/"), timeout=20000)

    gift = MonthlyGift.objects.select_related("mandate").get(donor__email="marie@example.org")
    assert gift.status == MonthlyGift.Status.ACTIVE
    assert gift.method == Donation.Method.DIRECT_DEBIT
    assert gift.payment_label == "FR•• •••• •••• 2606"
    assert gift.mandate.reference and gift.mandate.account_holder == "Marie Curie"
    donation = Donation.objects.get(monthly_gift=gift)
    assert donation.method == Donation.Method.DIRECT_DEBIT and donation.mandate == gift.mandate

    # The stand-in pays a good IBAN's debit at once (Stripe takes days): receipted, by the
    # worker, and the receipt says how it was paid.
    assert wait_for(lambda: receipt_mail(mail_dir) is not None, timeout=60)
    (pdf,) = [
        part
        for part in receipt_mail(mail_dir).walk()
        if part.get_content_type() == "application/pdf"
    ]
    text = " ".join(
        pypdf.PdfReader(io.BytesIO(pdf.get_payload(decode=True))).pages[0].extract_text().split()
    )
    assert "Mode de versement Prélèvement" in text


def test_a_debit_the_bank_refuses_is_never_receipted(page, site, screenshot):
    receipts_before = Receipt.objects.count()
    page.goto(f"{site.url}/don/")
    page.get_by_label("une fois").check()
    page.get_by_label("50 €").check()
    fill_donor(page)
    page.get_by_role("button", name="Continuer vers le paiement").click()
    choose_debit(page, holder="Marie Curie", iban=FAILING_IBAN)
    page.get_by_role("button", name=re.compile("Donner 50,00")).click()

    # Sent to the bank: the page thanks and says when; no receipt while it is pending.
    expect(page).to_have_url(re.compile("/don/merci/"), timeout=20000)
    expect(page.locator("body")).to_contain_text("prélèvement a été transmis à votre banque")
    screenshot("donation-sepa-pending")
    donation = Donation.objects.get(donor__email="marie@example.org")
    assert donation.method == Donation.Method.DIRECT_DEBIT
    # The bank's refusal comes ~0.5 s later, through the webhook.
    assert wait_for(
        lambda: Donation.objects.get(pk=donation.pk).status == Donation.Status.FAILED, timeout=20
    )
    assert Receipt.objects.count() == receipts_before
    assert Donation.objects.get(pk=donation.pk).receipt is None
