"""Who may change a monthly gift's card or bank account, and what a bad request changes:
nothing. Forged or expired links, another gift's link, a stopped gift, a replayed or forged
pay step, Stripe out of reach, card testing through the page's set-up."""

import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from donations.models import Mandate, MonthlyGift
from donations.services.monthly_method import change_monthly_method
from payments import facade, gateway, subscriptions
from payments.models import CardAttempt
from payments.outcomes import Refused, Subscribed
from tests.support import stripe_standin as standin_helpers
from tests.support.checkout import VISA
from tests.support.donations import FAILING_IBAN, spaced
from tests.support.payment_method import (
    change_method,
    customer_default,
    monthly_gift_paid_by,
    refused_month,
    set_up,
    token_of,
    urls,
)

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


def setup_intents() -> int:
    return len(gateway.client().v1.setup_intents.list(params={"limit": 100}).data)


def expired_token(gift: MonthlyGift) -> str:
    """A token signed the days the links last, and a day more, ago."""

    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 401 * 24 * 3600)

    return Then(salt="kiosque.donations.stop-monthly-gift").sign(str(gift.pk))


def forged_token(gift: MonthlyGift) -> str:
    token = token_of(gift)
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


def as_it_was(gift: MonthlyGift) -> tuple:
    fresh = MonthlyGift.objects.get(pk=gift.pk)
    return (
        fresh.method,
        fresh.payment_label,
        fresh.mandate_id,
        fresh.stripe_subscription_id,
        customer_default(gift.stripe_subscription_id),
    )


@pytest.mark.parametrize("token_for", [forged_token, expired_token])
def test_a_forged_or_expired_link_opens_nothing(client, stripe_standin, token_for):
    gift = monthly_gift_paid_by(client, stripe_standin)
    before, opened = as_it_was(gift), setup_intents()
    bad = urls(token_for(gift))

    assert client.get(bad["page"]).status_code == 403
    for step in ("setup", "pay", "complete"):
        response = client.post(bad[step], {"method": "card", "setup_intent": "seti_x"})
        assert response.status_code == 403, step

    # No SetupIntent for a card tester, nothing changed.
    assert setup_intents() == opened and CardAttempt.objects.count() == 1
    assert as_it_was(gift) == before


@pytest.mark.parametrize("status", [MonthlyGift.Status.STOPPED, MonthlyGift.Status.FAILED])
def test_a_stopped_gift_cannot_be_changed(client, stripe_standin, status):
    gift = monthly_gift_paid_by(client, stripe_standin)
    MonthlyGift.objects.filter(pk=gift.pk).update(status=status, stopped_at=timezone.now())
    before, opened = as_it_was(gift), setup_intents()
    ours = urls(token_of(gift))

    page = spaced(client.get(ours["page"]).content.decode())
    assert "Ce don mensuel est arrêté" in page and 'href="/don/"' in page
    assert 'id="card-payment"' not in page

    response = client.post(ours["setup"], {"method": "card"})
    assert response.status_code == 409 and "arrêté" in response.json()["error"]
    assert client.post(ours["pay"], {"setup_intent": "seti_x"}).status_code == 409
    assert setup_intents() == opened and as_it_was(gift) == before


def test_a_gift_stopped_after_its_set_up_is_not_changed(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin)
    token = token_of(gift)
    setup_id = set_up(client, stripe_standin, token)
    MonthlyGift.objects.filter(pk=gift.pk).update(status=MonthlyGift.Status.STOPPED)
    before = as_it_was(gift)

    assert client.post(urls(token)["pay"], {"setup_intent": setup_id}).status_code == 409
    assert as_it_was(gift) == before


def test_another_gifts_link_cannot_use_this_gifts_set_up(client, stripe_standin):
    first = monthly_gift_paid_by(client, stripe_standin)
    MonthlyGift.objects.filter(pk=first.pk).update(status=MonthlyGift.Status.STOPPED)
    second = monthly_gift_paid_by(client, stripe_standin, amount="20")
    MonthlyGift.objects.filter(pk=first.pk).update(status=MonthlyGift.Status.ACTIVE)
    before_first, before_second = as_it_was(first), as_it_was(second)

    # Set up on the first gift's page, sent to the second's pay step.
    setup_id = set_up(client, stripe_standin, token_of(first), method="sepa_debit")
    response = client.post(urls(token_of(second))["pay"], {"setup_intent": setup_id})

    assert response.status_code == 400
    assert (as_it_was(first), as_it_was(second)) == (before_first, before_second)
    # Even past the page, the set-up of another gift's customer is refused by the door.
    refused = change_monthly_method(gift=second, setup_id=setup_id)
    assert isinstance(refused, Refused) and refused.code == "not_this_subscription"
    assert as_it_was(second) == before_second


def test_a_replayed_or_forged_pay_step_changes_nothing(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin)
    token = token_of(gift)
    setup_id = set_up(client, stripe_standin, token, method="sepa_debit")
    # From another browser, with the set-up's id (read from the page, or guessed).
    assert Client().post(urls(token)["pay"], {"setup_intent": setup_id}).status_code == 400
    # A set-up id that is not the one the session made.
    assert client.post(urls(token)["pay"], {"setup_intent": "seti_other"}).status_code == 400
    after_change = as_it_was(gift)
    assert after_change[1] == "Visa •••• 4242"  # the refused attempt dropped the set-up

    setup_id = set_up(client, stripe_standin, token, method="sepa_debit")
    assert "redirect" in client.post(urls(token)["pay"], {"setup_intent": setup_id}).json()
    changed = as_it_was(gift)
    assert changed[1] == "FR•• •••• •••• 2606"

    # Posted again (double submit, replay): the set-up was used; nothing more happens.
    again = client.post(urls(token)["pay"], {"setup_intent": setup_id})
    assert again.status_code == 400
    assert as_it_was(gift) == changed and Mandate.objects.count() == 1
    # The third step without a payment awaiting 3-D Secure: back to the gift's page.
    assert client.post(urls(token)["complete"]).json() == {"redirect": urls(token)["gift"]}


def test_stripe_out_of_reach_changes_nothing_and_says_so_in_french(
    client, stripe_standin, settings
):
    gift = monthly_gift_paid_by(client, stripe_standin)
    before = as_it_was(gift)
    token = token_of(gift)
    setup_id = set_up(client, stripe_standin, token, method="sepa_debit")
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{standin_helpers.free_port()}"

    response = client.post(urls(token)["pay"], {"setup_intent": setup_id})
    setup = client.post(urls(token)["setup"], {"method": "card"})

    assert response.status_code == 503 and "n'a pas été changé" in response.json()["error"]
    assert setup.status_code == 503
    settings.STRIPE_API_BASE = stripe_standin.url
    assert as_it_was(gift) == before and Mandate.objects.count() == 0


def test_the_set_up_goes_through_the_donation_pages_limits(client, stripe_standin, settings):
    gift = monthly_gift_paid_by(client, stripe_standin)
    settings.KIOSQUE_PAYMENT_ATTEMPTS_LIMIT = 3  # the donation page's set-up used one
    ours = urls(token_of(gift))
    for _ in range(2):
        assert client.post(ours["setup"], {"method": "card"}).status_code == 200
    opened = setup_intents()

    response = client.post(ours["setup"], {"method": "sepa_debit"})

    assert response.status_code == 429
    assert setup_intents() == opened
    # Each set-up is a card attempt, counted against the client and the email.
    attempts = CardAttempt.objects.order_by("pk")
    assert attempts.count() == 3 and {a.email for a in attempts} == {"marie@example.org"}


def test_the_set_up_is_for_the_subscriptions_customer(client, stripe_standin):
    gift = monthly_gift_paid_by(client, stripe_standin)
    change_method(client, stripe_standin, gift, method="sepa_debit")

    subscription = gateway.client().v1.subscriptions.retrieve(gift.stripe_subscription_id)
    attempt = CardAttempt.objects.order_by("-pk").first()
    assert attempt.customer_id == gateway.object_id(subscription.customer)


class StripeFailingAt:
    """A proxy in front of the stand-in that answers 500 (Stripe's API error) to the requests
    whose path ends with ``suffix``, and passes every other one through."""

    def __init__(self, standin, suffix: str):
        upstream, proxy = standin.url, self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self._forward()

            def do_POST(self):
                self._forward()

            def do_DELETE(self):
                self._forward()

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.split("?")[0].endswith(suffix):
                    proxy.failed += 1
                    status, payload = 500, b'{"error": {"type": "api_error"}}'
                else:
                    request = urllib.request.Request(  # noqa: S310 (the local stand-in)
                        upstream + self.path,
                        data=body or None,
                        method=self.command,
                        headers={k: v for k, v in self.headers.items() if k != "Host"},
                    )
                    try:
                        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                            status, payload = answer.status, answer.read()
                    except urllib.error.HTTPError as error:
                        status, payload = error.code, error.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.failed = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_stripe_failing_while_the_refused_month_is_paid_leaves_the_old_method(
    client, stripe_standin, settings
):
    gift = monthly_gift_paid_by(client, stripe_standin)
    invoice_id = refused_month(stripe_standin, gift)
    MonthlyGift.objects.filter(pk=gift.pk).update(failed_payments=1)
    before = as_it_was(gift)
    token = token_of(gift)
    setup_id = set_up(client, stripe_standin, token)
    proxy = StripeFailingAt(stripe_standin, "/pay")
    settings.STRIPE_API_BASE = proxy.url
    try:
        response = client.post(urls(token)["pay"], {"setup_intent": setup_id})
    finally:
        proxy.close()
        settings.STRIPE_API_BASE = stripe_standin.url

    assert proxy.failed >= 1 and response.status_code == 503
    # The new card had become the customer's default: put back, as the gift's record says.
    assert as_it_was(gift) == before
    assert gateway.client().v1.invoices.retrieve(invoice_id).status == "open"


def test_a_month_whose_debit_is_with_the_bank_is_not_charged_again(client, stripe_standin):
    """The refused month was sent again as a debit (Stripe's retry, or an IBAN entered just
    before): while the bank has it, a new card does not pay that month a second time."""
    gift = monthly_gift_paid_by(client, stripe_standin)
    invoice_id = refused_month(stripe_standin, gift)
    stripe = gateway.client()
    customer = subscriptions.customer_of(subscription_id=gift.stripe_subscription_id)
    card_setup = facade.start_setup(email="", customer_id=customer)
    assert stripe_standin.confirm_card_setup(card_setup.client_secret, VISA)["status"] == (
        "succeeded"
    )
    debit = stripe.v1.payment_methods.create(
        params={"type": "sepa_debit", "sepa_debit": {"iban": FAILING_IBAN}}
    )
    stripe.v1.payment_methods.attach(debit.id, params={"customer": customer})
    stripe.v1.customers.update(
        customer, params={"invoice_settings": {"default_payment_method": debit.id}}
    )
    sent = time.monotonic()
    processing = stripe_standin.request("POST", f"/v1/invoices/{invoice_id}/pay")["payment_intent"]

    result = subscriptions.use_method(
        subscription_id=gift.stripe_subscription_id, setup_id=card_setup.setup_id
    )

    assert time.monotonic() - sent < 0.45, "too slow: the stand-in's debit may be over"
    assert isinstance(result, Subscribed) and result.first_invoice is None
    assert not result.pending_invoice_id
    invoice = stripe.v1.invoices.retrieve(invoice_id)
    assert gateway.object_id(invoice.payment_intent) == processing  # no second payment
    intents = stripe.v1.payment_intents.list(params={"limit": 100}).data
    # The first month, the refused one, the debit: no card payment after it.
    assert sum(1 for i in intents if i.customer == customer) == 3
