import logging
from decimal import Decimal

import stripe
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from shop import card_attempts, ratelimit, services, stripe_gateway, webhooks
from shop.checkout import services as checkout_services

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")


def _bare_page(template: str) -> str:
    """A last-resort page in the site's language, from settings alone: no request context, no
    database (a failing context processor, database or host may be why we are here)."""
    try:
        return loader.get_template(template).render(
            {
                "shop_name": settings.OSCAR_SHOP_NAME,
                "LANGUAGE_CODE": translation.get_language(),
                "home_url": reverse("magazine:home"),
            }
        )
    except Exception:  # the last resort must answer
        logger.exception("The page %s could not be rendered", template)
        return f"<h1>{template}</h1>"


def server_error(request):
    return HttpResponseServerError(_bare_page("500.html"))


def bad_request(request, exception):
    return HttpResponseBadRequest(_bare_page("400.html"))


def csrf_failure(request, reason=""):
    """A form sent without its token: the site's page, not Django's (whose English or French
    text speaks of DEBUG)."""
    return render(request, "403_csrf.html", status=403)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: verified by signature, stored once, handled by their app."""
    try:
        event = stripe_gateway.construct_event(
            request.body, request.headers.get("Stripe-Signature", "")
        )
    except stripe.SignatureVerificationError:
        logger.warning("Stripe webhook refused: bad or missing signature, or out of time")
        return HttpResponseBadRequest("invalid signature")
    except ValueError as error:  # signed, but not JSON or not an event
        logger.warning("Stripe webhook refused: malformed payload (%s)", error)
        return HttpResponseBadRequest("malformed event")
    try:
        services.receive_stripe_event(event)
    except stripe_gateway.StripeUnavailable:
        # A handler needed Stripe: nothing was stored, so Stripe's next delivery is handled.
        return HttpResponse("Stripe unavailable", status=503)
    except webhooks.MalformedEvent:  # its handler could not read it: nothing was stored
        return HttpResponseBadRequest("malformed event")
    return HttpResponse("ok")


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount to refund (€)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )


@staff_member_required
@require_POST
def refund_order(request, number):
    """Staff refund an order paid by card, fully or partly, from Oscar's dashboard."""
    order = get_object_or_404(Order, number=number)
    form = RefundForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("amount", []):
            messages.error(request, error)
        return redirect("dashboard:order-detail", number=order.number)
    amount = form.cleaned_data["amount"]
    try:
        checkout_services.refund_order(order, amount)
    except checkout_services.RefundRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(amount)s € refunded to the card through Stripe.") % {"amount": amount},
        )
    return redirect("dashboard:order-detail", number=order.number)


def card_setup_response(request, *, email: str, session_key: str) -> JsonResponse:
    """Step 1 of every card form (templates/kiosque/card_form.html): a SetupIntent whose
    client secret the page confirms; its id waits in the session for the paying step.
    Each card attempt starts here, so this is where card testers are stopped: the SetupIntent
    is recorded with the client's address and the email, for counting Stripe's refusals of it
    (shop.card_attempts)."""
    if ratelimit.card_failures_exhausted(request, email) or not ratelimit.allow(request, email):
        return ratelimit.too_many_attempts_json()
    try:
        setup_intent = stripe_gateway.start_card_setup(email=email)
    except stripe_gateway.StripeUnavailable as failure:
        return JsonResponse({"error": failure.message, "code": failure.code}, status=503)
    card_attempts.record_setup(
        setup_intent_id=setup_intent.id,
        customer_id=stripe_gateway.object_id(setup_intent.customer) or "",
        client_ip=ratelimit.client_ip(request),
        email=email,
    )
    request.session[session_key] = setup_intent.id
    return JsonResponse({"client_secret": setup_intent.client_secret})
