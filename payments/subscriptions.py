"""Monthly payments through the door (payments.facade's words): a Stripe subscription to a
monthly plan of the amount, its first month charged at once to the method the page set up.
Answers with payments.outcomes; each later month comes as an ``InvoicePaid`` event."""

import logging
from decimal import Decimal

import stripe

from payments import card_attempts, events, gateway, intents
from payments.outcomes import NeedsAuthentication, Refused, Subscribed

logger = logging.getLogger(__name__)


@gateway.calling_stripe("find or create a monthly plan")
def monthly_plan(amount: Decimal) -> str:
    """The id of Stripe's monthly plan for ``amount``, created the first time it is needed."""
    cents = gateway.to_cents(amount)
    plan_id = f"kiosque-don-mensuel-{cents}"
    client = gateway.client()
    try:
        client.v1.plans.retrieve(plan_id)
    except stripe.InvalidRequestError:
        client.v1.plans.create(
            params={
                "id": plan_id,
                "amount": cents,
                "currency": "eur",
                "interval": "month",
                "product": {"name": f"Don mensuel de {amount} €"},
            }
        )
    return plan_id


def subscribe(
    *, setup_id: str, amount: Decimal, metadata: dict, idempotency_key: str
) -> Subscribed | NeedsAuthentication | Refused:
    """Subscribe the set-up method to the monthly plan of ``amount``; the first month is
    charged at once. ``NeedsAuthentication`` when the bank asks for 3-D Secure (the page runs
    it, then ``confirm_subscription``); ``Refused`` when the first month failed (the
    subscription is cancelled: nothing is charged later either). StripeUnavailable: not
    subscribed."""
    try:
        customer, payment_method = card_attempts.card_of_setup(setup_id)
    except gateway.StripeUnavailable:
        raise
    except gateway.CardPaymentFailed as failure:
        return Refused(code=failure.code, message=failure.message)
    try:
        subscription = _create(customer, payment_method, amount, metadata, idempotency_key)
    except gateway.StripeUnavailable:
        raise
    except gateway.CardPaymentFailed as failure:  # the first month refused at once
        return Refused(code=failure.code, message=failure.message, customer_id=customer)
    return _follow(subscription, customer=customer, authenticated=False)


@gateway.calling_stripe("subscribe a monthly gift")
def _create(customer, payment_method, amount, metadata, idempotency_key):
    client = gateway.client()
    try:
        client.v1.customers.update(
            customer, params={"invoice_settings": {"default_payment_method": payment_method}}
        )
        return client.v1.subscriptions.create(
            params={
                "customer": customer,
                "items": [{"plan": monthly_plan(amount)}],
                "metadata": metadata,
                "expand": ["latest_invoice"],
            },
            options={"idempotency_key": idempotency_key},
        )
    except stripe.CardError:
        raise  # the payer's message, by calling_stripe
    except stripe.StripeError as error:
        logger.exception("Stripe refused the subscription %s", idempotency_key)
        unavailable = gateway.StripeUnavailable()
        unavailable.code = "stripe_error"  # Stripe answered, but not as expected
        raise unavailable from error


@gateway.calling_stripe("complete a subscription")
def confirm_subscription(*, subscription_id: str) -> Subscribed | Refused:
    """After 3-D Secure in the page: started if the first month is paid, else cancelled."""
    subscription = gateway.client().v1.subscriptions.retrieve(
        subscription_id, params={"expand": ["latest_invoice"]}
    )
    customer = gateway.object_id(gateway.field(subscription, "customer")) or ""
    return _follow(subscription, customer=customer, authenticated=True)


@gateway.calling_stripe("read a first payment")
def _first_payment(invoice) -> dict:
    """The PaymentIntent of a subscription's first invoice: its client secret and error.

    Newer API versions give the secret through the invoice's ``confirmation_secret`` (to be
    expanded); older ones, like the stand-in's, name the PaymentIntent on the invoice.
    """
    client = gateway.client()
    try:
        expanded = client.v1.invoices.retrieve(
            invoice["id"], params={"expand": ["confirmation_secret"]}
        )
        secret = gateway.field(expanded["confirmation_secret"], "client_secret")
        intent_id = secret.split("_secret_")[0] if secret else None
    except (stripe.InvalidRequestError, KeyError):
        intent_id = gateway.object_id(gateway.field(invoice, "payment_intent"))
    if not intent_id:
        return {}
    return client.v1.payment_intents.retrieve(intent_id)


@gateway.calling_stripe("follow a subscription")
def _follow(subscription, *, customer: str, authenticated: bool):
    invoice = gateway.field(subscription, "latest_invoice")
    paid = gateway.field(invoice, "status") == "paid"
    if subscription["status"] in ("active", "trialing") and (paid or not invoice):
        first = events.from_stripe("invoice.paid", intents.plain(invoice)) if paid else None
        return Subscribed(
            subscription_id=subscription["id"], customer_id=customer, first_invoice=first
        )
    intent = _first_payment(invoice) if invoice else {}
    if gateway.field(intent, "status") == "processing":
        # A SEPA debit: the subscription has started (Stripe makes it active, or leaves it
        # incomplete, while the bank answers); the first month is not money yet.
        return Subscribed(
            subscription_id=subscription["id"],
            customer_id=customer,
            pending_invoice_id=invoice["id"],
            pending_payment_id=intent["id"],
        )
    if subscription["status"] in ("active", "trialing"):
        return Subscribed(subscription_id=subscription["id"], customer_id=customer)
    if not authenticated and gateway.field(intent, "status") == "requires_action":
        return NeedsAuthentication(
            payment_id=intent["id"],
            client_secret=intent["client_secret"],
            customer_id=customer,
            subscription_id=subscription["id"],
        )
    # The first month was refused: nothing must be charged later either.
    gateway.client().v1.subscriptions.cancel(subscription["id"])
    failure = gateway.refusal(intent)
    return Refused(
        code=failure.code,
        message=failure.message,
        customer_id=customer,
        subscription_id=subscription["id"],
    )


@gateway.calling_stripe("read a subscription")
def metadata_of(*, subscription_id: str) -> dict | None:
    """The metadata a subscription was started with; None if Stripe has no such subscription."""
    try:
        subscription = gateway.client().v1.subscriptions.retrieve(subscription_id)
    except stripe.InvalidRequestError as error:
        if error.http_status == 404:
            return None
        raise
    return intents.metadata_of(intents.plain(subscription))


@gateway.calling_stripe("cancel a subscription")
def cancel(*, subscription_id: str) -> None:
    """Nothing more is charged: the subscription is cancelled, unless it already is."""
    client = gateway.client()
    subscription = client.v1.subscriptions.retrieve(subscription_id)
    if subscription.status != "canceled":
        client.v1.subscriptions.cancel(subscription_id)
