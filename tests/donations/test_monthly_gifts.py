"""Giving online, once or every month, through HTTP with the real SDK against the stand-in."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from donations import links
from donations.models import Association, Donation, MonthlyGift
from kiosque.models import OutboxEmail
from payments import gateway, subscriptions
from tests.support import stripe_standin as standin_helpers
from tests.support.accounts import verified
from tests.support.checkout import DECLINED_AT_CHARGE, THREE_D_SECURE
from tests.support.donations import (
    attachments,
    give,
    invoice_event,
    pay,
    post_event,
    spaced,
    token_in,
)

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


def test_a_monthly_gift_makes_one_donation_per_paid_invoice(client, stripe_standin):
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.ANNUAL)
    give(client, amount="other", other="10", frequency="monthly")
    page = client.get(reverse("donations:payment")).content.decode()
    assert "Donner 10,00 € chaque mois" in spaced(page)

    assert pay(client, stripe_standin).json() == {"redirect": reverse("donations:thanks")}

    gift = MonthlyGift.objects.get()
    assert gift.status == MonthlyGift.Status.ACTIVE
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "active" and subscription.plan.amount == 1000
    first = Donation.objects.get()
    assert (first.monthly_gift, first.amount) == (gift, Decimal("10.00"))
    # This association sends one summary receipt in January.
    assert first.receipt is None
    email = OutboxEmail.objects.get()
    assert email.attachments == [] and "janvier" in email.body
    assert links.monthly_gift_of(token_in(email.body, "/don/mensuel/")) == gift

    # The stand-in's invoice.payment_succeeded for the first month: already recorded.
    payload, signature = stripe_standin.inbox.wait_for(
        "invoice.payment_succeeded", first.invoice_id
    )
    assert post_event(payload, signature).status_code == 200
    assert Donation.objects.count() == 1

    # Next month: Stripe sends invoice.paid and invoice.payment_succeeded, in any order.
    Association.objects.update(monthly_receipts=Association.MonthlyReceipts.PER_PAYMENT)
    for event_type in ("invoice.paid", "invoice.payment_succeeded", "invoice.paid"):
        payload = invoice_event(event_type, "in_second_month", gift.stripe_subscription_id)
        assert post_event(payload, standin_helpers.sign(payload)).status_code == 200

    second = Donation.objects.get(invoice_id="in_second_month")
    assert Donation.objects.count() == 2
    assert second.receipt.amount == Decimal("10.00")
    email = OutboxEmail.objects.order_by("-pk").first()
    assert list(attachments(email)) == [f"recu-fiscal-{second.receipt.number}.pdf"]


def test_an_invoice_of_another_subscription_is_left_alone(stripe_standin):
    customer = gateway.client().v1.customers.create()
    plan = subscriptions.monthly_plan(Decimal("12"))
    payment_method = gateway.client().v1.payment_methods.attach(
        "pm_card_visa", params={"customer": customer.id}
    )
    gateway.client().v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": payment_method.id}}
    )
    subscription = gateway.client().v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"plan": plan}]}
    )
    payload = invoice_event("invoice.paid", "in_not_a_gift", subscription.id)
    assert post_event(payload, standin_helpers.sign(payload)).status_code == 200
    assert not Donation.objects.exists()


def test_the_donor_stops_a_monthly_gift_from_the_email_link(client, stripe_standin):
    give(client, frequency="monthly", amount="20")
    pay(client, stripe_standin)
    gift = MonthlyGift.objects.get()
    url = links.stop_url(gift).removeprefix("http://127.0.0.1:8000")

    page = Client().get(url)
    assert page.status_code == 200 and "Arrêter mon don mensuel" in page.content.decode()
    response = Client().post(url, follow=True)

    assert "Votre don mensuel est arrêté" in response.content.decode()
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.STOPPED
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "canceled"
    assert Client().get(url[:-12] + "x" + url[-11:]).status_code == 403  # forged


def test_a_signed_in_donor_stops_a_monthly_gift_from_the_account(
    client, stripe_standin, django_user_model
):
    reader = verified(
        django_user_model.objects.create_user("m", "marie@example.org", "x-long-password")
    )
    client.force_login(reader)
    give(client, frequency="monthly", amount="20")
    pay(client, stripe_standin)
    gift = MonthlyGift.objects.get()
    page = client.get(reverse("donations:account")).content.decode()
    assert "20,00" in page and "Arrêter" in page

    response = client.post(reverse("donations:account-stop-monthly-gift", args=[gift.pk]))

    assert response.url == reverse("donations:account")
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.STOPPED
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "canceled"


@pytest.mark.parametrize("authenticate", [True, False])
def test_a_monthly_gift_whose_bank_asks_for_3d_secure(client, stripe_standin, authenticate):
    give(client, frequency="monthly", amount="20")
    answer = pay(client, stripe_standin, THREE_D_SECURE).json()
    assert answer["requires_action"] is True
    assert MonthlyGift.objects.get().status == MonthlyGift.Status.PENDING
    stripe_standin.confirm_card_payment(answer["client_secret"], authenticate=authenticate)

    response = client.post(reverse("donations:card-complete"))

    gift = MonthlyGift.objects.get()
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    if authenticate:
        assert response.json() == {"redirect": reverse("donations:thanks")}
        assert gift.status == MonthlyGift.Status.ACTIVE
        assert subscription.status == "active"
        assert Donation.objects.get().amount == Decimal("20.00")
    else:
        assert response.status_code == 402
        assert "3-D Secure" in response.json()["error"]
        assert gift.status == MonthlyGift.Status.FAILED
        assert subscription.status in ("canceled", "incomplete_expired")
        assert not Donation.objects.exists()


def test_a_declined_card_starts_no_monthly_gift(client, stripe_standin):
    give(client, frequency="monthly", amount="20")
    response = pay(client, stripe_standin, DECLINED_AT_CHARGE)

    assert response.status_code == 402
    assert response.json()["error"].startswith("Votre carte a été refusée")
    gift = MonthlyGift.objects.get()
    assert gift.status == MonthlyGift.Status.FAILED
    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    assert subscription.status == "canceled"
    assert not Donation.objects.exists()
