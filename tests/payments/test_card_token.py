"""One-off payments take the card as a token (Stripe.js ``createToken``), charged at once: a
3-D Secure card is challenged once, at the payment, never at a set-up. And the other side:
tokens posted without the site's card attempt, from another session, to a monthly gift, for
an attempt cancelled for card testing, or refused by the bank, charge nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from donations.models import Donation, MonthlyGift
from payments.models import CardAttempt
from shop.models import CardPayment
from tests.support.checkout import (
    PDF_ISSUE,
    THREE_D_SECURE,
    VISA,
    fill_basket,
    go_to_payment,
)
from tests.support.donations import give

pytestmark = pytest.mark.usefixtures("association")

DECLINED_WHEN_SAVED = "4000000000000002"
Order = get_model("order", "Order")


def payment_intents(standin) -> list:
    return standin.request("GET", "/v1/payment_intents")["data"]


def test_a_one_off_gift_with_a_3d_secure_card_is_challenged_once(client, stripe_standin):
    give(client, amount="50")
    setup = client.post(reverse("donations:card-setup")).json()
    assert setup["card_token"] is True
    token = stripe_standin.create_token(THREE_D_SECURE)

    answer = client.post(reverse("donations:card-pay"), {"token": token["id"]}).json()

    assert answer["requires_action"] is True  # the one challenge, at the payment
    setup_intent = setup["client_secret"].split("_secret_")[0]
    assert stripe_standin.request("GET", f"/v1/setup_intents/{setup_intent}")["status"] == (
        "requires_payment_method"  # never confirmed, so never challenged
    )
    stripe_standin.confirm_card_payment(answer["client_secret"])
    done = client.post(reverse("donations:card-complete")).json()
    assert done == {"redirect": reverse("donations:thanks")}
    donation = Donation.objects.get(donor__email="marie@example.org")
    assert donation.status == Donation.Status.PAID
    (intent,) = payment_intents(stripe_standin)
    assert intent["amount"] == 5000 and intent["status"] == "succeeded"
    assert intent["customer"] == CardAttempt.objects.get().customer_id


def test_a_checkout_with_a_3d_secure_card_is_challenged_once(client, stripe_standin, demo):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    assert client.post(reverse("checkout:card-setup")).json()["card_token"] is True
    token = stripe_standin.create_token(THREE_D_SECURE)
    answer = client.post(reverse("checkout:card-pay"), {"token": token["id"]}).json()
    assert answer["requires_action"] is True
    stripe_standin.confirm_card_payment(answer["client_secret"])
    done = client.post(reverse("checkout:card-complete")).json()
    assert done == {"redirect": reverse("checkout:thank-you")}
    order = Order.objects.get()
    assert order.sources.get().reference == payment_intents(stripe_standin)[0]["id"]


def test_a_token_without_the_site_s_card_attempt_charges_nothing(client, stripe_standin, demo):
    """The pay endpoint posted straight, with a token made at Stripe: no attempt of this
    session (no card-setup), so nothing is created, at Stripe or here."""
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    token = stripe_standin.create_token(VISA)
    response = client.post(reverse("checkout:card-pay"), {"token": token["id"]})
    assert response.status_code == 400
    assert not payment_intents(stripe_standin)
    assert not CardPayment.objects.exists() and not Order.objects.exists()

    give(client)
    response = client.post(reverse("donations:card-pay"), {"token": token["id"]})
    assert response.status_code == 400
    assert not payment_intents(stripe_standin)


def test_another_session_s_attempt_is_refused(client, stripe_standin, demo):
    """A set-up id (or its client secret) taken from another reader's basket is refused: the
    pay endpoint only knows this session's attempt."""
    other = Client()
    fill_basket(other, PDF_ISSUE)
    go_to_payment(other, email="autre@example.org")
    other_secret = other.post(reverse("checkout:card-setup")).json()["client_secret"]
    other_setup = other_secret.split("_secret_")[0]
    assert stripe_standin.confirm_card_setup(other_secret, VISA)["status"] == "succeeded"

    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    for forged in ({"setup_intent": other_setup}, {"setup_intent": other_secret}):
        assert client.post(reverse("checkout:card-pay"), forged).status_code == 400
    # A forged token, with this session's own attempt: Stripe knows no such card.
    client.post(reverse("checkout:card-setup"))
    response = client.post(reverse("checkout:card-pay"), {"token": "tok_forged"})
    assert response.status_code in (402, 503)
    assert not payment_intents(stripe_standin)
    assert not Order.objects.exists()


def test_a_monthly_gift_s_card_is_never_taken_as_a_token(client, stripe_standin):
    """A monthly gift's card pays later months too: it is set up (3-D Secure once, there),
    and a token posted instead subscribes nothing."""
    give(client, frequency="monthly")
    setup = client.post(reverse("donations:card-setup")).json()
    assert setup["card_token"] is False
    token = stripe_standin.create_token(VISA)
    response = client.post(reverse("donations:card-pay"), {"token": token["id"]})
    assert response.status_code == 400
    assert not stripe_standin.request("GET", "/v1/subscriptions")["data"]
    assert MonthlyGift.objects.get().status == MonthlyGift.Status.PENDING


def test_a_cancelled_attempt_s_token_is_never_charged(client, stripe_standin, demo, settings):
    settings.KIOSQUE_PAYMENT_INTENT_FAILURES_LIMIT = 2
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    client.post(reverse("checkout:card-setup"))
    CardAttempt.objects.update(failures=2, canceled_at="2026-01-01T00:00:00Z")
    token = stripe_standin.create_token(VISA)
    response = client.post(reverse("checkout:card-pay"), {"token": token["id"]})
    assert response.status_code == 402
    assert response.json()["code"] == "too_many_attempts"
    assert not payment_intents(stripe_standin)
    assert not Order.objects.exists()
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 1


def test_a_card_refused_when_its_token_is_saved_is_counted(client, stripe_standin, settings):
    """Stripe sends no event when it refuses to save a token's card: the site counts it,
    against the attempt, the address and the email, up to the 429."""
    settings.KIOSQUE_PAYMENT_FAILURES_LIMIT = 2
    for _ in range(2):
        give(client)
        client.post(reverse("donations:card-setup"))
        token = stripe_standin.create_token(DECLINED_WHEN_SAVED)
        response = client.post(reverse("donations:card-pay"), {"token": token["id"]})
        assert response.status_code == 402
        assert CardAttempt.objects.order_by("-created_at").first().failures == 1
    assert not payment_intents(stripe_standin)
    assert not Donation.objects.filter(status=Donation.Status.PAID).exists()
    give(client)
    assert client.post(reverse("donations:card-setup")).status_code == 429
