"""A monthly donor on their gift's own page, from the link of their email: an amount refused
then changed, a pause of two months, resumed early."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from donations import links
from donations.models import MonthlyGift
from tests.e2e.conftest import check_accessibility, check_fits_screen
from tests.support.donations import give, pay

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_donor_changes_the_amount_then_pauses_and_resumes(page, site, stripe_standin, screenshot):
    donor = Client()
    give(donor, frequency="monthly", amount="20")
    assert pay(donor, stripe_standin).status_code == 200
    gift = MonthlyGift.objects.get(donor__email="marie@example.org")
    page.goto(site.url + links.manage_url(gift).removeprefix("http://127.0.0.1:8000"))

    expect(page.locator("body")).to_contain_text(re.compile(r"20,00\s€ chaque mois depuis le"))
    expect(page.locator("body")).to_contain_text("Prochain paiement")  # a card gift
    check_accessibility(page, "monthly gift page")
    change = page.get_by_role("button", name="Modifier le montant")
    check_fits_screen(page, "monthly gift page", change)
    screenshot("monthly-gift")

    amount = page.get_by_label("Nouveau montant mensuel, en euros")
    amount.fill("10,999")
    change.click()
    expect(page.get_by_role("alert").filter(has_text="Saisissez un montant")).to_be_visible()
    expect(page.get_by_label("Nouveau montant mensuel, en euros")).to_have_value("10,999")
    check_accessibility(page, "monthly gift page, amount refused")

    page.get_by_label("Nouveau montant mensuel, en euros").fill("35")
    page.get_by_role("button", name="Modifier le montant").click()
    expect(page.locator("body")).to_contain_text(re.compile(r"vous donnez 35\s€ chaque mois"))

    page.get_by_label("deux mois").check()
    page.get_by_role("button", name="Mettre mon don en pause").click()
    expect(page.locator("body")).to_contain_text("En pause jusqu'au")
    screenshot("monthly-gift-paused")
    page.get_by_role("button", name="Reprendre maintenant").click()
    expect(page.locator("body")).to_contain_text("Votre don mensuel a repris")

    gift.refresh_from_db()
    assert str(gift.amount) == "35.00" and gift.paused_until is None
