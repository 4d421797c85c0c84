"""A donor gives 50 € once, then 10 € a month, in a real browser, and gets the receipts."""

import base64
import re

import pytest
from playwright.sync_api import expect

from donations.models import Donation, MonthlyGift
from shop.models import OutboxEmail
from tests.checkout import VISA
from tests.e2e.conftest import fill_card

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_donor(page):
    page.get_by_label("Prénoms").fill("Marie")
    page.get_by_label(re.compile("^Nom")).fill("Curie")
    page.locator("#id_email").fill("marie@example.org")
    page.get_by_label(re.compile(r"^Adresse\b(?! \()(?! é)")).fill("36 quai de Béthune")
    page.get_by_label("Code postal").fill("75004")
    page.get_by_label("Ville").fill("Paris")


def test_donor_gives_once_then_every_month(page, site, screenshot, outbox_emails):
    page.goto(f"{site.url}/")
    page.get_by_role("link", name="Faire un don").first.click()
    expect(page.locator("#tax-cost")).to_contain_text("Un don de 50 € ne vous coûte que 17 €")
    page.get_by_label("100 €").check()
    expect(page.locator("#tax-cost")).to_contain_text("Un don de 100 € ne vous coûte que 34 €")
    page.get_by_label("Autre montant, en euros").fill("3")
    page.get_by_label("50 €").check()
    fill_donor(page)
    screenshot("donation-form")

    # A too small free amount: the French message, and what was typed is still there.
    page.get_by_label("Autre montant, en euros").fill("4,50")
    page.get_by_role("button", name="Continuer vers le paiement").click()
    expect(page.locator("#other-amount-error")).to_contain_text("Le don minimum en ligne est de 5")
    expect(page.get_by_label("Ville")).to_have_value("Paris")
    page.get_by_label("50 €").check()
    page.get_by_role("button", name="Continuer vers le paiement").click()

    fill_card(page, VISA)
    screenshot("donation-payment")
    page.get_by_role("button", name=re.compile("Donner 50,00")).click()
    expect(page).to_have_url(re.compile("/don/merci/"))
    expect(page.locator("body")).to_contain_text("Votre don de 50,00")
    screenshot("donation-thanks")

    page.get_by_role("link", name="Faire un don").first.click()
    page.get_by_label("chaque mois").check()
    page.get_by_label("Autre montant, en euros").fill("10")
    fill_donor(page)
    page.get_by_role("button", name="Continuer vers le paiement").click()
    fill_card(page, VISA)
    page.get_by_role("button", name=re.compile("Donner 10,00 .* chaque mois")).click()
    expect(page.locator("body")).to_contain_text("Votre don mensuel de 10,00")

    marie = {"donor__email": "marie@example.org"}  # the demo has donors of its own
    gift = MonthlyGift.objects.get(**marie)
    assert gift.status == MonthlyGift.Status.ACTIVE
    donations = Donation.objects.filter(status=Donation.Status.PAID, **marie).order_by("pk")
    assert [donation.amount for donation in donations] == [50, 10]
    emails = OutboxEmail.objects.order_by("pk")
    assert [email.to for email in emails] == [["marie@example.org"]] * 2
    for email, donation in zip(emails, donations, strict=True):
        (attachment,) = email.attachments
        assert attachment["filename"] == f"recu-fiscal-{donation.receipt.number}.pdf"
        assert base64.b64decode(attachment["content_b64"]).startswith(b"%PDF-")
