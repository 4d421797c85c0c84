"""The reader adds a 10 € gift to an order in the basket: one card payment at the stand-in,
the order and the gift apart on the confirmation page, the gift's receipt in their space."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from donations.models import Donation
from tests.e2e.conftest import add_issue, check_accessibility, check_fits_screen, fill_card, sign_in
from tests.e2e.test_reader import PDF
from tests.support.checkout import VISA

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IDENTITY = {
    "first_name": "Louise",
    "last_name": "Lectrice",
    "line1": "3 rue de la Paix",
    "postcode": "69001",
    "city": "Lyon",
}


def test_reader_adds_a_gift_to_the_order_and_pays_once(page, site, screenshot):
    get_user_model().objects.create_user("louise", "louise@example.org", "un-mot-de-passe-long")
    sign_in(page, site, "louise@example.org", "un-mot-de-passe-long")
    add_issue(page, site, 3, PDF)

    page.goto(f"{site.url}/basket/")
    gift = page.locator("#order-gift")
    expect(gift).to_contain_text("Ajouter un don à ma commande")
    gift.get_by_label("20 €", exact=True).check()
    expect(gift.locator(".js-tax-cost")).to_contain_text("ne vous coûte que 6,80")
    gift.get_by_label("10 €", exact=True).check()
    expect(gift.locator(".js-tax-cost")).to_contain_text("ne vous coûte que 3,40")
    for field, value in IDENTITY.items():
        gift.locator(f"#id_{field}").fill(value)
    gift.get_by_role("button", name="Ajouter ce don à ma commande").click()

    expect(page.locator("#messages")).to_contain_text("Votre don de 10 € est ajouté")
    expect(page.locator("#order-gift-summary")).to_contain_text("Votre don : 10 €")
    checkout = page.get_by_role("link", name="Procéder au paiement")
    check_accessibility(page, "basket with a gift")
    check_fits_screen(page, "basket with a gift", checkout)
    screenshot("basket-with-gift")
    checkout.click()

    pay = page.get_by_role("button", name=re.compile(r"Payer 16,00"))  # 6 € + the 10 € gift
    expect(page.locator("#order-gift-summary")).to_contain_text("10 €")
    check_accessibility(page, "payment page with a gift")
    check_fits_screen(page, "payment page with a gift", pay)
    fill_card(page, VISA)
    pay.click()

    expect(page).to_have_url(re.compile("/checkout/thank-you/"), timeout=20000)
    expect(page.locator("#order-gift-paid")).to_contain_text("Merci pour votre don de 10,00")
    donation = Donation.objects.get(donor__email="louise@example.org")
    receipt = donation.receipt
    expect(page.locator("#order-gift-paid")).to_contain_text(receipt.number)
    expect(page.locator("body")).to_contain_text("6,00")  # the order, apart
    screenshot("confirmation-with-gift")

    page.goto(f"{site.url}/mon-espace/")
    expect(page.locator("body")).to_contain_text(receipt.number)
    screenshot("reader-space-receipt")
    assert receipt.amount == 10
