"""Payment forms and card set-ups per IP address and per email, then a French 429 (refused
cards are counted from Stripe's reports: tests/payments/test_card_testing.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import Donor
from tests.support.checkout import PDF_ISSUE, fill_basket, go_to_payment
from tests.support.donations import give

pytestmark = pytest.mark.usefixtures("association")


def test_card_attempts_are_limited_per_ip(client, stripe_standin, settings):
    settings.KIOSQUE_PAYMENT_ATTEMPTS_LIMIT = 3
    give(client)
    for _ in range(3):
        assert client.post(reverse("donations:card-setup")).status_code == 200

    refused = client.post(reverse("donations:card-setup"))

    assert refused.status_code == 429
    assert refused.json()["error"].startswith("Trop de tentatives de paiement")
    # Another address is not concerned.
    other = Client(REMOTE_ADDR="203.0.113.7")
    give(other, email="autre@example.org")
    assert other.post(reverse("donations:card-setup")).status_code == 200


def test_the_same_email_is_limited_from_any_address(stripe_standin, settings):
    settings.KIOSQUE_PAYMENT_ATTEMPTS_LIMIT = 2
    first, second = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    give(first)
    give(second)
    assert first.post(reverse("donations:card-setup")).status_code == 200
    assert second.post(reverse("donations:card-setup")).status_code == 200
    # The second address has one try left, the email none.
    assert second.post(reverse("donations:card-setup")).status_code == 429


def test_the_shop_s_checkout_is_limited_too(client, stripe_standin, demo, settings):
    settings.KIOSQUE_PAYMENT_ATTEMPTS_LIMIT = 1
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    assert client.post(reverse("checkout:card-setup")).status_code == 200
    assert client.post(reverse("checkout:card-setup")).status_code == 429


def test_the_donation_form_is_limited_with_a_french_page(client, settings):
    settings.KIOSQUE_PAYMENT_ATTEMPTS_LIMIT = 2
    for _ in range(2):
        assert give(client).status_code == 302
    response = give(client)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert Donor.objects.count() == 1  # the refused one created nothing more


def test_the_proxy_s_header_gives_the_address(settings, stripe_standin):
    settings.KIOSQUE_PAYMENT_ATTEMPTS_LIMIT = 1
    settings.KIOSQUE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    first = Client(HTTP_X_REAL_IP="192.0.2.1")
    give(first, email="a@example.org")
    assert first.post(reverse("donations:card-setup")).status_code == 200
    second = Client(HTTP_X_REAL_IP="192.0.2.2")
    give(second, email="b@example.org")
    assert second.post(reverse("donations:card-setup")).status_code == 200


def test_the_client_address_is_the_one_the_trusted_proxy_wrote(rf, settings):
    from kiosque.ratelimit import client_ip

    settings.KIOSQUE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.KIOSQUE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # The client wrote the first entry, our proxy appended the address it saw.
    via_proxy = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.7")
    assert client_ip(via_proxy) == "192.0.2.7"
    # A client reaching the site directly cannot choose its address.
    direct = rf.get("/", REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert client_ip(direct) == "198.51.100.5"
    garbled = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.2.3.4, <script>")
    assert client_ip(garbled) == "10.1.2.3"
    settings.KIOSQUE_CLIENT_IP_HEADER = ""
    assert client_ip(via_proxy) == "10.1.2.3"
