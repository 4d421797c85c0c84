import logging

import stripe
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction

from payments import events, intents, payloads, webhooks
from payments.models import StripeEvent

logger = logging.getLogger(__name__)


@transaction.atomic
def receive_stripe_event(event: stripe.Event) -> bool:
    """Store a verified Stripe event and run its handlers, once per event id.

    Returns False for an event already received (Stripe retries, replays): it changes nothing.
    Types no handler wants are stored too, and acknowledged.
    """
    handlers = webhooks.handlers_for(event.type)
    try:
        with transaction.atomic():
            StripeEvent.objects.create(
                event_id=event.id,
                type=event.type,
                payload=event.to_dict(),
                handled=bool(handlers),
            )
    except IntegrityError:
        logger.info("Stripe event %s (%s) received again; ignored", event.id, event.type)
        return False
    if not handlers:
        return True
    try:
        ours = events.from_stripe(event.type, intents.plain(event)["data"]["object"])
    except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as error:
        # Signed, but not of the shape Stripe sends: no retry can mend it. Refused whole
        # (400, nothing kept).
        logger.warning("Stripe event %s (%s) cannot be read: %r", event.id, event.type, error)
        raise payloads.MalformedEvent(f"{event.type}: {error!r}") from error
    if ours is None:
        return True  # a payment the site did not start
    for handler in handlers:
        try:
            with transaction.atomic():
                handler(ours)
        except ObjectDoesNotExist as error:
            # It names a row we do not have (deleted, another site's, forged by someone holding
            # the secret): retrying would not make it exist. Acknowledged, left alone.
            logger.warning(
                "Stripe event %s (%s): %s found nothing (%s); ignored",
                event.id,
                event.type,
                handler.__qualname__,
                error,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            # Signed, but what the handler reads is missing or of another type: no retry can
            # mend it. Refused whole (400, nothing kept); logged with its traceback, so that a
            # bug of ours shows as loudly as a forged payload.
            name = handler.__qualname__
            logger.exception("Stripe event %s (%s): %s cannot read it", event.id, event.type, name)
            raise payloads.MalformedEvent(f"{event.type}: {error!r}") from error
    return True
