"""Stripe webhook handlers, registered by event type by the app that owns the event.

A new event type is one decorated function in its app's ``stripe_handlers`` module
(imported by the app's ``ready()``), not an edit here::

    @webhooks.handles("payment_intent.succeeded")
    def place_paid_order(event): ...

Each handler receives the verified ``stripe.Event`` and runs in the transaction that stores
the event, so an error undoes both and Stripe delivers the event again. Several apps may
handle one type (a PaymentIntent is an order's or a donation's): each looks at the object's
metadata and leaves alone what is not its own. Heavy work goes to Celery on commit.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import stripe

Handler = Callable[[stripe.Event], None]

_handlers: dict[str, list[Handler]] = defaultdict(list)


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for event_type in event_types:
            if handler not in _handlers[event_type]:
                _handlers[event_type].append(handler)
        return handler

    return register


def handlers_for(event_type: str) -> list[Handler]:
    return list(_handlers.get(event_type, ()))


class MalformedEvent(ValueError):
    """A signed payload that is not a Stripe event: answered 400, never handled."""


def check_event(data: Any) -> None:
    """What every handler may rely on: an object with a non-empty string ``id`` and ``type``
    and an object under ``data.object``. Raises MalformedEvent otherwise."""
    if not isinstance(data, dict):
        raise MalformedEvent(f"an event is a JSON object, not {type(data).__name__}")
    for key in ("id", "type"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise MalformedEvent(f"an event's {key} is a non-empty string")
    if not isinstance(data.get("data"), dict) or not isinstance(data["data"].get("object"), dict):
        raise MalformedEvent("an event's data.object is a JSON object")
