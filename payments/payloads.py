"""What every signed payload must be before anything reads it (checked by
gateway.construct_event, before the event is stored or handled)."""

from typing import Any

MAX_LENGTH = 255


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
        if len(data[key]) > MAX_LENGTH:  # the event store's columns (StripeEvent)
            raise MalformedEvent(f"an event's {key} is at most {MAX_LENGTH} characters")
    if not isinstance(data.get("data"), dict) or not isinstance(data["data"].get("object"), dict):
        raise MalformedEvent("an event's data.object is a JSON object")
