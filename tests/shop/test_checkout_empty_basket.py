"""Every checkout URL with an empty basket ends, in a few redirects, on a page that answers.

The URLs are read from the resolver, so a checkout URL added later is walked too.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, get_resolver, reverse
from oscar.core.loading import get_model

from tests.support.checkout import PDF_ISSUE, fill_basket

UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.usefixtures("demo_once")

# The card endpoints are the payment page's script's: POST only.
POST_ONLY = {"card-setup", "card-pay", "card-complete"}
EMPTY = "Votre panier est vide"
# Pages that do not need a basket: the thank-you page (no order to show: the home page) and
# the signed-in reader's address book (the login page for the anonymous).
BASKET_FREE = {"thank-you", "user-address-delete", "user-address-update"}


def checkout_url_names() -> list[str]:
    namespace = get_resolver().namespace_dict["checkout"][1]
    return sorted({name for name in namespace.reverse_dict if isinstance(name, str)})


def url_of(name: str, address_pk: int) -> str:
    try:
        return reverse(f"checkout:{name}")
    except NoReverseMatch:  # the address pages take the address' id
        return reverse(f"checkout:{name}", kwargs={"pk": address_pk})


@pytest.fixture(params=["anonymous", "signed in"])
def reader(request, client):
    user = get_user_model().objects.create_user("l", "louise@example.org", "x-long-password")
    address = UserAddress.objects.create(
        user=user,
        first_name="Louise",
        last_name="Lectrice",
        line1="3 rue de la Paix",
        line4="Lyon",
        postcode="69001",
        country=Country.objects.get(iso_3166_1_a2="FR"),
    )
    if request.param == "signed in":
        client.force_login(user)
    return client, address.pk


def test_the_walk_covers_the_checkout():
    names = checkout_url_names()
    assert {"index", "payment-details", "preview", "card-pay", "thank-you"} <= set(names)


@pytest.mark.parametrize("name", checkout_url_names())
def test_every_checkout_url_with_an_empty_basket_ends_on_a_page(reader, name):
    client, address_pk = reader
    url = url_of(name, address_pk)
    method = client.post if name in POST_ONLY else client.get

    # Django's test client stops a redirect loop (RedirectCycleError) or a chain of 20.
    response = method(url, follow=True)

    assert response.status_code == 200, (name, response.redirect_chain)
    assert len(response.redirect_chain) <= 3, response.redirect_chain
    if response["Content-Type"].startswith("text/html") and name not in BASKET_FREE:
        # Back at the basket, told why.
        assert response.resolver_match.url_name == "summary", response.redirect_chain
        assert EMPTY in response.content.decode()


@pytest.mark.parametrize("name", ["payment-method", "payment-details", "preview"])
def test_a_basket_with_nothing_to_pay_does_not_loop_either(client, name):
    """Oscar skips the payment of a free order to its preview page, which here leads back to
    the payment page (no order without Stripe's word): the basket page says why instead."""
    StockRecord.objects.filter(product__upc=PDF_ISSUE).update(price=0)
    fill_basket(client, PDF_ISSUE)
    client.post(reverse("checkout:index"), {"username": "l@example.org", "options": "anonymous"})

    response = client.get(reverse(f"checkout:{name}"), follow=True)

    assert response.status_code == 200, response.redirect_chain
    assert len(response.redirect_chain) <= 3, response.redirect_chain
    assert response.resolver_match.url_name == "summary"
    assert "rien à payer" in response.content.decode()
