"""The shop's payment event handlers (see payments.webhooks): our events, never Stripe's."""

from payments import events, webhooks
from shop.checkout import services


@webhooks.handles(events.PaymentSucceeded)
def place_order_paid_by_card(event: events.PaymentSucceeded) -> None:
    services.place_paid_order(event.payment)


@webhooks.handles(events.PaymentFailed)
def record_failed_card_payment(event: events.PaymentFailed) -> None:
    services.record_failed_card_payment(metadata=event.metadata, code=event.refusal.code)


@webhooks.handles(events.ChargeRefunded)
def record_refund(event: events.ChargeRefunded) -> None:
    services.record_refunds_made_in_stripe(event)
