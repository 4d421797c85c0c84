"""Paying the basket by card, through HTTP, with the real SDK against the Stripe stand-in."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from payments import gateway
from shop.models import CardPayment
from tests.support.checkout import (
    ADDRESS,
    DECLINED_AT_CHARGE,
    PDF_ISSUE,
    PRINT_ISSUE,
    THREE_D_SECURE,
    fill_basket,
    go_to_payment,
    pay,
    start_payment,
)

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.usefixtures("demo_once")


def test_payment_page_has_the_card_form_and_the_total(client, stripe_standin):
    fill_basket(client, PRINT_ISSUE, PDF_ISSUE)
    html = go_to_payment(client).content.decode()
    assert 'id="card-element"' in html
    assert f'src="{stripe_standin.url}/js.stripe.com/v3/"' in html
    assert "Payer 18,00" in html
    assert "mode démonstration" not in html  # a secret key is configured in this test


def test_successful_payment_places_one_order(client, stripe_standin):
    fill_basket(client, PRINT_ISSUE, PDF_ISSUE)
    go_to_payment(client)

    response = pay(client, stripe_standin)

    assert response.status_code == 200
    assert response.json() == {"redirect": reverse("checkout:thank-you")}
    order = Order.objects.get()
    assert order.total_incl_tax == Decimal("18.00")
    assert order.shipping_incl_tax == Decimal("2.50")
    assert order.guest_email == "louise@example.org"
    assert sorted(line.partner_sku for line in order.lines.all()) == [PRINT_ISSUE, PDF_ISSUE]
    assert order.shipping_address.line4 == "Lyon"
    source = order.sources.get()
    assert source.source_type.code == "stripe"
    assert source.amount_debited == Decimal("18.00")
    assert source.reference.startswith("pi_")
    assert source.label == "Visa •••• 4242"
    assert order.payment_events.get().reference == source.reference
    intent = gateway.client().v1.payment_intents.retrieve(source.reference)
    assert (intent.status, intent.amount, intent.currency) == ("succeeded", 1800, "eur")
    assert intent.metadata["order_number"] == order.number
    assert Basket.objects.get(pk=order.basket_id).status == "Submitted"

    thank_you = client.get(reverse("checkout:thank-you"))
    assert thank_you.status_code == 200
    assert order.number in thank_you.content.decode()


def test_declined_card_places_no_order_and_keeps_the_basket(client, stripe_standin):
    fill_basket(client, PRINT_ISSUE, PDF_ISSUE)
    go_to_payment(client)

    response = pay(client, stripe_standin, DECLINED_AT_CHARGE)

    assert response.status_code == 402
    assert response.json()["error"].startswith("Votre carte a été refusée")
    assert not Order.objects.exists()
    assert CardPayment.objects.get().status == CardPayment.Status.FAILED
    charges = gateway.client().v1.charges.list().data
    assert charges and all(charge.status == "failed" for charge in charges)
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 2
    # and the reader can pay again, with another card
    go_to_payment(client)
    assert pay(client, stripe_standin).status_code == 200
    assert Order.objects.get().lines.count() == 2


def test_three_d_secure_card_completes_in_the_page(client, stripe_standin):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)

    response = pay(client, stripe_standin, THREE_D_SECURE)

    assert response.json()["requires_action"] is True
    assert not Order.objects.exists()
    stripe_standin.confirm_card_payment(response.json()["client_secret"])
    complete = client.post(reverse("checkout:card-complete"))
    assert complete.json() == {"redirect": reverse("checkout:thank-you")}
    assert Order.objects.get().total_incl_tax == Decimal("6.00")


def test_failed_three_d_secure_places_no_order(client, stripe_standin):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    response = pay(client, stripe_standin, THREE_D_SECURE)

    stripe_standin.confirm_card_payment(response.json()["client_secret"], authenticate=False)
    complete = client.post(reverse("checkout:card-complete"))

    assert complete.status_code == 402
    assert "3-D Secure" in complete.json()["error"]
    assert not Order.objects.exists()
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 1


def test_abandoned_payment_is_cancelled_and_leaves_no_order(client, stripe_standin):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    pay(client, stripe_standin, THREE_D_SECURE)  # the reader closes the 3-D Secure dialog

    page = client.get(reverse("checkout:payment-details"))  # ... and comes back

    assert page.status_code == 200
    assert 'id="card-element"' in page.content.decode()
    payment = CardPayment.objects.get()
    assert payment.status == CardPayment.Status.FAILED
    intent = gateway.client().v1.payment_intents.retrieve(payment.payment_intent_id)
    assert intent.status == "canceled"
    assert not Order.objects.exists()
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 1


def test_card_refused_at_setup_gets_no_charge(client, stripe_standin):
    """Cards Stripe refuses when they are set up (e.g. insufficient funds) never reach pay."""
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    setup_intent = start_payment(client, stripe_standin, "4000000000009995")
    assert setup_intent["error"]["code"] == "card_declined"
    assert not gateway.client().v1.charges.list().data
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ({"code": "card_declined", "decline_code": "insufficient_funds"}, "provision insuffisante"),
        ({"code": "expired_card"}, "Votre carte a expiré"),
        ({"code": "card_declined", "decline_code": "generic_decline"}, "Votre carte a été refusée"),
        ({"code": "payment_intent_authentication_failure"}, "3-D Secure"),
        (None, "Votre carte a été refusée"),
    ],
)
def test_card_errors_are_told_in_french(error, expected):
    assert expected in gateway.card_error_message(error)


def test_oscar_place_order_form_cannot_place_an_unpaid_order(client, stripe_standin):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)

    for url in (reverse("checkout:preview"), reverse("checkout:payment-details")):
        response = client.post(url, {"action": "place_order"})
        assert response.status_code == 302
        assert response["Location"] == reverse("checkout:payment-details")
    assert client.get(reverse("checkout:preview"))["Location"] == reverse(
        "checkout:payment-details"
    )
    assert not Order.objects.exists()


def test_a_signed_in_reader_pays_too(client, stripe_standin, django_user_model):
    # Regression: the order of a signed-in reader has no guest email (Oscar's column is NOT NULL).
    reader = django_user_model.objects.create_user("l", "louise@example.org", "x-long-password")
    client.force_login(reader)
    fill_basket(client, PRINT_ISSUE)
    response = client.get(reverse("checkout:index"), follow=True)
    assert response.resolver_match.url_name == "shipping-address"
    response = client.post(reverse("checkout:shipping-address"), ADDRESS, follow=True)
    assert response.resolver_match.url_name == "payment-details"

    assert pay(client, stripe_standin).json() == {"redirect": reverse("checkout:thank-you")}

    order = Order.objects.get()
    assert order.user == reader and order.guest_email == ""
