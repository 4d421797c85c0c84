"""Refunds: made in Stripe (charge.refunded) or by staff from Oscar's dashboard."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from payments import gateway
from tests.support import stripe_standin as standin_helpers
from tests.support.checkout import PDF_ISSUE, PRINT_ISSUE, fill_basket, go_to_payment, pay

Order = get_model("order", "Order")

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def paid_order(client, stripe_standin):
    fill_basket(client, PRINT_ISSUE, PDF_ISSUE)  # 18,00 €
    go_to_payment(client)
    assert pay(client, stripe_standin).status_code == 200
    return Order.objects.get()


@pytest.fixture
def staff(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(email="equipe@kiosque.example"))
    return client


def charge_of(order):
    stripe = gateway.client()
    intent = stripe.v1.payment_intents.retrieve(order.sources.get().reference)
    return stripe.v1.charges.retrieve(gateway.object_id(intent.latest_charge))


def post_charge_refunded(charge, event_id=None):
    payload = standin_helpers.event("charge.refunded", charge.to_dict(), event_id)
    return Client().post(
        "/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=standin_helpers.sign(payload),
    )


def test_refund_made_in_stripe_shows_on_the_order(paid_order):
    stripe = gateway.client()
    stripe.v1.refunds.create(params={"payment_intent": paid_order.sources.get().reference,
                                     "amount": 950})  # fmt: skip
    charge = charge_of(paid_order)
    assert charge.amount_refunded == 950

    assert post_charge_refunded(charge, "evt_refund_1").status_code == 200
    assert post_charge_refunded(charge, "evt_refund_1").status_code == 200  # replayed
    assert post_charge_refunded(charge, "evt_refund_1_bis").status_code == 200  # same total

    source = paid_order.sources.get()
    assert source.amount_refunded == Decimal("9.50")
    event = paid_order.payment_events.get(event_type__name="Remboursement")
    assert event.amount == Decimal("9.50")
    assert source.transactions.filter(txn_type="Refund").count() == 1


def test_staff_refund_from_the_dashboard(paid_order, staff):
    detail = staff.get(reverse("dashboard:order-detail", kwargs={"number": paid_order.number}))
    html = detail.content.decode()
    assert paid_order.sources.get().reference in html  # the Stripe reference
    assert 'id="kiosque-refund"' in html
    url = reverse("kiosque-order-refund", kwargs={"number": paid_order.number})

    response = staff.post(url, {"amount": "5.00"}, follow=True)
    assert "5.00 € remboursés sur la carte via Stripe." in response.content.decode()
    assert charge_of(paid_order).amount_refunded == 500

    too_much = staff.post(url, {"amount": "20.00"}, follow=True)
    assert "au plus de 13.00 €" in too_much.content.decode()
    assert charge_of(paid_order).amount_refunded == 500

    staff.post(url, {"amount": "13.00"})
    source = paid_order.sources.get()
    assert source.amount_refunded == Decimal("18.00")
    assert charge_of(paid_order).amount_refunded == 1800
    assert paid_order.payment_events.filter(event_type__name="Remboursement").count() == 2

    # Stripe's charge.refunded for those refunds changes nothing more.
    assert post_charge_refunded(charge_of(paid_order)).status_code == 200
    assert paid_order.sources.get().amount_refunded == Decimal("18.00")


def test_customers_cannot_refund(paid_order, client):
    url = reverse("kiosque-order-refund", kwargs={"number": paid_order.number})
    response = client.post(url, {"amount": "18.00"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert charge_of(paid_order).amount_refunded == 0
