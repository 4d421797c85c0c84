"""Going through Oscar's checkout as a reader does, up to and through the card payment."""

from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

PRINT_ISSUE = "ECHO-001-P"  # 9,50 € + 2,50 € postage
PDF_ISSUE = "ECHO-002-N"  # 6,00 €
VISA = "4242424242424242"
DECLINED_AT_CHARGE = "4000000000000341"
THREE_D_SECURE = "4000002500003155"

ADDRESS = {
    "first_name": "Louise",
    "last_name": "Lectrice",
    "line1": "3 rue de la Paix",
    "line4": "Lyon",
    "postcode": "69001",
    "country": "FR",
}


def fill_basket(client, *upcs):
    for upc in upcs:
        product = Product.objects.get(upc=upc)
        response = client.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
        assert response.status_code == 302


def go_to_payment(client, email="louise@example.org"):
    """Guest checkout, shipping address when needed, up to the payment page."""
    response = client.post(
        reverse("checkout:index"), {"username": email, "options": "anonymous"}, follow=True
    )
    if response.resolver_match.url_name == "shipping-address":
        response = client.post(reverse("checkout:shipping-address"), ADDRESS, follow=True)
    assert response.resolver_match.url_name == "payment-details", response.redirect_chain
    assert response.status_code == 200
    return response


def start_payment(client, standin, number=VISA, *, authenticate=True):
    """Click "Pay": the setup the page asks for, and Stripe.js confirming the card."""
    setup = client.post(reverse("checkout:card-setup"))
    assert setup.status_code == 200, setup.content
    return standin.confirm_card_setup(
        setup.json()["client_secret"], number, authenticate=authenticate
    )


def pay(client, standin, number=VISA):
    """Through "Pay" to the server's answer to card-pay, as the page does: the card attempt,
    the card as a token (Stripe.js ``createToken``), then the charge."""
    setup = client.post(reverse("checkout:card-setup"))
    assert setup.status_code == 200, setup.content
    assert setup.json()["card_token"] is True
    token = standin.create_token(number)
    assert token.get("id", "").startswith("tok_"), token
    return client.post(reverse("checkout:card-pay"), {"token": token["id"]})
