import logging

import stripe
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kiosque import ratelimit
from payments import card_attempts, gateway, services, webhooks

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
    except webhooks.MalformedEvent:  # its handler could not read it: nothing was stored
        return HttpResponseBadRequest("malformed event")
    return HttpResponse("ok")


def card_setup_response(request, *, email: str, session_key: str) -> JsonResponse:
    """Step 1 of every card form (templates/kiosque/card_form.html): a SetupIntent whose
    client secret the page confirms; its id waits in the session for the paying step.
    Each card attempt starts here, so this is where card testers are stopped: the SetupIntent
    is recorded with the client's address and the email, for counting Stripe's refusals of it
    (payments.card_attempts)."""
    if ratelimit.card_failures_exhausted(request, email) or not ratelimit.allow(request, email):
        return ratelimit.too_many_attempts_json()
    try:
        setup_intent = gateway.start_card_setup(email=email)
    except gateway.StripeUnavailable as failure:
        return JsonResponse({"error": failure.message, "code": failure.code}, status=503)
    card_attempts.record_setup(
        setup_intent_id=setup_intent.id,
        customer_id=gateway.object_id(setup_intent.customer) or "",
        client_ip=ratelimit.client_ip(request),
        email=email,
    )
    request.session[session_key] = setup_intent.id
    return JsonResponse({"client_secret": setup_intent.client_secret})
