"""The donations' payment event handlers (see payments.webhooks): our events, never Stripe's.
Each leaves alone what is not a gift's: the shop's handlers get the same events."""

from donations.services import disputes, failed_payments, gifts, monthly, payment_notices, refunds
from payments import events, webhooks


@webhooks.handles(events.PaymentSucceeded)
def record_paid_donation(event: events.PaymentSucceeded) -> None:
    gifts.record_paid_donation(event.payment)


@webhooks.handles(events.PaymentFailed)
def record_failed_donation(event: events.PaymentFailed) -> None:
    failed_payments.record_failed_debit(metadata=event.metadata, code=event.refusal.code)


@webhooks.handles(events.InvoicePaid)
def record_paid_invoice(event: events.InvoicePaid) -> None:
    monthly.record_paid_invoice(event)


@webhooks.handles(events.SubscriptionEnded)
def record_subscription_ended(event: events.SubscriptionEnded) -> None:
    monthly.record_subscription_ended(subscription_id=event.subscription_id)


@webhooks.handles(events.ChargeRefunded)
def record_donation_refund(event: events.ChargeRefunded) -> None:
    refunds.record_donation_refund(event)


@webhooks.handles(events.InvoiceFailed)
def record_failed_invoice(event: events.InvoiceFailed) -> None:
    failed_payments.record_failed_invoice(event)


@webhooks.handles(events.InvoiceUpcoming)
def announce_upcoming_debit(event: events.InvoiceUpcoming) -> None:
    payment_notices.announce_upcoming_debit(event)


@webhooks.handles(events.ChargeDisputed)
def record_dispute(event: events.ChargeDisputed) -> None:
    disputes.record_dispute(event)


@webhooks.handles(events.DisputeClosed)
def record_dispute_closed(event: events.DisputeClosed) -> None:
    disputes.record_dispute_closed(event)
