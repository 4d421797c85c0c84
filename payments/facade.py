"""The payment door, modelled on Oscar's payment facades: keyword-only functions in the shop's
words, answering with payments.outcomes, never with Stripe objects.

Every call to Stripe is wrapped by gateway.calling_stripe: a card refused becomes ``Refused``
(with the payer's message), Stripe out of reach ``StripeUnavailable`` (nothing was done).
Amounts cross as Decimal; cents are gateway's business.
"""

import logging
from decimal import Decimal

import stripe
from django.utils import timezone

from payments import card_attempts, gateway, intents, methods
from payments.intents import outcome, paid
from payments.outcomes import (
    MethodDetails,
    NeedsAuthentication,
    Paid,
    Processing,
    Refused,
    Setup,
)

logger = logging.getLogger(__name__)


@gateway.calling_stripe("start a card setup")
def start_setup(
    *, email: str, method: methods.PaymentMethod = methods.CARD, customer_id: str = ""
) -> Setup:
    """A SetupIntent whose client secret lets the page collect the method, for the payer's
    Stripe customer (``customer_id``: a monthly gift's new card or account) or a new one."""
    client = gateway.client()
    if not customer_id:
        customer_id = client.v1.customers.create(params={"email": email} if email else {}).id
    setup_intent = client.v1.setup_intents.create(
        params={"customer": customer_id, "payment_method_types": [method.stripe_type]}
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
    method: methods.PaymentMethod = methods.CARD,
) -> Paid | NeedsAuthentication | Processing | Refused:
    """Charge ``amount`` to the method the page set up (``setup_id``), or, for a one-off
    payment, to the card of the ``token`` the page made (on the customer of the ``setup_id``
    attempt): the PaymentIntent is confirmed at once, so a 3-D Secure card is challenged once,
    here (NeedsAuthentication), never at a set-up. ``Refused`` when nothing is charged;
    StripeUnavailable when Stripe could not be asked (nothing charged either). The outcome's
    ``payment_id`` names the payment for ``confirm`` and the webhooks. A SEPA debit
    (``method``) is ``Processing`` for days with real Stripe: the webhook tells."""
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
                "payment_method_types": [method.stripe_type],
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


@gateway.calling_stripe("read a payment method")
def describe_method(*, setup_id: str) -> MethodDetails:
    """The method a SetupIntent set up (after ``charge`` or a subscription used it), with its
    SEPA mandate. Real Stripe names the mandate on the SetupIntent (a Mandate object); the
    stand-in, like Stripe's older API, gives its reference on the method."""
    client = gateway.client()
    setup_intent = client.v1.setup_intents.retrieve(setup_id)
    method_id = gateway.object_id(gateway.field(setup_intent, "payment_method")) or ""
    method = client.v1.payment_methods.retrieve(method_id)
    holder = str(gateway.field(gateway.field(method, "billing_details"), "name", ""))
    sepa = gateway.field(method, "sepa_debit")
    if gateway.field(method, "type") != "sepa_debit" or sepa is None:
        return MethodDetails(
            method_id=method_id,
            stripe_type="card",
            label=_card_label(method),
            account_holder=holder,
        )
    reference, signed_at = str(gateway.field(sepa, "mandate_reference", "")), None
    if mandate_id := gateway.object_id(gateway.field(setup_intent, "mandate")):
        mandate = client.v1.mandates.retrieve(mandate_id)
        details = gateway.field(gateway.field(mandate, "payment_method_details"), "sepa_debit")
        reference = str(gateway.field(details, "reference", reference))
        accepted = gateway.field(gateway.field(mandate, "customer_acceptance"), "accepted_at")
        signed_at = intents.timestamp(accepted) if accepted else None
    return MethodDetails(
        method_id=method_id,
        stripe_type="sepa_debit",
        # Stripe gives the country and the last four digits, never the whole IBAN.
        label="{}•• •••• •••• {}".format(
            gateway.field(sepa, "country", ""), gateway.field(sepa, "last4", "")
        ),
        mandate_reference=reference,
        mandate_signed_at=signed_at or timezone.now(),
        account_holder=holder,
    )


def _card_label(method) -> str:
    # A PaymentMethod has its card in ``card``; a card saved from a token is the card.
    card = gateway.field(method, "card") or method
    brand = str(gateway.field(card, "brand", "")).capitalize()
    last4 = str(gateway.field(card, "last4", ""))
    # Pages say "Payé par carte {label}": no "carte" here when Stripe names no brand.
    return " ".join(part for part in (brand, f"•••• {last4}" if last4 else "") if part)


def method_label(*, method_id: str) -> str:
    """How the payer's method reads on an order ("Visa •••• 4242"); "" if Stripe cannot say."""
    try:
        return _card_label(gateway.client().v1.payment_methods.retrieve(method_id))
    except stripe.StripeError:
        return ""
