"""Monthly payments through the door (payments.facade's words): a Stripe subscription to a
monthly plan of the amount, its first month charged at once to the method the page set up.
Answers with payments.outcomes; each later month comes as an ``InvoicePaid`` event."""

import datetime
import logging
import time
from decimal import Decimal

import stripe
from django.conf import settings
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


# --- A monthly gift's schedule: its amount, a pause ------------------------------------------
# Real Stripe and the stand-in (localstripe 1.15.10) part ways here: the stand-in answers 500 to
# ``proration_behavior`` and to ``pause_collection``. STRIPE_DEMO_MODE (no secret key: the demo
# and the tests) is true with the stand-in only, so it picks the parameters (README, "The
# stand-in (localstripe) and where it differs from Stripe").


def _without_proration() -> dict:
    """Real Stripe: nothing billed or credited for the days left of the month paid; the change
    counts from the next debit. The stand-in takes no such parameter and bills no proration
    either (it leaves pending items, see ``_drop_standin_prorations``)."""
    return {} if settings.STRIPE_DEMO_MODE else {"proration_behavior": "none"}


@gateway.calling_stripe("change a monthly amount")
def change_amount(*, subscription_id: str, amount: Decimal) -> None:
    """The subscription's single item moves to the monthly plan of ``amount``, from its next
    debit (same day of the month). Nothing is sent when it already is on that plan: a second
    submit, or a retry after our side failed to save, changes nothing more."""
    client = gateway.client()
    plan = monthly_plan(amount)
    subscription = client.v1.subscriptions.retrieve(subscription_id)
    item = subscription["items"]["data"][0]
    # A plan is also a price of the same id; newer API versions name the price only.
    if gateway.object_id(gateway.field(item, "price") or gateway.field(item, "plan")) == plan:
        return
    client.v1.subscriptions.update(
        subscription_id,
        params={"items": [{"id": item["id"], "plan": plan}], **_without_proration()},
    )
    if settings.STRIPE_DEMO_MODE:
        _drop_standin_prorations(client, subscription)


def _drop_standin_prorations(client, subscription) -> None:
    """The stand-in ignores ``prorate`` and always leaves an "Unused time" credit pending on
    the customer, which its next invoice (a new subscription's first) would take: deleted, as
    real Stripe with ``proration_behavior: none`` makes none."""
    customer = gateway.object_id(subscription["customer"])
    pending = client.v1.invoice_items.list(params={"customer": customer, "limit": 100})
    for item in pending.data:
        if item["proration"] and gateway.field(item, "subscription") == subscription["id"]:
            client.v1.invoice_items.delete(item["id"])


def _next_payment(subscription) -> int | None:
    """When the next invoice comes: a pause's end (``trial_end``), else the period's end (on
    the subscription in older API versions, like the stand-in's; on its item in newer ones)."""
    trial_end = gateway.field(subscription, "trial_end")
    if trial_end and trial_end > time.time():
        return trial_end
    period_end = gateway.field(subscription, "current_period_end")
    if period_end is None:
        period_end = gateway.field(subscription["items"]["data"][0], "current_period_end")
    return period_end


@gateway.calling_stripe("read a subscription's next payment")
def next_payment_at(*, subscription_id: str) -> datetime.datetime | None:
    """When Stripe will next charge the subscription (aware), None if it does not say."""
    subscription = gateway.client().v1.subscriptions.retrieve(subscription_id)
    if subscription["status"] not in ("active", "trialing", "past_due"):
        return None
    at = _next_payment(subscription)
    return datetime.datetime.fromtimestamp(at, tz=datetime.UTC) if at else None


@gateway.calling_stripe("pause a subscription")
def charge_next_at(*, subscription_id: str, at: datetime.datetime) -> None:
    """No payment until ``at``, then one a month from that day: the subscription is put on a
    trial until then. Real Stripe's ``pause_collection`` would void an invoice a month and
    resume on its own cycle; ``trial_end`` makes no invoice at all and charges at ``at``
    exactly (the billing cycle starts again then), and the stand-in takes it."""
    gateway.client().v1.subscriptions.update(
        subscription_id, params={"trial_end": int(at.timestamp()), **_without_proration()}
    )


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
