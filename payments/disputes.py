"""Which payment a dispute is about, asked of Stripe when the dispute does not say enough.

A dispute names its charge, and its PaymentIntent on current API versions; the site knows
its gifts by PaymentIntent or by invoice, so these look the rest up (through
``gateway.calling_stripe``: StripeUnavailable makes the webhook answer 503, and Stripe
delivers the event again).
"""

from dataclasses import dataclass, field

import stripe

from payments import gateway, intents


@dataclass(frozen=True)
class DisputedPayment:
    """What Stripe says of a disputed payment: its invoice (a subscription's) and metadata
    (which gift or order the site started it for)."""

    payment_id: str | None
    invoice_id: str | None = None
    metadata: dict = field(default_factory=dict)
    known: bool = True  # False: Stripe has no such payment


def _missing(error: stripe.StripeError) -> bool:
    """Stripe has no such object (another account's, or made up): nothing of ours."""
    return error.http_status == 404


@gateway.calling_stripe("read a disputed charge")
def payment_of_charge(charge_id: str) -> tuple[str | None, str | None]:
    """The (PaymentIntent, invoice) of a charge; the invoice only on older API versions."""
    try:
        charge = gateway.client().v1.charges.retrieve(charge_id)
    except stripe.InvalidRequestError as error:
        if not _missing(error):
            raise
        return None, None
    return (
        gateway.object_id(gateway.field(charge, "payment_intent")),
        gateway.object_id(gateway.field(charge, "invoice")),
    )


@gateway.calling_stripe("read a disputed payment")
def disputed_payment(payment_id: str) -> DisputedPayment:
    """The PaymentIntent's metadata and invoice. Older API versions name the invoice on the
    PaymentIntent; newer ones only in the invoice's payments, asked only of a payment the
    site did not start itself (the stand-in has no such list: its 404 is no outage, just no
    invoice)."""
    client = gateway.client()
    try:
        intent = client.v1.payment_intents.retrieve(payment_id)
    except stripe.InvalidRequestError as error:
        if not _missing(error):
            raise
        return DisputedPayment(payment_id=payment_id, known=False)
    metadata = intents.metadata_of(intents.plain(intent))
    invoice = gateway.object_id(gateway.field(intent, "invoice"))
    if invoice is None and "purpose" not in metadata:  # the site's own payments have none
        try:
            found = client.v1.invoice_payments.list(
                params={
                    "payment": {"type": "payment_intent", "payment_intent": payment_id},
                    "limit": 1,
                }
            )
        except (stripe.InvalidRequestError, stripe.APIError) as error:
            if not _missing(error):
                raise
            found = None
        first = gateway.field(found, "data", [])[:1]
        invoice = gateway.object_id(gateway.field(first[0], "invoice")) if first else None
    return DisputedPayment(
        payment_id=payment_id,
        invoice_id=invoice,
        metadata=metadata,
    )
