"""What Stripe's objects say, in our words: a PaymentIntent as an outcome, its metadata, its
times. Read by the facade (after a call) and by payments.events (from a webhook's payload)."""

import datetime

from django.utils import timezone

from payments import gateway
from payments.outcomes import NeedsAuthentication, Paid, Processing, Refused


def plain(obj) -> dict:
    """A Stripe object as plain dicts and lists (an event's payload already is one)."""
    if obj is None:
        return {}
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


def timestamp(value) -> datetime.datetime:
    """Stripe's epoch seconds as an aware datetime; now when Stripe gave none."""
    if value:
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)
    return timezone.now()


def metadata_of(obj) -> dict:
    metadata = gateway.field(obj, "metadata", {})
    if not isinstance(metadata, dict):
        raise TypeError(f"metadata is {type(metadata).__name__}, not an object")
    return metadata


def paid(intent) -> Paid:
    """What a succeeded PaymentIntent (an object or a payload's dict) says was paid."""
    intent = plain(intent)
    charge = gateway.field(intent, "latest_charge")
    return Paid(
        payment_id=intent["id"],
        amount=gateway.from_cents(intent["amount"]),
        paid_at=timestamp(gateway.field(charge, "created") or gateway.field(intent, "created")),
        metadata=metadata_of(intent),
        customer_id=gateway.object_id(gateway.field(intent, "customer")) or "",
        method_id=gateway.object_id(gateway.field(intent, "payment_method")) or "",
    )


def refused(intent) -> Refused:
    failure = gateway.refusal(intent)
    return Refused(
        code=failure.code,
        message=failure.message,
        payment_id=gateway.field(intent, "id"),
        customer_id=gateway.object_id(gateway.field(intent, "customer")) or "",
    )


def outcome(intent) -> Paid | NeedsAuthentication | Processing | Refused:
    """Where a PaymentIntent stands, in our words."""
    status = intent.status
    customer = gateway.object_id(gateway.field(intent, "customer")) or ""
    if status == "succeeded":
        return paid(intent)
    if status == "requires_action":
        return NeedsAuthentication(
            payment_id=intent.id, client_secret=intent.client_secret, customer_id=customer
        )
    if status in gateway.REFUSED:
        return refused(intent)
    # The bank answers later: the webhook tells.
    return Processing(payment_id=intent.id, customer_id=customer)
