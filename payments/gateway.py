"""The low level of the payment door: the configured Stripe client, cents, Stripe's errors
become ours (``calling_stripe``), webhook signatures. The apps use payments.facade.

The API base and keys come from settings, so the same code talks to real Stripe (test or live
keys) and to the offline stand-in of the demo and the tests.
"""

import contextlib
import json
import logging
import time
from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from payments import payloads

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")

# A page waits for Stripe: seconds, not the SDK's 80 s a try. (connect, read) in seconds; a
# retry (same idempotency key, so never a second charge) covers a connection that dropped.
TIMEOUT = (5, 25)
NETWORK_RETRIES = 1


def client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
    )


def to_cents(amount: Decimal) -> int:
    """Euros to the integer cents Stripe wants."""
    return int((amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


# How far a webhook's signed timestamp may be from our clock, either way (seconds). The SDK
# refuses old ones only; one from the future is refused here too.
WEBHOOK_TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE


def construct_event(payload: bytes, signature: str) -> stripe.Event:
    """The event if ``signature`` is Stripe's for ``payload``, signed within the tolerance of
    now, else SignatureVerificationError; payloads.MalformedEvent (a ValueError) if the
    payload is not an event."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    stripe.WebhookSignature.verify_header(payload, signature, secret, WEBHOOK_TOLERANCE)
    signed_at = int(dict(part.split("=", 1) for part in signature.split(",") if "=" in part)["t"])
    if signed_at > time.time() + WEBHOOK_TOLERANCE:
        raise stripe.SignatureVerificationError(
            f"Timestamp in the future ({signed_at})", signature, payload
        )
    if b"\\u0000" in payload:  # JSON's NUL, which PostgreSQL cannot store (Stripe sends none)
        raise payloads.MalformedEvent("a NUL character")
    try:
        data = json.loads(payload)
    except RecursionError as error:  # nested deeper than any event
        raise payloads.MalformedEvent("nested too deep") from error
    payloads.check_event(data)
    return stripe.Webhook.construct_event(payload, signature, secret, WEBHOOK_TOLERANCE)


def field(obj, name: str, default=None):
    """``obj[name]`` for a Stripe object or a plain dict (an event's payload), or ``default``.

    Stripe objects are not dicts (no ``.get``), and fields Stripe leaves out are missing.
    """
    if obj is None:
        return default
    try:
        value = obj[name]
    except (KeyError, TypeError):
        return default
    return default if value is None else value


def object_id(value) -> str | None:
    """An expandable field's id, whether Stripe sent the id or the whole object."""
    if value is None or isinstance(value, str):
        return value
    return value["id"]


# What readers read when their card is refused: by Stripe's decline_code, else its code.
CARD_ERROR_MESSAGES = {
    "insufficient_funds": _("Your card was declined: insufficient funds. Nothing was charged."),
    "expired_card": _("Your card has expired. Please use another card. Nothing was charged."),
    "incorrect_cvc": _("The card's security code is wrong. Nothing was charged."),
    "incorrect_number": _("The card number is wrong. Nothing was charged."),
    "invalid_expiry_month": _("The card's expiry date is wrong. Nothing was charged."),
    "invalid_expiry_year": _("The card's expiry date is wrong. Nothing was charged."),
    "lost_card": _("Your card was declined. Please use another card. Nothing was charged."),
    "stolen_card": _("Your card was declined. Please use another card. Nothing was charged."),
    "processing_error": _(
        "An error occurred while processing your card. Please try again. Nothing was charged."
    ),
    "payment_intent_authentication_failure": _(
        "The 3-D Secure authentication failed. Nothing was charged."
    ),
    "setup_intent_authentication_failure": _(
        "The 3-D Secure authentication failed. Nothing was charged."
    ),
}
CARD_DECLINED = _(
    "Your card was declined. Please use another card or contact your bank. Nothing was charged."
)
PAYMENT_UNAVAILABLE = _(
    "The payment could not be made just now. Nothing was charged. Please try again in a moment."
)


# PaymentIntent statuses that mean Stripe will not be paid as it stands.
REFUSED = ("requires_payment_method", "canceled")


def refusal(intent) -> "CardPaymentFailed":
    """What to tell the payer of a PaymentIntent Stripe refused, with Stripe's code."""
    error = field(intent, "last_payment_error")
    code = field(error, "code", field(intent, "status", "card_declined"))
    return CardPaymentFailed(card_error_message(error), code)


def card_error_message(error) -> str:
    """A French (translated) message for a Stripe error object, never Stripe's English one."""
    for key in ("decline_code", "code"):
        code = field(error, key)
        if code in CARD_ERROR_MESSAGES:
            return str(CARD_ERROR_MESSAGES[code])
    return str(CARD_DECLINED)


class CardPaymentFailed(Exception):
    """The card was not charged; ``message`` tells the payer why, in their language."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


class StripeUnavailable(CardPaymentFailed):
    """Stripe could not be reached, timed out, was busy or refused our request or keys:
    nothing was done on our side, and the same step may be tried again in a moment."""

    def __init__(self, message=PAYMENT_UNAVAILABLE):
        super().__init__(str(message), "stripe_unavailable")


@contextlib.contextmanager
def calling_stripe(what: str, *, message=PAYMENT_UNAVAILABLE):
    """The one place where Stripe's errors become the reader's: wrap every call to Stripe
    (``with calling_stripe("..."):`` or as a decorator).

    A card refused (``stripe.CardError``) becomes CardPaymentFailed with its French message;
    any other Stripe error (APIConnectionError and timeouts, APIError, RateLimitError,
    AuthenticationError, InvalidRequestError...) is logged and becomes StripeUnavailable.
    Callers that expect a particular error (e.g. InvalidRequestError for "already
    cancelled") catch it inside the block.
    """
    try:
        yield
    except stripe.CardError as error:
        raise CardPaymentFailed(
            card_error_message(error.error), error.code or "card_error"
        ) from error
    except stripe.StripeError as error:
        logger.warning("Stripe failed to %s: %r", what, error, exc_info=True)
        raise StripeUnavailable(message) from error


@calling_stripe("read the card of a setup")
def card_of_setup(setup_intent_id: str) -> tuple[str, str]:
    """The (customer, payment method) of a SetupIntent the page confirmed, attached together."""
    stripe_client = client()
    setup_intent = stripe_client.v1.setup_intents.retrieve(setup_intent_id)
    if setup_intent.status != "succeeded" or not setup_intent.payment_method:
        raise CardPaymentFailed(str(CARD_DECLINED), setup_intent.status)
    customer = object_id(setup_intent.customer)
    payment_method_id = object_id(setup_intent.payment_method)
    payment_method = stripe_client.v1.payment_methods.retrieve(payment_method_id)
    if customer and not field(payment_method, "customer"):
        # Real Stripe attaches the card to the SetupIntent's customer; the stand-in does not.
        stripe_client.v1.payment_methods.attach(payment_method_id, params={"customer": customer})
    return customer, payment_method_id


@calling_stripe("add the card of a token to a customer")
def card_of_token(customer_id: str, token: str) -> str:
    """The card of a token the page made with Stripe.js (``createToken``), saved on the
    attempt's customer, so that a PaymentIntent can charge it; its id. CardPaymentFailed if
    the bank refuses the card there."""
    card = client().v1.customers.payment_sources.create(customer_id, params={"source": token})
    return card.id


@calling_stripe("create a PaymentIntent")
def create_payment_intent(params: dict, *, idempotency_key: str) -> stripe.PaymentIntent:
    """Create (and, with ``confirm``, charge) a PaymentIntent; CardPaymentFailed if refused."""
    return client().v1.payment_intents.create(
        params=params, options={"idempotency_key": idempotency_key}
    )


@calling_stripe("read a PaymentIntent")
def retrieve_payment_intent(intent_id: str) -> stripe.PaymentIntent:
    return client().v1.payment_intents.retrieve(intent_id)


@calling_stripe("cancel a SetupIntent")
def cancel_setup_intent(setup_intent_id: str) -> None:
    """Cancel a SetupIntent: its client secret can confirm no card any more."""
    client().v1.setup_intents.cancel(setup_intent_id)


@calling_stripe("cancel a PaymentIntent")
def cancel_payment_intent(payment_intent_id: str) -> None:
    """Cancel a PaymentIntent that is not paid: its client secret can confirm no card any more."""
    client().v1.payment_intents.cancel(payment_intent_id)
