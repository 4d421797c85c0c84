"""An order in words through a real card payment (the Stripe stand-in): the checkout, the
confirmation page and email (HTML and plain text), the order pages and the dashboard show the
gift's recipient and what follows, "Payé par carte Visa •••• 4242" and a status the reader
understands; never the option's JSON, Oscar's "Allocation" or the PaymentIntent's id."""

from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model

from kiosque.models import OutboxEmail
from shop.checkout.services import refund_order
from shop.order_words import READER_STATUSES, reader_status
from tests.support.checkout import PDF_ISSUE, fill_basket, go_to_payment, pay
from tests.support.magazine import PRINT_AND_DIGITAL, Product

Order = get_model("order", "Order")

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")

GIFT = {
    "name": "Jean Ami",
    "email": "jean@example.org",
    "line1": "2 quai de la Fosse",
    "postcode": "44000",
    "city": "Nantes",
    "country": "FR",
    "message": "Bonne lecture !",
}
GIFT_WORDS = "Abonnement offert à Jean Ami — Nantes"
RAW = ('{"name"', "&quot;name&quot;", "Abonnement offert =", "Allocation", "pi_")


def order_a_gift_and_a_pdf(client, stripe_standin) -> Order:
    product = Product.objects.get(upc=PRINT_AND_DIGITAL)
    assert client.post(reverse("magazine:gift", args=[product.pk]), GIFT).status_code == 302
    fill_basket(client, PDF_ISSUE)
    payment_page = go_to_payment(client).content.decode()
    assert GIFT_WORDS in payment_page
    assert not [raw for raw in RAW if raw in payment_page]
    assert pay(client, stripe_standin).status_code == 200
    return Order.objects.get()


def test_confirmation_page_and_email_say_it_in_words(client, stripe_standin):
    order = order_a_gift_and_a_pdf(client, stripe_standin)

    raw_page = client.get(reverse("checkout:thank-you")).content.decode()
    assert not [raw for raw in RAW if raw in raw_page]
    page = unescape(raw_page)

    assert GIFT_WORDS in page
    assert "Payé par carte Visa •••• 4242" in page
    assert "L'abonnement de Jean Ami commence au n°4." in page
    assert "Le lien de téléchargement du PDF vous a été envoyé par email." in page

    email = OutboxEmail.objects.get(to=["louise@example.org"], subject__contains=order.number)
    for body in (email.body, unescape(email.html_body)):
        assert GIFT_WORDS in body
        assert "Payé par carte Visa •••• 4242 : 46,00" in body.replace("\xa0", " ")
        assert "L'abonnement de Jean Ami commence au n°4." in body
        assert not [raw for raw in RAW if raw in body]
    assert "L'Écho des lecteurs n°2" in email.body  # plain text: no &#x27;
    assert "&#x27;" not in email.body


def guest_order_page(client, order, email="louise@example.org") -> str:
    """The guest's order page: its link (in the email), then the order's email asked by Oscar."""
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    form = client.get(url, follow=True).redirect_chain[-1][0]
    return client.post(form, {"email": email}, follow=True).content.decode()


def test_a_guest_s_order_page_shows_words_and_status(client, stripe_standin):
    order = order_a_gift_and_a_pdf(client, stripe_standin)

    page = guest_order_page(client, order)

    assert GIFT_WORDS in page and "Payée" in page and "En attente" not in page
    assert "Payé par carte Visa •••• 4242" in page
    assert not [raw for raw in RAW if raw in page]
    # With another email, another visitor sees nothing of it.
    client.logout()
    assert GIFT_WORDS not in guest_order_page(client, order, "marie@example.org")


def test_a_member_s_order_history_and_detail(client, stripe_standin, django_user_model):
    louise = django_user_model.objects.create_user("l", "louise@example.org", "x-long-pass")
    client.force_login(louise)
    product = Product.objects.get(upc=PRINT_AND_DIGITAL)
    client.post(reverse("magazine:gift", args=[product.pk]), GIFT)
    go_to_payment_as_member(client)
    assert pay(client, stripe_standin).status_code == 200
    order = Order.objects.get()

    history = client.get(reverse("customer:order-list")).content.decode()
    detail = unescape(client.get(reverse("customer:order", args=[order.number])).content.decode())

    assert "Payée" in history and "En attente" not in history
    assert GIFT_WORDS in detail and "Payée" in detail and "Payé par carte Visa •••• 4242" in detail
    assert not [raw for raw in RAW if raw in detail]
    # Another reader cannot open it.
    other = django_user_model.objects.create_user("m", "marie@example.org", "x-long-pass")
    client.force_login(other)
    assert client.get(reverse("customer:order", args=[order.number])).status_code == 404


def go_to_payment_as_member(client):
    from tests.support.checkout import ADDRESS

    response = client.get(reverse("checkout:index"), follow=True)
    if response.resolver_match.url_name == "shipping-address":
        response = client.post(reverse("checkout:shipping-address"), ADDRESS, follow=True)
    assert response.resolver_match.url_name == "payment-details", response.redirect_chain


def test_the_dashboard_order_page_shows_the_recipient(client, stripe_standin, django_user_model):
    order = order_a_gift_and_a_pdf(client, stripe_standin)
    staff = django_user_model.objects.get(email="equipe@kiosque.example")
    client.force_login(staff)

    page = client.get(reverse("dashboard:order-detail", args=[order.number])).content.decode()
    line = order.lines.get(product__upc=PRINT_AND_DIGITAL)
    line_page = client.get(
        reverse("dashboard:order-line-detail", args=[order.number, line.pk])
    ).content.decode()

    for html in (page, line_page):
        assert GIFT_WORDS in html
        assert "Destinataire : Jean Ami, jean@example.org" in html
        assert "Adresse : 2 quai de la Fosse, 44000 Nantes, FR" in html
        assert "Message : « Bonne lecture ! »" in html
        assert '{"name"' not in html and "&quot;name&quot;" not in html
    assert "oscar.dashboard.orders.initTable" not in page


def test_a_refund_shows_in_the_status(client, stripe_standin):
    order = order_a_gift_and_a_pdf(client, stripe_standin)
    assert reader_status(order) == "Payée"

    refund_order(order, Decimal("6.00"))
    order = Order.objects.get()
    assert reader_status(order) == "Payée, remboursée en partie"
    page = " ".join(guest_order_page(client, order).replace("\xa0", " ").split())
    assert "Payé par carte Visa •••• 4242 : 46,00 € — 6,00 € remboursés" in page
    assert "Payée, remboursée en partie" in page

    refund_order(order, Decimal("40.00"))
    assert reader_status(Order.objects.get()) == "Remboursée"


def test_every_status_of_the_pipeline_reads_for_readers(db):
    assert set(READER_STATUSES) == set(settings.OSCAR_ORDER_STATUS_PIPELINE)
    assert [str(READER_STATUSES[status]) for status in settings.OSCAR_ORDER_STATUS_PIPELINE] == [
        "Payée",
        "En préparation",
        "Expédiée",
        "Annulée",
    ]
