"""Who sees what: changing an id in a URL never reaches another customer's things."""

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import MonthlyGift
from donations.services.receipts import issue_receipt
from tests.support.donations import make_donor, monthly_gift, paid_donation
from tests.support.magazine import PRINT_AND_DIGITAL, place_order

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("a", "alice@example.org", "x-long-password")


@pytest.fixture
def bob_client(django_user_model):
    bob = django_user_model.objects.create_user("b", "bob@example.org", "x-long-password")
    client = Client()
    client.force_login(bob)
    return client


def test_another_customer_s_order(alice, bob_client):
    order = place_order(PRINT_AND_DIGITAL, "ECHO-002-N", user=alice)
    assert bob_client.get(reverse("customer:order", args=[order.number])).status_code == 404
    guest = place_order("ECHO-002-N", email="guest@example.org")
    wrong = reverse("customer:anon-order", args=[guest.number, "0" * 64])
    # Oscar asks for the order's email instead of showing it.
    response = Client().get(wrong, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/order-status-form/")
    assert "guest@example.org" not in response.content.decode()
    assert "La presse locale en question" not in response.content.decode()


def test_another_reader_s_subscription_and_pdf(alice, bob_client):
    place_order(PRINT_AND_DIGITAL, "ECHO-002-N", user=alice)
    page = bob_client.get(reverse("magazine:reader-space")).content.decode()
    assert "Abonnement 1 an" not in page and "Télécharger le n°2" not in page
    assert bob_client.get(reverse("magazine:download", args=[2])).status_code == 403


def test_another_donor_s_receipt_and_monthly_gift(alice, bob_client):
    donor = make_donor(email="alice@example.org", user=alice)
    receipt = issue_receipt([paid_donation(donor, "30")])
    gift = monthly_gift(donor)

    assert (
        bob_client.get(reverse("donations:account-receipt", args=[receipt.number])).status_code
        == 404
    )
    stop = bob_client.post(reverse("donations:account-stop-monthly-gift", args=[gift.pk]))
    assert stop.status_code == 404
    assert MonthlyGift.objects.get(pk=gift.pk).status == MonthlyGift.Status.ACTIVE
    assert receipt.number not in bob_client.get(reverse("donations:account")).content.decode()


def test_the_desk_and_the_dashboard_are_not_for_customers(bob_client):
    for url in ("/dashboard/", "/dashboard/treasury/", "/dashboard/receipts/",
                "/dashboard/magazine/issues/", "/admin/"):  # fmt: skip
        assert bob_client.get(url).status_code in (302, 403), url
