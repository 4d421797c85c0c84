"""The shop's public pages answer in French by default, in English under /en/."""

import re

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

# Babel writes French prices with a (narrow) no-break space before the euro sign.
FRENCH_PRICE = r"{}[\u00a0\u202f ]€"


def french_price(amount: str) -> re.Pattern:
    return re.compile(FRENCH_PRICE.format(re.escape(amount)))


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "Le dernier numéro"),
        ("/catalogue/", "Tous les produits"),
        ("/basket/", "Votre panier est vide"),
        ("/accounts/login/", "Connexion / Inscription"),
    ],
)
def test_pages_are_french_by_default(client, demo, url, expected):
    html = get_page(client, url)
    assert '<html lang="fr"' in html
    assert expected in html


def test_home_and_catalogue_show_the_demo_issues_and_subscriptions(client, demo):
    home = get_page(client, "/")
    catalogue = get_page(client, "/catalogue/")
    for html in (home, catalogue):
        # One card per issue: its number and title (the editions' prices on its page).
        assert ">n°1<" in html and "Les médias indépendants" in html
        assert french_price("34,00").search(html)
    assert re.search(r"<strong>6</strong>\s*résultats", catalogue)
    for price in ("34,00", "22,00", "40,00"):
        assert french_price(price).search(catalogue)


def test_product_page_of_an_issue_offers_print_and_pdf(client, demo):
    product = Product.objects.get(upc="ECHO-001-P").parent
    html = get_page(client, product.get_absolute_url())
    assert '<html lang="fr"' in html
    assert french_price("9,50").search(html)
    assert french_price("6,00").search(html)
    assert "Ajouter au panier" in html


def test_basket_shows_french_totals(client, demo):
    product = Product.objects.get(upc="ECHO-002-P")
    response = client.post(reverse("basket:add", args=[product.pk]), {"quantity": 2})
    assert response.status_code == 302
    html = get_page(client, "/basket/")
    assert french_price("19,00").search(html)


@pytest.mark.parametrize("url", ["/en/", "/en/catalogue/", "/en/basket/", "/en/accounts/login/"])
def test_english_under_its_prefix(client, demo, url):
    html = get_page(client, url)
    assert '<html lang="en"' in html
    assert "Le dernier numéro" not in html
    assert "Tous les produits" not in html


def test_english_home_is_translated(client, demo):
    html = get_page(client, "/en/")
    assert "The latest issue" in html
    assert french_price("34,00").search(html) is None  # prices follow the page's language
