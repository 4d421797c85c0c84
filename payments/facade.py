"""The payment door, modelled on Oscar's payment facades: keyword-only functions in the shop's
words, answering with payments.outcomes, never with Stripe objects.

Every call to Stripe is wrapped by gateway.calling_stripe: a card refused becomes ``Refused``
(with the payer's message), Stripe out of reach ``StripeUnavailable`` (nothing was done).
Amounts cross as Decimal; cents are gateway's business.
"""

import logging
from decimal import Decimal

import stripe

from payments import card_attempts, gateway, methods
from payments.intents import outcome, paid
from payments.outcomes import NeedsAuthentication, Paid, Processing, Refused, Setup

logger = logging.getLogger(__name__)


@gateway.calling_stripe("start a card setup")
def start_setup(*, email: str, method: methods.PaymentMethod = methods.CARD) -> Setup:
    """A customer and a SetupIntent whose client secret lets the page collect the method."""
    client = gateway.client()
    customer = client.v1.customers.create(params={"email": email} if email else {})
    setup_intent = client.v1.setup_intents.create(
        params={"customer": customer.id, "payment_method_types": [method.stripe_type]}
    )
    return Setup(
        setup_id=setup_intent.id,
        customer_id=gateway.object_id(setup_intent.customer) or "",
        client_secret=setup_intent.client_secret,
    )


def charge(
    *,
    setup_id: str,
    amount: Decimal,
    currency: str = "EUR",
    metadata: dict,
    idempotency_key: str,
    token: str = "",
) -> Paid | NeedsAuthentication | Processing | Refused:
    """Charge ``amount`` to the method the page set up (``setup_id``), or, for a one-off
    payment, to the card of the ``token`` the page made (on the customer of the ``setup_id``
    attempt): the PaymentIntent is confirmed at once, so a 3-D Secure card is challenged once,
    here (NeedsAuthentication), never at a set-up. ``Refused`` when nothing is charged;
    StripeUnavailable when Stripe could not be asked (nothing charged either). The outcome's
    ``payment_id`` names the payment for ``confirm`` and the webhooks."""
    try:
        if token:
            customer, payment_method = card_attempts.card_of_token(setup_id, token)
        else:
            customer, payment_method = card_attempts.card_of_setup(setup_id)
        intent = gateway.create_payment_intent(
            {
                "amount": gateway.to_cents(amount),
                "currency": currency.lower(),
                "customer": customer,
                "payment_method": payment_method,
                "confirm": True,
                "metadata": metadata,
            },
            idempotency_key=idempotency_key,
        )
    except gateway.StripeUnavailable:
        raise
    except gateway.CardPaymentFailed as failure:
        return Refused(code=failure.code, message=failure.message)
    return outcome(intent)


def confirm(*, payment_id: str) -> Paid | NeedsAuthentication | Processing | Refused:
    """After 3-D Secure in the page: where the payment stands now."""
    return outcome(gateway.retrieve_payment_intent(payment_id))


def abandon(*, payment_id: str) -> Paid | None:
    """Cancel a payment the payer left awaiting authentication, so it can never be charged.

    ``Paid`` if it went through in the meantime. StripeUnavailable if Stripe could not be
    asked: it still awaits the authentication the payer gave up, so it cannot be charged
    without them (should it be, the webhook tells)."""
    with gateway.calling_stripe("cancel an abandoned PaymentIntent"):
        client = gateway.client()
        try:
            client.v1.payment_intents.cancel(payment_id)
        except stripe.InvalidRequestError:
            # Too late to cancel: it succeeded or failed meanwhile.
            intent = client.v1.payment_intents.retrieve(payment_id)
            if intent.status == "succeeded":
                return paid(intent)
    return None


class RefundRefused(Exception):
    """Stripe refused the refund itself (not an outage); ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refund(*, payment_id: str, amount: Decimal, idempotency_key: str, message) -> str:
    """Refund ``amount`` of a payment; returns the refund's id. RefundRefused if Stripe refuses
    it, StripeUnavailable (with ``message``) if Stripe could not be asked."""
    with gateway.calling_stripe("refund a payment", message=message):
        try:
            created = gateway.client().v1.refunds.create(
                params={"payment_intent": payment_id, "amount": gateway.to_cents(amount)},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.InvalidRequestError as error:
            logger.exception("Stripe refused the refund of %s", payment_id)
            raise RefundRefused(str(error.user_message or error)) from error
    return created.id


def method_label(*, method_id: str) -> str:
    """How the payer's method reads on an order ("Visa •••• 4242"); "" if Stripe cannot say."""
    try:
        method = gateway.client().v1.payment_methods.retrieve(method_id)
        # A PaymentMethod has its card in ``card``; a card saved from a token is the card.
        card = gateway.field(method, "card") or method
        brand = str(gateway.field(card, "brand", "")).capitalize()
        last4 = str(gateway.field(card, "last4", ""))
        # Pages say "Payé par carte {label}": no "carte" here when Stripe names no brand.
        return " ".join(part for part in (brand, f"•••• {last4}" if last4 else "") if part)
    except stripe.StripeError:
        return ""
