"""Webhook handlers, registered by our event type (payments.events) by the app that owns it.

A new event is one decorated function in its app's ``payment_handlers`` module (imported by
the app's ``ready()``), not an edit here::

    @webhooks.handles(events.PaymentSucceeded)
    def place_paid_order(event: events.PaymentSucceeded): ...

Each handler receives our typed event, never Stripe's payload, and runs in the transaction
that stores the event, so an error undoes both and Stripe delivers the event again. Several
apps may handle one type (a payment is an order's or a donation's): each looks at the
payment's metadata and leaves alone what is not its own. Heavy work goes to Celery on commit.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from payments import events

Handler = Callable[[Any], None]

_handlers: dict[type, list[Handler]] = defaultdict(list)


def handles(*kinds: type) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for kind in kinds:
            if handler not in _handlers[kind]:
                _handlers[kind].append(handler)
        return handler

    return register


def handlers_for(stripe_type: str) -> list[Handler]:
    """The handlers of one of Stripe's event types (through our event type)."""
    kind = events.kind_of(stripe_type)
    return list(_handlers.get(kind, ())) if kind else []


def handled_stripe_types() -> list[str]:
    """Every Stripe event type some app handles."""
    return sorted(name for name in events.STRIPE_TYPES if handlers_for(name))
