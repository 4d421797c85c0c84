"""The gift added to an order, as someone trying to abuse it would: forged amounts, another's
basket, an order posted without paying, a declined card, Stripe out of reach."""

from decimal import Decimal

import pytest
from django.contrib import messages
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from donations.models import Donation, OrderGift, Receipt
from payments import gateway
from shop.models import CardPayment
from tests.donations.test_order_gifts import GIVER, add_gift
from tests.support import stripe_standin as standin_helpers
from tests.support.checkout import (
    DECLINED_AT_CHARGE,
    PDF_ISSUE,
    fill_basket,
    go_to_payment,
    pay,
    start_payment,
)

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")


def louise_gifts():
    return Donation.objects.filter(donor__email="louise@example.org")


def louise_receipts():
    return Receipt.objects.filter(donor__email="louise@example.org")


def told(response) -> str:
    return " ".join(str(message) for message in messages.get_messages(response.wsgi_request))


def basket_of(client):
    return client.get(reverse("basket:summary")).context["basket"]


@pytest.mark.parametrize(
    ("amount", "other", "error"),
    [
        ("other", "-10", "Le don minimum en ligne est de 5 €."),
        ("other", "0", "Le don minimum en ligne est de 5 €."),
        ("other", "0,001", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("other", "10001", "Les dons en ligne sont limités à 10 000 €."),
        ("other", "dix euros", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("other", "NaN", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("other", "Infinity", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("other", "1e400", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("other", "1e3", "Saisissez un montant en euros, par exemple 35 ou 35,50."),
        ("other", "", "Indiquez le montant de votre don."),
        ("-5", "", "Sélectionnez un choix valide."),
        ("1000000", "", "Sélectionnez un choix valide."),
    ],
)
def test_a_forged_amount_gets_a_french_error_and_the_basket_stays(client, amount, other, error):
    fill_basket(client, PDF_ISSUE)

    response = add_gift(client, amount=amount, other=other)

    assert response.status_code == 302 and response["Location"] == reverse("basket:summary")
    assert "Votre don n'a pas été ajouté" in told(response)
    page = client.get(reverse("basket:summary")).content.decode().replace("\xa0", " ")
    assert error.split(" 10")[0] in page.replace("\u202f", " ")
    assert not OrderGift.objects.exists()
    assert basket_of(client).num_items == 1  # the basket is kept


def test_the_receipt_needs_a_name_and_an_address(client):
    fill_basket(client, PDF_ISSUE)
    response = add_gift(client, last_name="", postcode="")
    assert "Votre don n'a pas été ajouté" in told(response)
    assert "Ce champ est obligatoire." in client.get(reverse("basket:summary")).content.decode()
    assert not OrderGift.objects.exists()


def test_a_gift_goes_on_ones_own_basket_only(client):
    other = Client()
    fill_basket(other, PDF_ISSUE)
    others_basket = basket_of(other)
    fill_basket(client, PDF_ISSUE)
    mine = basket_of(client)

    # A basket named in the form (or the URL) is not read: the request's basket is used.
    add_gift(client, amount="20", basket=others_basket.pk, basket_id=others_basket.pk)
    client.post(f"{reverse('donations:order-gift-remove')}?basket={others_basket.pk}")
    add_gift(client, amount="5", basket=others_basket.pk)

    assert list(OrderGift.objects.values_list("basket_id", "amount")) == [
        (mine.pk, Decimal("5.00"))
    ]
    add_gift(other, amount="10")
    assert client.post(reverse("donations:order-gift-remove")).status_code == 302
    assert list(OrderGift.objects.values_list("basket_id", "amount")) == [
        (others_basket.pk, Decimal("10.00"))
    ]


def test_posting_the_checkout_without_paying_creates_nothing(client):
    fill_basket(client, PDF_ISSUE)
    add_gift(client)
    go_to_payment(client)

    for url in (reverse("checkout:payment-details"), reverse("checkout:preview")):
        client.post(url, {"action": "place_order"})
    client.post(reverse("checkout:card-pay"), {"setup_intent": "seti_forged"})
    client.post(reverse("checkout:card-complete"))

    assert not Order.objects.exists()
    assert not louise_gifts().exists() and not louise_receipts().exists()


def test_a_declined_card_creates_neither_order_nor_donation(client, stripe_standin):
    fill_basket(client, PDF_ISSUE)
    add_gift(client)
    go_to_payment(client)

    response = pay(client, stripe_standin, DECLINED_AT_CHARGE)

    assert response.status_code == 402
    assert response.json()["error"].startswith("Votre carte a été refusée")
    assert not Order.objects.exists()
    assert not louise_gifts().exists() and not louise_receipts().exists()
    # The basket and its gift are given back for another card.
    assert basket_of(client).num_items == 1
    assert OrderGift.objects.get(order__isnull=True).amount == Decimal("10.00")
    assert "Payer 16,00" in go_to_payment(client).content.decode()


def test_stripe_out_of_reach_says_so_in_french_and_creates_nothing(
    client, stripe_standin, settings
):
    fill_basket(client, PDF_ISSUE)
    add_gift(client)
    go_to_payment(client)
    setup_intent = start_payment(client, stripe_standin)
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{standin_helpers.free_port()}"

    response = client.post(reverse("checkout:card-pay"), {"setup_intent": setup_intent["id"]})

    assert response.status_code == 503
    assert response.json()["error"].startswith("Le paiement n'a pas pu être effectué")
    assert not Order.objects.exists()
    assert not louise_gifts().exists() and not louise_receipts().exists()
    assert CardPayment.objects.get().status == CardPayment.Status.FAILED
    settings.STRIPE_API_BASE = stripe_standin.url
    assert not gateway.client().v1.payment_intents.list().data


def test_the_gift_cannot_change_while_the_basket_is_paid(client, stripe_standin):
    """3-D Secure pending: the basket is frozen, so is its gift (what is charged stays)."""
    from tests.support.checkout import THREE_D_SECURE

    fill_basket(client, PDF_ISSUE)
    add_gift(client)
    go_to_payment(client)
    answer = pay(client, stripe_standin, THREE_D_SECURE).json()
    assert answer["requires_action"] is True

    response = add_gift(client, amount="20")
    assert "en cours de paiement ou vide" in told(response)
    client.post(reverse("donations:order-gift-remove"))
    assert list(OrderGift.objects.values_list("amount", flat=True)) == [Decimal("10.00")]
    intent = gateway.client().v1.payment_intents.retrieve(
        CardPayment.objects.get().payment_intent_id
    )
    assert intent.amount == 1600


def test_a_paid_basket_gift_is_never_reused(client, stripe_standin):
    fill_basket(client, PDF_ISSUE)
    add_gift(client)
    go_to_payment(client)
    assert pay(client, stripe_standin).status_code == 200
    # The next basket starts without a gift, and the paid one is not changed.
    fill_basket(client, PDF_ISSUE)
    assert "Votre don :" not in client.get(reverse("basket:summary")).content.decode()
    add_gift(client, amount="5")
    paid = OrderGift.objects.get(order__isnull=False)
    assert paid.amount == Decimal("10.00") and paid.donation.amount == Decimal("10.00")
    assert OrderGift.objects.get(order__isnull=True).amount == Decimal("5.00")


def test_the_form_keeps_what_was_typed_after_an_error(client):
    fill_basket(client, PDF_ISSUE)
    add_gift(client, amount="other", other="-3", first_name="Zoë")
    page = client.get(reverse("basket:summary")).content.decode()
    assert 'value="Zoë"' in page and 'value="-3"' in page
    assert GIVER["city"] in page
