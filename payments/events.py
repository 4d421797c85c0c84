"""Stripe's signed webhook events, turned into ours: the handlers of the apps read these
frozen values, never Stripe's payloads. Stripe's API-version shapes (an invoice names its
subscription and its payment in two ways) are handled here, in one place.

A payload whose fields are of the wrong type raises TypeError, KeyError or ValueError here:
payments.services refuses the event whole (400, nothing kept).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from payments import disputes, gateway, intents
from payments.outcomes import Paid, Refused


@dataclass(frozen=True)
class PaymentSucceeded:
    payment: Paid


@dataclass(frozen=True)
class PaymentFailed:
    payment_id: str
    metadata: dict
    refusal: Refused
    customer_id: str = ""
    invoice_id: str = ""  # a subscription's payment
    awaiting_payer: bool = False  # not paid, and may still be cancelled


@dataclass(frozen=True)
class SetupFailed:
    setup_id: str


@dataclass(frozen=True)
class InvoicePaid:
    invoice_id: str
    subscription_id: str | None
    amount: Decimal
    paid_at: datetime.datetime
    payment_id: str | None = None


@dataclass(frozen=True)
class InvoiceFailed:
    """A subscription's payment refused (a card refused, a debit returned by the bank)."""

    invoice_id: str
    subscription_id: str | None
    amount: Decimal
    payment_id: str | None = None
    code: str = ""  # Stripe's refusal code, when it gives one


@dataclass(frozen=True)
class InvoiceUpcoming:
    """A subscription's next invoice, days before it is charged (the dashboard sets how many):
    Stripe's draft has no id yet, so it is known by its subscription."""

    subscription_id: str
    amount: Decimal
    due_at: datetime.datetime


@dataclass(frozen=True)
class ChargeRefunded:
    charge_id: str
    payment_id: str | None
    invoice_id: str | None
    amount_refunded: Decimal  # the charge's whole refunded total, not this refund's
    refund_id: str  # the latest refund's, else the charge's


@dataclass(frozen=True)
class SubscriptionEnded:
    subscription_id: str


@dataclass(frozen=True)
class ChargeDisputed:
    """The payer's bank takes a payment back: a SEPA debit reversed (8 weeks, 13 months if
    unauthorised) or a card payment disputed."""

    dispute_id: str
    charge_id: str
    payment_id: str | None
    amount: Decimal  # what the bank takes back
    reason: str
    status: str
    invoice_id: str | None = None  # older API versions only (a subscription's charge)


@dataclass(frozen=True)
class DisputeClosed:
    """A dispute decided: ``won``, the money came back; else the bank kept it."""

    dispute_id: str
    charge_id: str
    payment_id: str | None
    amount: Decimal
    won: bool
    reason: str = ""
    invoice_id: str | None = None


Event = (
    PaymentSucceeded
    | PaymentFailed
    | SetupFailed
    | InvoicePaid
    | InvoiceFailed
    | InvoiceUpcoming
    | ChargeRefunded
    | SubscriptionEnded
    | ChargeDisputed
    | DisputeClosed
)


def _cents(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"an amount in cents is an integer, not {type(value).__name__}")
    return gateway.from_cents(value)


def _id(value) -> str | None:
    found = gateway.object_id(value)
    if found is not None and not isinstance(found, str):
        raise TypeError(f"an id is a string, not {type(found).__name__}")
    return found


def _payment_succeeded(intent: dict) -> PaymentSucceeded | None:
    metadata = intents.metadata_of(intent)
    if "purpose" not in metadata:
        return None  # not a payment the site started: no handler wants it
    if intent.get("status") != "succeeded":
        raise ValueError(f"PaymentIntent {intent.get('id')} has not succeeded")
    return PaymentSucceeded(payment=intents.paid(intent))


def _payment_failed(intent: dict) -> PaymentFailed:
    return PaymentFailed(
        payment_id=_id(intent["id"]),
        metadata=intents.metadata_of(intent),
        refusal=intents.refused(intent),
        customer_id=_id(gateway.field(intent, "customer")) or "",
        invoice_id=_id(gateway.field(intent, "invoice")) or "",
        awaiting_payer=gateway.field(intent, "status")
        in ("requires_payment_method", "requires_confirmation", "requires_action"),
    )


def _invoice_subscription(invoice: dict) -> str | None:
    """Older API versions (the stand-in's) name it on the invoice, newer ones under
    ``parent.subscription_details``."""
    subscription = gateway.field(invoice, "subscription")
    if subscription is None:
        details = gateway.field(gateway.field(invoice, "parent"), "subscription_details")
        subscription = gateway.field(details, "subscription")
    return _id(subscription)


def _invoice_payment(invoice: dict) -> str | None:
    """Older API versions name the PaymentIntent on the invoice, newer ones in its payments."""
    payment = gateway.field(invoice, "payment_intent")
    if payment is None:
        payments = gateway.field(gateway.field(invoice, "payments"), "data", [])
        first = payments[0] if isinstance(payments, list) and payments else None
        payment = gateway.field(gateway.field(first, "payment"), "payment_intent")
    return _id(payment)


def _invoice_paid(invoice: dict) -> InvoicePaid:
    transitions = gateway.field(invoice, "status_transitions", {})
    return InvoicePaid(
        invoice_id=_id(invoice["id"]),
        subscription_id=_invoice_subscription(invoice),
        amount=_cents(gateway.field(invoice, "amount_paid", 0)),
        paid_at=intents.timestamp(gateway.field(transitions, "paid_at")),
        payment_id=_invoice_payment(invoice),
    )


def _invoice_failed(invoice: dict) -> InvoiceFailed:
    error = gateway.field(gateway.field(invoice, "last_finalization_error"), "code", "")
    return InvoiceFailed(
        invoice_id=_id(invoice["id"]),
        subscription_id=_invoice_subscription(invoice),
        amount=_cents(gateway.field(invoice, "amount_due", 0)),
        payment_id=_invoice_payment(invoice),
        code=str(error or "invoice_payment_failed"),
    )


def _invoice_upcoming(invoice: dict) -> InvoiceUpcoming | None:
    subscription_id = _invoice_subscription(invoice)
    if not subscription_id:
        return None  # not a subscription's (it has no id of its own to be known by)
    # When it will be charged: the next attempt, else the end of the period it bills.
    due = (
        gateway.field(invoice, "next_payment_attempt")
        or gateway.field(invoice, "period_end")
        or gateway.field(invoice, "created")
    )
    return InvoiceUpcoming(
        subscription_id=subscription_id,
        amount=_cents(gateway.field(invoice, "amount_due", 0)),
        due_at=intents.timestamp(due),
    )


def _charge_refunded(charge: dict) -> ChargeRefunded:
    refunds = gateway.field(gateway.field(charge, "refunds"), "data", [])
    return ChargeRefunded(
        charge_id=_id(charge["id"]),
        payment_id=_id(gateway.field(charge, "payment_intent")),
        invoice_id=_id(gateway.field(charge, "invoice")),
        amount_refunded=_cents(gateway.field(charge, "amount_refunded", 0)),
        refund_id=_id(refunds[0]["id"]) if refunds else _id(charge["id"]),
    )


def _disputed_payment(dispute: dict) -> tuple[str, str | None, str | None]:
    """(charge, PaymentIntent, invoice) of a dispute. Older API versions name only the
    charge: Stripe is asked for its PaymentIntent (and invoice)."""
    charge = _id(gateway.field(dispute, "charge")) or ""
    payment = _id(gateway.field(dispute, "payment_intent"))
    if payment is None and charge:
        payment, invoice = disputes.payment_of_charge(charge)
        return charge, payment, invoice
    return charge, payment, None


def _charge_disputed(dispute: dict) -> ChargeDisputed | None:
    charge, payment, invoice = _disputed_payment(dispute)
    if not payment and not invoice:
        return None  # names no payment: nothing of ours to follow
    return ChargeDisputed(
        dispute_id=_id(dispute["id"]),
        charge_id=charge,
        payment_id=payment,
        amount=_cents(gateway.field(dispute, "amount", 0)),
        reason=str(gateway.field(dispute, "reason", "")),
        status=str(gateway.field(dispute, "status", "")),
        invoice_id=invoice,
    )


# An inquiry closed without a chargeback (``warning_closed``): no money was taken for good.
DISPUTE_WON = ("won", "warning_closed")


def _dispute_closed(dispute: dict) -> DisputeClosed | None:
    charge, payment, invoice = _disputed_payment(dispute)
    if not payment and not invoice:
        return None
    return DisputeClosed(
        dispute_id=_id(dispute["id"]),
        charge_id=charge,
        payment_id=payment,
        amount=_cents(gateway.field(dispute, "amount", 0)),
        won=gateway.field(dispute, "status") in DISPUTE_WON,
        reason=str(gateway.field(dispute, "reason", "")),
        invoice_id=invoice,
    )


def _subscription_ended(subscription: dict) -> SubscriptionEnded:
    return SubscriptionEnded(subscription_id=_id(subscription["id"]))


# Stripe's event types, by ours. Stripe sends both invoice events for a paid invoice (the
# stand-in only the second): handlers record it once either way.
STRIPE_TYPES = {
    "payment_intent.succeeded": (PaymentSucceeded, _payment_succeeded),
    "payment_intent.payment_failed": (PaymentFailed, _payment_failed),
    "setup_intent.setup_failed": (SetupFailed, lambda intent: SetupFailed(_id(intent["id"]))),
    "invoice.paid": (InvoicePaid, _invoice_paid),
    "invoice.payment_succeeded": (InvoicePaid, _invoice_paid),
    "invoice.payment_failed": (InvoiceFailed, _invoice_failed),
    "invoice.upcoming": (InvoiceUpcoming, _invoice_upcoming),
    "charge.refunded": (ChargeRefunded, _charge_refunded),
    "customer.subscription.deleted": (SubscriptionEnded, _subscription_ended),
    "charge.dispute.created": (ChargeDisputed, _charge_disputed),
    "charge.dispute.closed": (DisputeClosed, _dispute_closed),
}


# Types whose object Stripe sends without an id of its own.
WITHOUT_ID = frozenset({"invoice.upcoming"})


def kind_of(stripe_type: str) -> type | None:
    """Our event type for one of Stripe's, None for a type the site does not use."""
    known = STRIPE_TYPES.get(stripe_type)
    return known[0] if known else None


def from_stripe(stripe_type: str, payload: dict) -> Event | None:
    """Our event for a verified Stripe event's ``data.object``; None if none is due.

    Every object the site acts on has its own id: an empty or missing one would match every
    row whose Stripe id is still empty (gifts on their payment page), so it is refused whole.
    An upcoming invoice is a draft Stripe has not numbered: it is known by its subscription
    (none: nothing is due).
    """
    own_id = payload.get("id")
    if stripe_type in WITHOUT_ID:
        return STRIPE_TYPES[stripe_type][1](payload)
    if not isinstance(own_id, str) or not own_id:
        raise TypeError(f"a {stripe_type} object without its own id ({own_id!r})")
    return STRIPE_TYPES[stripe_type][1](payload)
