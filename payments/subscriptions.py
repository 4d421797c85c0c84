"""Monthly payments through the door (payments.facade's words): a Stripe subscription to a
monthly plan of the amount, its first month charged at once to the method the page set up.
Answers with payments.outcomes; each later month comes as an ``InvoicePaid`` event."""

import logging
from decimal import Decimal

import stripe
from django.utils.translation import gettext_lazy as _

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


# --- A running subscription's new card or bank account ----------------------------------

NOT_THIS_SUBSCRIPTION = _(
    "This payment method cannot be used for this monthly gift. Nothing was charged."
)


@gateway.calling_stripe("read a subscription's customer")
def customer_of(*, subscription_id: str) -> str:
    """The Stripe customer a subscription charges: a new card or account is set up for it."""
    subscription = gateway.client().v1.subscriptions.retrieve(subscription_id)
    return gateway.object_id(gateway.field(subscription, "customer")) or ""


def use_method(
    *, subscription_id: str, setup_id: str
) -> Subscribed | NeedsAuthentication | Refused:
    """Make the method the page set up (a new card, or a new SEPA mandate) the one the
    subscription is paid with; the subscription itself is unchanged (same amount, same day).

    If its latest month was refused (its invoice still open), that month is paid now with the
    new method: ``Subscribed`` with ``first_invoice`` (the month paid: a
    payments.events.InvoicePaid) or ``pending_invoice_id`` (a debit sent to the bank);
    ``NeedsAuthentication`` when the bank asks for 3-D Secure (then ``confirm_method``).
    ``Refused``: the method was not taken (the one before stays); StripeUnavailable: nothing
    was changed."""
    try:
        customer, payment_method = card_attempts.card_of_setup(setup_id)
    except gateway.StripeUnavailable:
        raise
    except gateway.CardPaymentFailed as failure:
        return Refused(code=failure.code, message=failure.message)
    return _use_method(subscription_id, customer, payment_method)


@gateway.calling_stripe("change a subscription's payment method")
def _use_method(subscription_id: str, customer: str, payment_method: str):
    client = gateway.client()
    subscription = client.v1.subscriptions.retrieve(
        subscription_id, params={"expand": ["latest_invoice"]}
    )
    other_customer = gateway.object_id(gateway.field(subscription, "customer")) != customer
    if other_customer or subscription["status"] in ("canceled", "incomplete_expired"):
        # Set up for another customer (another gift's page), or a subscription that ended.
        return Refused(code="not_this_subscription", message=str(NOT_THIS_SUBSCRIPTION))
    invoice = gateway.field(subscription, "latest_invoice")
    refused_month = _refused_month(invoice)
    kept = gateway.field(client.v1.customers.retrieve(customer), "invoice_settings")
    previous = gateway.object_id(gateway.field(kept, "default_payment_method")) or ""
    # Stripe charges a subscription with its own default_payment_method if it has one, else
    # with its customer's invoice_settings.default_payment_method. Ours never have their own
    # (the stand-in refuses it on subscriptions): the customer's is the one every month uses.
    _set_default(client, customer, payment_method)
    if not refused_month:
        return Subscribed(subscription_id=subscription_id, customer_id=customer)
    try:
        result = _pay_refused_month(client, invoice["id"], subscription_id, customer)
    except stripe.CardError as error:  # real Stripe refuses the payment with an error
        result = Refused(
            code=error.code or "card_error", message=gateway.card_error_message(error.error)
        )
    except (stripe.StripeError, gateway.StripeUnavailable):
        _restore_default(client, customer, previous)
        raise
    if isinstance(result, Refused):
        # Refused for the month it was entered for: the donor tries another; as they left it.
        _restore_default(client, customer, previous)
    return result


def _refused_month(invoice) -> bool:
    """Whether the invoice is a month whose payment was refused (or awaits the donor), to be
    paid now: not one Stripe has yet to try, nor a debit the bank is still processing."""
    if gateway.field(invoice, "status") != "open":
        return False
    status = gateway.field(_first_payment(invoice), "status")
    return status in ("requires_payment_method", "requires_confirmation", "requires_action")


def _set_default(client, customer: str, payment_method: str) -> None:
    client.v1.customers.update(
        customer, params={"invoice_settings": {"default_payment_method": payment_method}}
    )


def _restore_default(client, customer: str, previous: str) -> None:
    try:
        _set_default(client, customer, previous)
    except stripe.StripeError:
        logger.exception("Could not restore the payment method of the customer %s", customer)


def _pay_refused_month(client, invoice_id: str, subscription_id: str, customer: str):
    """Pay the open invoice of a refused month with the customer's (new) default method."""
    try:
        invoice = client.v1.invoices.pay(invoice_id)
    except stripe.InvalidRequestError:
        # Paid meanwhile (Stripe's own retry, or the page posted twice): as it stands now.
        invoice = client.v1.invoices.retrieve(invoice_id)
    return _month_outcome(invoice, subscription_id=subscription_id, customer=customer)


def _month_outcome(invoice, *, subscription_id: str, customer: str, authenticated=False):
    if gateway.field(invoice, "status") == "paid":
        return Subscribed(
            subscription_id=subscription_id,
            customer_id=customer,
            first_invoice=events.from_stripe("invoice.paid", intents.plain(invoice)),
        )
    intent = _first_payment(invoice)
    status = gateway.field(intent, "status")
    if status == "processing":  # a SEPA debit: the bank answers in days
        return Subscribed(
            subscription_id=subscription_id,
            customer_id=customer,
            pending_invoice_id=invoice["id"],
            pending_payment_id=intent["id"],
        )
    if status == "requires_action" and not authenticated:
        return NeedsAuthentication(
            payment_id=intent["id"],
            client_secret=intent["client_secret"],
            customer_id=customer,
            subscription_id=subscription_id,
        )
    if authenticated:
        # The donor gave up 3-D Secure for the refused month: the method, set up and
        # authenticated in the page, stays the subscription's; Stripe retries the month.
        return Subscribed(subscription_id=subscription_id, customer_id=customer)
    failure = gateway.refusal(intent)
    return Refused(code=failure.code, message=failure.message, customer_id=customer)


@gateway.calling_stripe("complete a refused month's payment")
def confirm_method(*, subscription_id: str) -> Subscribed:
    """After 3-D Secure in the page for the refused month ``use_method`` paid: where it
    stands (``first_invoice`` if paid)."""
    subscription = gateway.client().v1.subscriptions.retrieve(
        subscription_id, params={"expand": ["latest_invoice"]}
    )
    customer = gateway.object_id(gateway.field(subscription, "customer")) or ""
    invoice = gateway.field(subscription, "latest_invoice")
    if not invoice:
        return Subscribed(subscription_id=subscription_id, customer_id=customer)
    return _month_outcome(
        invoice, subscription_id=subscription_id, customer=customer, authenticated=True
    )
