"""In demonstration mode (the Stripe stand-in), every page says so, whatever template it is
built on: the shop's layout, the checkout's (Oscar's has a layout of its own), the account's,
the dashboard's, the error pages and the last-resort bare pages. And none says it with a real
Stripe account."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from kiosque import views as error_views
from tests.support.checkout import PRINT_ISSUE, fill_basket, go_to_payment

BANNER = "mode démonstration — aucun paiement réel"
BANNER_CLASS = 'class="kiosque-demo-banner"'


def _user_client(email):
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


def _pages():
    """(where, HTML) of a page built on each template base."""
    anonymous = Client()
    yield "shop layout (home)", anonymous.get("/").content.decode()
    yield "shop layout (donation)", anonymous.get(reverse("donations:donate")).content.decode()
    checkout = Client()
    fill_basket(checkout, PRINT_ISSUE)
    yield "checkout (gateway)", checkout.get(reverse("checkout:index")).content.decode()
    yield "checkout (payment)", go_to_payment(checkout).content.decode()
    reader = Client()
    reader.force_login(
        get_user_model().objects.create_user(
            username="lectrice", email="lectrice@example.org", password="x" * 12
        )
    )
    yield "account (profile)", reader.get(reverse("customer:profile-view")).content.decode()
    yield "account (reader's space)", reader.get(reverse("magazine:reader-space")).content.decode()
    staff = _user_client("tresorier@kiosque.example")
    yield "dashboard", staff.get(reverse("dashboard:index")).content.decode()
    yield "dashboard (association)", staff.get("/dashboard/association/").content.decode()
    not_found = anonymous.get("/pas-de-page-ici/")
    assert not_found.status_code == 404
    yield "error page (404)", not_found.content.decode()
    csrf = Client(enforce_csrf_checks=True).post(reverse("donations:donate"), {})
    assert csrf.status_code == 403
    yield "error page (CSRF)", csrf.content.decode()
    yield "bare page (500)", error_views.server_error(None).content.decode()
    yield "bare page (400)", error_views.bad_request(None, None).content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_every_page_base_shows_the_demo_banner_with_the_stand_in(settings):
    settings.STRIPE_DEMO_MODE = True
    for where, html in _pages():
        assert BANNER_CLASS in html and BANNER in html, where


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_no_page_shows_it_with_a_real_stripe_account(settings):
    settings.STRIPE_DEMO_MODE = False
    for where, html in _pages():
        assert BANNER_CLASS not in html, where
