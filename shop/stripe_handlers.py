"""The shop's Stripe webhook handlers (see payments.webhooks)."""

import stripe

from payments import card_attempts, gateway, webhooks
from shop.checkout import services
from shop.models import CardPayment


@webhooks.handles("payment_intent.succeeded")
def place_order_paid_by_card(event: stripe.Event) -> None:
    services.place_paid_order(event.data.object)


@webhooks.handles("payment_intent.payment_failed")
def record_failed_card_payment(event: stripe.Event) -> None:
    intent = event.data.object
    if not services.is_order_payment(intent):
        return
    CardPayment.objects.filter(pk=int(intent.metadata["card_payment"]), order__isnull=True).update(
        status=CardPayment.Status.FAILED, error_code=gateway.refusal(intent).code
    )


@webhooks.handles("charge.refunded")
def record_refund(event: stripe.Event) -> None:
    services.record_refunds_made_in_stripe(event.data.object)


@webhooks.handles("setup_intent.setup_failed", "payment_intent.payment_failed")
def count_refused_card(event: stripe.Event) -> None:
    card_attempts.record_refusal(event.data.object)
