"""A monthly donor switches from card to SEPA direct debit in the browser, from the signed link
of their emails: the same gift (one subscription, same amount), now paid by debit under a new
mandate whose reference the page shows."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from donations import links
from donations.models import Donation, MonthlyGift
from payments import gateway
from tests.e2e.conftest import check_accessibility, check_fits_screen, fill_card
from tests.e2e.test_donor import fill_donor
from tests.support.checkout import VISA

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GOOD_IBAN = "FR14 2004 1010 0505 0001 3M02 606"  # as the donor types it


def test_a_monthly_donor_switches_from_card_to_direct_debit(page, site, screenshot):
    page.goto(f"{site.url}/don/")
    page.get_by_label("chaque mois").check()
    page.get_by_label("50 €").check()
    fill_donor(page)
    page.get_by_role("button", name="Continuer vers le paiement").click()
    fill_card(page, VISA)
    page.get_by_role("button", name=re.compile("Donner 50,00 .* chaque mois")).click()
    expect(page).to_have_url(re.compile("/don/merci/"), timeout=20000)
    gift = MonthlyGift.objects.get(donor__email="marie@example.org")
    subscription_id = gift.stripe_subscription_id

    page.goto(links.payment_method_url(gift).replace(settings.SITE_URL, site.url))
    expect(page.locator("#current-method")).to_contain_text("Visa •••• 4242")
    page.get_by_label("Prélèvement SEPA").check()
    expect(page.locator("#card-element")).to_be_hidden()
    expect(page.locator("#sepa-mandate")).to_contain_text("8 semaines")
    page.get_by_label("Titulaire du compte").fill("Marie Curie")
    page.get_by_label("IBAN").fill(GOOD_IBAN)
    check_accessibility(page, "the payment method page")
    use = page.get_by_role("button", name="Utiliser cette carte ou ce compte")
    check_fits_screen(page, "the payment method page", use)
    screenshot("payment-method-sepa")
    use.click()

    expect(page).to_have_url(re.compile(r"/don/mensuel/[^/]+/$"), timeout=20000)
    expect(page.locator("#messages")).to_contain_text(
        "Vos nouvelles coordonnées bancaires seront utilisées pour le prochain prélèvement"
    )
    screenshot("gift-page-after-switch")
    changed = MonthlyGift.objects.select_related("mandate").get(pk=gift.pk)
    assert changed.stripe_subscription_id == subscription_id
    assert MonthlyGift.objects.filter(donor__email="marie@example.org").count() == 1
    assert changed.method == Donation.Method.DIRECT_DEBIT
    assert changed.mandate.account_holder == "Marie Curie"
    subscription = gateway.client().v1.subscriptions.retrieve(subscription_id)
    assert subscription.status == "active" and subscription.plan.amount == 5000

    page.goto(links.payment_method_url(gift).replace(settings.SITE_URL, site.url))
    current = page.locator("#current-method")
    expect(current).to_contain_text("Prélèvement SEPA FR•• •••• •••• 2606")
    expect(current).to_contain_text(changed.mandate.reference)
    screenshot("payment-method-changed")
