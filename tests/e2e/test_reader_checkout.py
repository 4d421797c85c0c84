"""The reader pays a print issue and a PDF issue by card, in a real browser."""

import re

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.checkout import ADDRESS, DECLINED_AT_CHARGE, VISA
from tests.e2e.conftest import fill_card

Order = get_model("order", "Order")

PRODUCTS = ("n°1 — Les médias indépendants (papier)", "n°2 — La presse locale en question (PDF)")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_basket_and_check_out(page, site):
    page.goto(f"{site.url}/")
    page.get_by_role("link", name="Voir tout le catalogue").click()
    for title in (
        "n°1 — Les médias indépendants (papier)",
        "n°2 — La presse locale en question (PDF)",
    ):
        product = page.locator("article.product_pod", has=page.locator(f'a[title$="{title}"]'))
        product.get_by_role("button", name="Ajouter au panier").click()
        expect(page.locator("#messages")).to_contain_text("a été ajouté à votre panier")
    page.goto(f"{site.url}/basket/")
    page.get_by_role("link", name="Procéder au paiement").click()
    page.locator("#id_username").fill("louise@example.org")
    page.locator("input[name=options][value=anonymous]").check()
    page.get_by_role("button", name=re.compile("Continuer")).click()
    for field in ("first_name", "last_name", "line1", "line4", "postcode"):
        page.locator(f"#id_{field}").fill(ADDRESS[field])
    page.locator("#id_country").select_option("FR")
    page.get_by_role("button", name=re.compile("Continuer")).click()
    expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()


def pay_with(page, number):
    fill_card(page, number)
    page.get_by_role("button", name=re.compile(r"Payer 18,00")).click()


def test_reader_pays_by_card(page, site, screenshot):
    fill_basket_and_check_out(page, site)
    screenshot("payment-page")

    pay_with(page, VISA)

    expect(page).to_have_url(re.compile("/checkout/thank-you/"))
    order = Order.objects.get()
    expect(page.locator("body")).to_contain_text(order.number)
    screenshot("thank-you")
    assert order.total_incl_tax == 18


def test_declined_card_shows_the_french_error_and_keeps_the_basket(page, site, screenshot):
    fill_basket_and_check_out(page, site)

    pay_with(page, DECLINED_AT_CHARGE)

    expect(page.locator("#card-errors")).to_contain_text("Votre carte a été refusée")
    screenshot("declined")
    assert not Order.objects.exists()
    page.goto(f"{site.url}/basket/")
    expect(page.locator("body")).to_contain_text("18,00")
