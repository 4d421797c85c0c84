"""Helpers for a monthly gift's new card or bank account (donations/views/monthly_method.py):
the signed page's three endpoints, driven as static/kiosque/js/card-payment.js drives them,
with Stripe.js's requests sent to the stand-in."""

from django.core import signing
from django.urls import reverse

from donations import links
from donations.models import MonthlyGift
from payments import gateway
from tests.support.checkout import VISA
from tests.support.donations import GOOD_IBAN, give, pay, pay_by_debit

# The stand-in attaches it to a customer, but refuses any payment with it.
FAILING_CARD_METHOD = "pm_card_chargeCustomerFail"


def token_of(gift: MonthlyGift) -> str:
    """The token of the gift's signed links (links.payment_method_url)."""
    return signing.TimestampSigner(salt=links.STOP_SALT).sign(str(gift.pk))


def urls(token: str) -> dict[str, str]:
    return {
        "page": reverse("donations:monthly-payment-method", args=[token]),
        "setup": reverse("donations:monthly-method-setup", args=[token]),
        "pay": reverse("donations:monthly-method-pay", args=[token]),
        "complete": reverse("donations:monthly-method-complete", args=[token]),
        "gift": reverse("donations:monthly-gift", args=[token]),
    }


def set_up(client, standin, token: str, *, method="card", number=VISA, iban=GOOD_IBAN) -> str:
    """The page's set-up, confirmed by Stripe.js: the SetupIntent's id."""
    response = client.post(urls(token)["setup"], {"method": method})
    assert response.status_code == 200, response.content
    assert response.json()["card_token"] is False
    secret = response.json()["client_secret"]
    if method == "sepa_debit":
        confirmed = standin.confirm_sepa_setup(secret, iban)
    else:
        confirmed = standin.confirm_card_setup(secret, number)
    assert confirmed.get("status") == "succeeded", confirmed
    return confirmed["id"]


def change_method(client, standin, gift: MonthlyGift, **how):
    """The donor enters a new card (or, ``method="sepa_debit"``, an IBAN) on the gift's page:
    the pay step's response."""
    token = token_of(gift)
    setup_id = set_up(client, standin, token, **how)
    return client.post(urls(token)["pay"], {"setup_intent": setup_id})


def monthly_gift_paid_by(client, standin, *, method="card", amount="10") -> MonthlyGift:
    """A monthly gift given on the donation page, by card or by SEPA debit."""
    give(client, amount="other", other=amount, frequency="monthly")
    if method == "card":
        assert "redirect" in pay(client, standin).json()
    else:
        answer = pay_by_debit(client, standin)
        assert answer.json() == {"redirect": reverse("donations:thanks")}
    gift = MonthlyGift.objects.get(status=MonthlyGift.Status.ACTIVE)
    assert gift.stripe_subscription_id
    return gift


def customer_default(subscription_id: str) -> str:
    """The payment method the subscription's customer is charged with."""
    client = gateway.client()
    subscription = client.v1.subscriptions.retrieve(subscription_id)
    customer = client.v1.customers.retrieve(gateway.object_id(subscription.customer))
    return gateway.object_id(customer.invoice_settings.default_payment_method) or ""


def refused_month(standin, gift: MonthlyGift) -> str:
    """A month Stripe could not charge (the card expired): the subscription's latest invoice
    stays open, its payment refused; the gift lapsed after ``failed_payments`` such months.
    (The stand-in has no renewals: the month's invoice is made and paid as Stripe would.)"""
    client = gateway.client()
    customer = gateway.object_id(
        client.v1.subscriptions.retrieve(gift.stripe_subscription_id).customer
    )
    failing = client.v1.payment_methods.attach(FAILING_CARD_METHOD, params={"customer": customer})
    client.v1.customers.update(
        customer, params={"invoice_settings": {"default_payment_method": failing.id}}
    )
    invoice = standin.request(
        "POST", "/v1/invoices", {"customer": customer, "subscription": gift.stripe_subscription_id}
    )
    paid = standin.request("POST", f"/v1/invoices/{invoice['id']}/pay")
    assert paid["status"] == "open", paid
    return invoice["id"]
