"""Monthly gifts: a Stripe subscription to a monthly plan of its amount, each paid invoice
one ``Donation``. The monthly gift's row lock makes the page and the webhooks, in whatever
order and number they come, record each invoice once.
"""

import logging
from decimal import Decimal

import stripe
from django.db import transaction
from django.utils import timezone

from donations import identity as identities
from donations.models import Association, Donation, Donor, GiftIdentity, MonthlyGift
from donations.selectors import get_association
from donations.services.gifts import paid_at
from donations.services.notifications import thank_for
from donations.services.receipts import issue_receipt
from payments import card_attempts, gateway
from payments.gateway import CardPaymentFailed

logger = logging.getLogger(__name__)

# Metadata that marks Stripe objects as ours (see gifts.ONE_OFF_PURPOSE).
MONTHLY_PURPOSE = "kiosque_monthly_gift"


def start_monthly_gift(
    *,
    donor: Donor,
    amount: Decimal,
    language: str,
    identity: GiftIdentity | None = None,
    placed_by=None,
) -> MonthlyGift:
    identity = identity or identities.current_identity(donor)
    return MonthlyGift.objects.create(
        donor=donor, amount=amount, language=language, identity=identity, placed_by=placed_by
    )


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


@gateway.calling_stripe("subscribe a monthly gift")
def subscribe_monthly_gift(gift: MonthlyGift, setup_intent_id: str) -> str | None:
    """Subscribe the donor's card to the monthly plan; the first month is charged at once.

    Returns the first payment's client secret when the bank asks for 3-D Secure (the page
    runs it, then calls ``complete_monthly_gift``), else None: the gift has started.
    Raises CardPaymentFailed when the first payment fails (the subscription is cancelled).
    """
    client = gateway.client()
    try:
        customer, payment_method = card_attempts.card_of_setup(setup_intent_id)
        client.v1.customers.update(
            customer, params={"invoice_settings": {"default_payment_method": payment_method}}
        )
        subscription = client.v1.subscriptions.create(
            params={
                "customer": customer,
                "items": [{"plan": monthly_plan(gift.amount)}],
                "metadata": {"purpose": MONTHLY_PURPOSE, "monthly_gift": str(gift.pk)},
                "expand": ["latest_invoice"],
            },
            options={"idempotency_key": f"kiosque-monthly-gift-{gift.pk}"},
        )
    except CardPaymentFailed as failure:
        _stop(gift, MonthlyGift.Status.FAILED, failure.code)
        raise
    except stripe.StripeError as error:
        logger.exception("Stripe refused the subscription of monthly gift %s", gift.pk)
        _stop(gift, MonthlyGift.Status.FAILED, "stripe_error")
        raise gateway.StripeUnavailable() from error
    Donor.objects.filter(pk=gift.donor_id).update(stripe_customer_id=customer)
    MonthlyGift.objects.filter(pk=gift.pk).update(stripe_subscription_id=subscription.id)
    gift.stripe_subscription_id = subscription.id
    return _follow_subscription(gift, subscription, authenticated=False)


@gateway.calling_stripe("complete a monthly gift")
def complete_monthly_gift(gift: MonthlyGift) -> None:
    """After 3-D Secure in the page: the gift starts if the first month is paid, else it is
    cancelled (CardPaymentFailed)."""
    subscription = gateway.client().v1.subscriptions.retrieve(
        gift.stripe_subscription_id, params={"expand": ["latest_invoice"]}
    )
    _follow_subscription(gift, subscription, authenticated=True)


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
def _follow_subscription(gift: MonthlyGift, subscription, *, authenticated: bool) -> str | None:
    invoice = gateway.field(subscription, "latest_invoice")
    if subscription["status"] in ("active", "trialing"):
        if gateway.field(invoice, "status") == "paid":
            record_paid_invoice(invoice)
        return None
    intent = _first_payment(invoice) if invoice else {}
    if not authenticated and gateway.field(intent, "status") == "requires_action":
        return intent["client_secret"]
    # The first month was refused: nothing must be charged later either.
    gateway.client().v1.subscriptions.cancel(subscription["id"])
    failure = gateway.refusal(intent)
    _stop(gift, MonthlyGift.Status.FAILED, failure.code)
    raise failure


def _invoice_subscription(invoice) -> str | None:
    """The subscription an invoice bills, in Stripe's older and newer invoice shapes."""
    subscription = gateway.field(invoice, "subscription")
    if subscription is None:
        parent = gateway.field(invoice, "parent")
        details = gateway.field(parent, "subscription_details")
        subscription = gateway.field(details, "subscription")
    return gateway.object_id(subscription)


@gateway.calling_stripe("read a subscription")
def _monthly_gift_of(subscription_id: str) -> MonthlyGift | None:
    """The monthly gift of a subscription, locked; None for a subscription that is not one.

    The webhook may come before the page has stored the subscription's id: the
    subscription's metadata, asked of Stripe, tells which gift it is.
    """
    gift = MonthlyGift.objects.select_for_update().filter(stripe_subscription_id=subscription_id)
    if found := gift.first():
        return found
    try:
        subscription = gateway.client().v1.subscriptions.retrieve(subscription_id)
    except stripe.InvalidRequestError as error:
        if error.http_status == 404:
            return None  # no such subscription: not a gift's
        raise
    metadata = gateway.field(subscription, "metadata", {})
    if gateway.field(metadata, "purpose") != MONTHLY_PURPOSE:
        return None
    gift = MonthlyGift.objects.select_for_update().get(pk=int(metadata["monthly_gift"]))
    gift.stripe_subscription_id = subscription_id
    gift.save(update_fields=["stripe_subscription_id"])
    return gift


@transaction.atomic
def record_paid_invoice(invoice) -> Donation | None:
    """One donation per paid invoice of a monthly gift, whichever of ``invoice.paid`` and
    ``invoice.payment_succeeded`` (or the page) tells first; None if not a gift's invoice."""
    subscription_id = _invoice_subscription(invoice)
    if not subscription_id or not gateway.field(invoice, "amount_paid"):
        return None
    gift = _monthly_gift_of(subscription_id)
    if gift is None:
        return None
    existing = Donation.objects.filter(invoice_id=invoice["id"]).first()
    if existing is not None:
        return existing
    if gift.status == MonthlyGift.Status.PENDING:
        gift.status = MonthlyGift.Status.ACTIVE
        gift.started_at = timezone.now()
        gift.save(update_fields=["status", "started_at"])
    transitions = gateway.field(invoice, "status_transitions", {})
    donation = Donation.objects.create(
        donor=gift.donor,
        monthly_gift=gift,
        amount=gateway.from_cents(invoice["amount_paid"]),
        status=Donation.Status.PAID,
        language=gift.language,
        identity=gift.identity,
        placed_by_id=gift.placed_by_id,
        invoice_id=invoice["id"],
        payment_intent_id=gateway.object_id(gateway.field(invoice, "payment_intent")),
        paid_at=paid_at(gateway.field(transitions, "paid_at")),
    )
    identities.adopt_paid_identity(donation)
    receipt = None
    association = get_association()
    if association and association.monthly_receipts == Association.MonthlyReceipts.PER_PAYMENT:
        receipt = issue_receipt([donation])
    thank_for(donation, receipt)
    return donation


def _stop(gift: MonthlyGift, status: str, code: str = "") -> None:
    MonthlyGift.objects.filter(pk=gift.pk).exclude(status=MonthlyGift.Status.STOPPED).update(
        status=status, error_code=code[:255], stopped_at=timezone.now()
    )


@gateway.calling_stripe("stop a monthly gift")
@transaction.atomic
def stop_monthly_gift(gift: MonthlyGift) -> MonthlyGift:
    """The donor stops giving: the Stripe subscription is cancelled, nothing more is charged."""
    gift = MonthlyGift.objects.select_for_update().get(pk=gift.pk)
    if gift.status == MonthlyGift.Status.STOPPED:
        return gift
    if gift.stripe_subscription_id:
        client = gateway.client()
        subscription = client.v1.subscriptions.retrieve(gift.stripe_subscription_id)
        if subscription.status != "canceled":
            client.v1.subscriptions.cancel(gift.stripe_subscription_id)
    _stop(gift, MonthlyGift.Status.STOPPED)
    gift.refresh_from_db()
    return gift


def record_subscription_ended(subscription) -> None:
    """``customer.subscription.deleted``: stopped from Stripe (dashboard, unpaid invoices)."""
    MonthlyGift.objects.filter(stripe_subscription_id=subscription["id"]).exclude(
        status__in=(MonthlyGift.Status.STOPPED, MonthlyGift.Status.FAILED)
    ).update(status=MonthlyGift.Status.STOPPED, stopped_at=timezone.now())
