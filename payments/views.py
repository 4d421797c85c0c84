import logging

import stripe
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import gateway, payloads, services

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: verified by signature, stored once, handled by their app."""
    try:
        event = gateway.construct_event(request.body, request.headers.get("Stripe-Signature", ""))
    except stripe.SignatureVerificationError:
        logger.warning("Stripe webhook refused: bad or missing signature, or out of time")
        return HttpResponseBadRequest("invalid signature")
    except ValueError as error:  # signed, but not JSON or not an event
        logger.warning("Stripe webhook refused: malformed payload (%s)", error)
        return HttpResponseBadRequest("malformed event")
    try:
        services.receive_stripe_event(event)
    except gateway.StripeUnavailable:
        # A handler needed Stripe: nothing was stored, so Stripe's next delivery is handled.
        return HttpResponse("Stripe unavailable", status=503)
    except payloads.MalformedEvent:  # its handler could not read it: nothing was stored
        return HttpResponseBadRequest("malformed event")
    return HttpResponse("ok")
