"""Stripe out of reach at every step where the site calls it: never a 500, a French message,
nothing half-done (the basket given back), and the retry, once Stripe is back, charges once.

"Out of reach" is the SDK pointed at a closed port on this machine, the way a network cut or
a Stripe outage looks from the site: the stand-in keeps running for the retry.
"""

import socket
import time

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from donations import links
from donations.models import Donation, MonthlyGift
from payments import gateway
from payments.models import StripeEvent
from shop.models import CardPayment
from tests.support import stripe_standin as standin_helpers
from tests.support.accounts import verified
from tests.support.checkout import (
    PDF_ISSUE,
    PRINT_ISSUE,
    THREE_D_SECURE,
    fill_basket,
    go_to_payment,
    pay,
    start_payment,
)
from tests.support.donations import give, invoice_event
from tests.support.donations import pay as pay_gift

Order = get_model("order", "Order")

UNAVAILABLE = "Le paiement n'a pas pu être effectué pour le moment. Aucun montant n'a été débité."
STOP_FAILED = "Votre don mensuel n'a pas pu être arrêté pour le moment."
REFUND_FAILED = "Stripe n'a pas pu être joint : rien n'a été remboursé."

pytestmark = pytest.mark.usefixtures("demo_once", "outbox_emails")


class Switch:
    """Stripe on (the stand-in) or off (a port nobody listens on)."""

    def __init__(self, standin, settings):
        self.standin = standin
        self.settings = settings

    def off(self):
        self.settings.STRIPE_API_BASE = f"http://127.0.0.1:{standin_helpers.free_port()}"

    def on(self):
        self.settings.STRIPE_API_BASE = self.standin.url


@pytest.fixture
def stripe(stripe_standin, settings):
    return Switch(stripe_standin, settings)


def marie_gifts():
    """The donor's gifts in these tests (the demo has gifts of its own)."""
    return Donation.objects.filter(donor__email="marie@example.org")


def marie_monthly():
    return MonthlyGift.objects.filter(donor__email="marie@example.org")


def payment_intents():
    return gateway.client().v1.payment_intents.list(params={"limit": 100}).data


def french_message(response) -> str:
    """What the reader reads: the JSON endpoints' error, or the page's messages."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["error"]
    return " ".join(str(message) for message in messages.get_messages(response.wsgi_request))


def open_basket_items(client) -> int:
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.status == "Open"
    return basket.num_items


# --- The two pay steps of the issue, followed to the retry -----------------------------


def test_checkout_pay_with_stripe_out_of_reach_gives_the_basket_back_and_a_retry_charges_once(
    client, stripe
):
    fill_basket(client, PRINT_ISSUE, PDF_ISSUE)
    go_to_payment(client)
    setup_intent = start_payment(client, stripe.standin)
    stripe.off()

    response = client.post(reverse("checkout:card-pay"), {"setup_intent": setup_intent["id"]})

    assert response.status_code == 503
    assert response.json()["error"].startswith(UNAVAILABLE)
    assert not Order.objects.exists()
    assert CardPayment.objects.get().status == CardPayment.Status.FAILED
    assert open_basket_items(client) == 2
    stripe.on()
    assert not payment_intents()
    go_to_payment(client)
    assert pay(client, stripe.standin).json() == {"redirect": reverse("checkout:thank-you")}
    order = Order.objects.get()
    assert [(i.status, i.amount) for i in payment_intents()] == [("succeeded", 1800)]
    assert order.sources.get().reference == payment_intents()[0].id


@pytest.mark.parametrize("frequency", ["once", "monthly"])
def test_gift_pay_with_stripe_out_of_reach_says_so_and_a_retry_charges_once(
    client, stripe, frequency
):
    give(client, amount="50", frequency=frequency)
    setup = client.post(reverse("donations:card-setup"))
    setup_intent = stripe.standin.confirm_card_setup(setup.json()["client_secret"], "4242" * 4)
    stripe.off()

    response = client.post(reverse("donations:card-pay"), {"setup_intent": setup_intent["id"]})

    assert response.status_code == 503
    assert response.json()["error"].startswith(UNAVAILABLE)
    assert not marie_gifts().filter(status=Donation.Status.PAID).exists()
    stripe.on()
    assert not payment_intents()
    assert client.get(reverse("donations:payment")).status_code == 200
    assert pay_gift(client, stripe.standin).json() == {"redirect": reverse("donations:thanks")}
    paid = marie_gifts().get(status=Donation.Status.PAID)
    assert paid.amount == 50
    charged = [(i.status, i.amount) for i in payment_intents()]
    assert charged == [("succeeded", 5000)]
    if frequency == "monthly":
        assert marie_monthly().filter(status=MonthlyGift.Status.ACTIVE).count() == 1


def test_stripe_refusing_our_keys_is_told_in_french_and_the_basket_given_back(
    client, stripe, settings
):
    """AuthenticationError (a revoked or mistyped key), not only the network."""
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    setup_intent = start_payment(client, stripe.standin)
    settings.STRIPE_SECRET_KEY = "rk_test_revoked"  # the stand-in accepts sk_ keys only

    response = client.post(reverse("checkout:card-pay"), {"setup_intent": setup_intent["id"]})

    assert response.status_code == 503
    assert response.json()["error"].startswith(UNAVAILABLE)
    assert open_basket_items(client) == 1
    settings.STRIPE_SECRET_KEY = "sk_test_kiosque"
    assert not payment_intents()


# --- Every user-facing endpoint that calls Stripe ---------------------------------------


def checkout_setup(client, stripe):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    stripe.off()
    return client.post(reverse("checkout:card-setup"))


def checkout_pay(client, stripe):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    setup_intent = start_payment(client, stripe.standin)
    stripe.off()
    return client.post(reverse("checkout:card-pay"), {"setup_intent": setup_intent["id"]})


def checkout_complete(client, stripe):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    answer = pay(client, stripe.standin, THREE_D_SECURE).json()
    stripe.standin.confirm_card_payment(answer["client_secret"])
    stripe.off()
    return client.post(reverse("checkout:card-complete"))


def checkout_back_after_3ds(client, stripe):
    """The reader closed the 3-D Secure dialog and comes back: the attempt is cancelled."""
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    pay(client, stripe.standin, THREE_D_SECURE)
    stripe.off()
    return client.get(reverse("checkout:payment-details"))


def gift_setup(client, stripe):
    give(client)
    stripe.off()
    return client.post(reverse("donations:card-setup"))


def gift_pay(frequency):
    def pay_step(client, stripe):
        give(client, frequency=frequency)
        setup = client.post(reverse("donations:card-setup"))
        setup_intent = stripe.standin.confirm_card_setup(setup.json()["client_secret"], "4242" * 4)
        stripe.off()
        return client.post(reverse("donations:card-pay"), {"setup_intent": setup_intent["id"]})

    return pay_step


def gift_complete(frequency):
    def complete_step(client, stripe):
        give(client, frequency=frequency)
        answer = pay_gift(client, stripe.standin, THREE_D_SECURE).json()
        stripe.standin.confirm_card_payment(answer["client_secret"])
        stripe.off()
        return client.post(reverse("donations:card-complete"))

    return complete_step


def stop_from_link(client, stripe):
    give(client, frequency="monthly", amount="20")
    pay_gift(client, stripe.standin)
    url = links.stop_url(marie_monthly().get()).removeprefix("http://127.0.0.1:8000")
    stripe.off()
    return client.post(url)


def stop_from_account(client, stripe):
    reader = get_user_model().objects.create_user("m", "marie@example.org", "x-long-password")
    client.force_login(verified(reader))
    give(client, frequency="monthly", amount="20")
    pay_gift(client, stripe.standin)
    stripe.off()
    gift = marie_monthly().get()
    return client.post(reverse("donations:account-stop-monthly-gift", args=[gift.pk]))


def dashboard_refund(client, stripe):
    fill_basket(client, PDF_ISSUE)
    go_to_payment(client)
    assert pay(client, stripe.standin).status_code == 200
    order = Order.objects.get()
    client.force_login(get_user_model().objects.get(email="tresorier@kiosque.example"))
    stripe.off()
    return client.post(reverse("kiosque-order-refund", args=[order.number]), {"amount": "6.00"})


def nothing_charged(client, stripe):
    assert not payment_intents()


def basket_given_back(client, stripe):
    assert not payment_intents() and not Order.objects.exists()
    assert open_basket_items(client) == 1


def checkout_retry_completes_once(client, stripe):
    # The bank said yes before Stripe went out of reach: the payment was kept pending.
    assert CardPayment.objects.get().status == CardPayment.Status.REQUIRES_ACTION
    assert client.post(reverse("checkout:card-complete")).json() == {
        "redirect": reverse("checkout:thank-you")
    }
    assert Order.objects.count() == 1 and len(payment_intents()) == 1


def gift_retry_completes_once(client, stripe):
    response = client.post(reverse("donations:card-complete"))
    assert response.json() == {"redirect": reverse("donations:thanks")}
    assert marie_gifts().filter(status=Donation.Status.PAID).count() == 1
    assert len(payment_intents()) == 1


def retry_stops_the_gift(client, stripe):
    gift = marie_monthly().get()
    assert gift.status == MonthlyGift.Status.ACTIVE
    if client.session.get("_auth_user_id"):
        client.post(reverse("donations:account-stop-monthly-gift", args=[gift.pk]))
    else:
        client.post(links.stop_url(gift).removeprefix("http://127.0.0.1:8000"))
    gift.refresh_from_db()
    assert gift.status == MonthlyGift.Status.STOPPED


def retry_refunds_once(client, stripe):
    order = Order.objects.get()
    assert order.sources.get().amount_refunded == 0
    client.post(reverse("kiosque-order-refund", args=[order.number]), {"amount": "6.00"})
    assert order.sources.get().amount_refunded == 6
    assert len(gateway.client().v1.refunds.list().data) == 1


# name: (the step, Stripe out of reach at its call; what the reader reads; then, Stripe back)
ENDPOINTS = {
    "checkout card-setup": (checkout_setup, UNAVAILABLE, basket_given_back),
    "checkout card-pay": (checkout_pay, UNAVAILABLE, basket_given_back),
    "checkout card-complete": (checkout_complete, UNAVAILABLE, checkout_retry_completes_once),
    "checkout back after 3-D Secure": (checkout_back_after_3ds, "", None),
    "gift card-setup": (gift_setup, UNAVAILABLE, nothing_charged),
    "gift card-pay once": (gift_pay("once"), UNAVAILABLE, nothing_charged),
    "gift card-pay monthly": (gift_pay("monthly"), UNAVAILABLE, nothing_charged),
    "gift card-complete once": (gift_complete("once"), UNAVAILABLE, gift_retry_completes_once),
    "gift card-complete monthly": (
        gift_complete("monthly"),
        UNAVAILABLE,
        gift_retry_completes_once,
    ),
    "stop a monthly gift from the link": (stop_from_link, STOP_FAILED, retry_stops_the_gift),
    "stop a monthly gift from the account": (stop_from_account, STOP_FAILED, retry_stops_the_gift),
    "dashboard refund": (dashboard_refund, REFUND_FAILED, retry_refunds_once),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_endpoint_that_calls_stripe_answers_in_french_when_stripe_is_out_of_reach(
    client, stripe, name
):
    step, expected, then = ENDPOINTS[name]

    response = step(client, stripe)

    assert response.status_code in (200, 302, 503), response.content[:300]
    assert expected in french_message(response)
    stripe.on()
    if then is not None:
        then(client, stripe)


def test_back_after_3d_secure_with_stripe_out_of_reach_gives_the_basket_back(client, stripe):
    response = checkout_back_after_3ds(client, stripe)

    assert response.status_code == 200
    assert 'id="card-element"' in response.content.decode()
    assert CardPayment.objects.get().status == CardPayment.Status.FAILED
    assert open_basket_items(client) == 1
    assert not Order.objects.exists()


def test_a_webhook_that_needs_stripe_asks_for_a_retry_and_stores_nothing(stripe):
    """An invoice of a subscription the site does not know yet: Stripe is asked whose it is."""
    payload = invoice_event("invoice.paid", "in_unknown", "sub_unknown_yet")
    stripe.off()

    response = Client().post(
        "/stripe/webhook/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=standin_helpers.sign(payload),
    )

    assert response.status_code == 503
    assert not StripeEvent.objects.exists()  # so that Stripe's retry is handled in full


def test_a_stripe_that_does_not_answer_is_given_up_in_seconds(settings, monkeypatch):
    """A page waits seconds, not the SDK's 80 s a try, for a Stripe that accepts the
    connection and never answers; then the reader is told, in French."""
    assert sum(gateway.TIMEOUT) * (gateway.NETWORK_RETRIES + 1) <= 60, (
        "a page would wait more than a minute"
    )
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel accepts; nobody reads or answers
    settings.STRIPE_SECRET_KEY = "sk_test_kiosque"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}"
    monkeypatch.setattr(gateway, "TIMEOUT", (1, 1))
    started = time.monotonic()
    try:
        with pytest.raises(gateway.StripeUnavailable) as failure:
            gateway.retrieve_payment_intent("pi_anything")
    finally:
        silent.close()
    assert time.monotonic() - started < 10
    assert failure.value.message.startswith(UNAVAILABLE)
