"""The donations' Stripe webhook handlers (see payments.webhooks). Each leaves alone what is not
a gift's: the shop's handlers get the same events."""

import stripe

from donations.services import gifts, monthly, refunds
from payments import webhooks


@webhooks.handles("payment_intent.succeeded")
def record_paid_donation(event: stripe.Event) -> None:
    gifts.record_paid_donation(event.data.object)


@webhooks.handles("payment_intent.payment_failed")
def record_failed_donation(event: stripe.Event) -> None:
    gifts.record_failed_donation(event.data.object)


# Stripe sends both for a paid invoice (the stand-in only the second): one donation either way.
@webhooks.handles("invoice.paid", "invoice.payment_succeeded")
def record_paid_invoice(event: stripe.Event) -> None:
    monthly.record_paid_invoice(event.data.object)


@webhooks.handles("customer.subscription.deleted")
def record_subscription_ended(event: stripe.Event) -> None:
    monthly.record_subscription_ended(event.data.object)


@webhooks.handles("charge.refunded")
def record_donation_refund(event: stripe.Event) -> None:
    refunds.record_donation_refund(event.data.object)
