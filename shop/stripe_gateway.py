"""Kiosque's one door to Stripe: the configured client and the conversions at the boundary.

The API base and keys come from settings, so the same code talks to real Stripe (test or live
keys) and to the offline stand-in of the demo and the tests.
"""

from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")


def client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )


def to_cents(amount: Decimal) -> int:
    """Euros to the integer cents Stripe wants."""
    return int((amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def construct_event(payload: bytes, signature: str) -> stripe.Event:
    """The event if ``signature`` is Stripe's for ``payload``, else SignatureVerificationError."""
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)


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


def card_error_message(error) -> str:
    """A French (translated) message for a Stripe error object, never Stripe's English one."""
    for key in ("decline_code", "code"):
        code = field(error, key)
        if code in CARD_ERROR_MESSAGES:
            return str(CARD_ERROR_MESSAGES[code])
    return str(CARD_DECLINED)
