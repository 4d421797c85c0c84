"""Card payments of the shop's checkout, and the orders they pay for.

The flow works the same against real Stripe and against the offline stand-in:

1. ``payments.facade.start_setup`` (payments.flow): the card attempt and its customer; the
   page turns the card into a token with Stripe.js (``createToken``), no set-up challenge.
2. ``charge_card``: a ``CardPayment`` is committed with everything the order needs, then the
   order total is charged to the token's card through payments.facade (PaymentIntent
   confirmed at once: a 3-D Secure card is challenged once, in step 3).
3. If the bank asks for authentication, the page runs ``confirmCardPayment`` and calls
   ``complete_card_payment``.
4. ``place_paid_order`` places the Oscar order once the payment is ``Paid``. The browser and
   the payment-succeeded webhook both call it; the CardPayment row lock and its one-to-one
   order make the second caller find the first one's order.
"""

import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.models import Site
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.checkout.mixins import OrderPlacementMixin
from oscar.core.loading import get_class, get_model

from payments import events, facade, gateway
from payments.outcomes import NeedsAuthentication, Outcome, Paid, Refused
from shop.checkout import addons
from shop.models import CardPayment

logger = logging.getLogger(__name__)

Applicator = get_class("offer.applicator", "Applicator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")
Selector = get_class("partner.strategy", "Selector")
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Source = get_model("payment", "Source")
Transaction = get_model("payment", "Transaction")
SourceType = get_model("payment", "SourceType")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")

STRIPE_SOURCE = "stripe"
PAYMENT_EVENT = "Paiement par carte"
REFUND_EVENT = "Remboursement"
# Metadata that marks a PaymentIntent as a shop order's (donations use their own).
PURPOSE = "kiosque_order"


def is_order_payment(metadata) -> bool:
    """Whether a payment's metadata says it pays a shop order (and not, say, a donation)."""
    return metadata.get("purpose") == PURPOSE and bool(metadata.get("card_payment"))


def address_fields(address) -> dict | None:
    """An unsaved Oscar address as JSON, to rebuild it when placing the order."""
    if address is None:
        return None
    return {
        field.attname: str(value) if (value := getattr(address, field.attname)) else value
        for field in address._meta.concrete_fields
        if field.attname not in ("id", "search_text")
    }


def record_card_payment(*, submission: dict, order_number: str, setup_intent_id: str):
    """Commit the attempt before any charge, so that the webhook can always find it.

    The add-ons' amounts (a gift with the order) are frozen here with it: the card is charged
    the order total plus those, and the order placed for its own total only."""
    user = submission["user"]
    extras = addons.amounts_for(submission["basket"])
    return CardPayment.objects.create(
        basket=submission["basket"],
        order_number=order_number,
        user=user if user.is_authenticated else None,
        guest_email=submission["order_kwargs"].get("guest_email") or "",
        shipping_address=address_fields(submission["shipping_address"]),
        shipping_method_code=submission["shipping_method"].code,
        amount=submission["order_total"].incl_tax + addons.total(extras),
        extras=extras,
        currency=submission["order_total"].currency,
        language=translation.get_language() or "fr",
        setup_intent_id=setup_intent_id,
    )


def charge_card(payment: CardPayment, *, token: str = "") -> Outcome:
    """Charge the order total to the card the page sent as ``token`` (or set up), on the
    attempt's customer (StripeUnavailable: nothing done)."""
    try:
        result = facade.charge(
            setup_id=payment.setup_intent_id,
            token=token,
            amount=payment.amount,
            currency=payment.currency,
            metadata={
                "purpose": PURPOSE,
                "card_payment": str(payment.pk),
                "order_number": payment.order_number,
            },
            idempotency_key=f"kiosque-card-payment-{payment.pk}",
        )
    except gateway.StripeUnavailable as failure:
        _record_failure(payment, failure.code, payment_intent_id=None)
        raise
    if isinstance(result, Refused) and not result.payment_id:
        _record_failure(payment, result.code, payment_intent_id=None)
        return result
    CardPayment.objects.filter(pk=payment.pk).update(
        payment_intent_id=result.payment_id, customer_id=result.customer_id
    )
    payment.payment_intent_id = result.payment_id
    return _follow(payment, result)


def complete_card_payment(payment: CardPayment) -> Outcome:
    """After 3-D Secure in the page: where the payment stands now."""
    return _follow(payment, facade.confirm(payment_id=payment.payment_intent_id))


def _follow(payment: CardPayment, result: Outcome) -> Outcome:
    if isinstance(result, Paid):
        place_paid_order(result)
    elif isinstance(result, NeedsAuthentication):
        CardPayment.objects.filter(pk=payment.pk).update(status=CardPayment.Status.REQUIRES_ACTION)
    elif isinstance(result, Refused):
        _record_failure(payment, result.code)
    # Processing: the webhook places the order when the bank answers.
    return result


def _record_failure(payment: CardPayment, code: str, **changes) -> None:
    CardPayment.objects.filter(pk=payment.pk, order__isnull=True).update(
        status=CardPayment.Status.FAILED, error_code=code[:255], **changes
    )


def record_failed_card_payment(*, metadata: dict, code: str) -> None:
    """A payment-failed event: the attempt is marked, unless its order was placed."""
    if is_order_payment(metadata):
        payment = CardPayment(pk=int(metadata["card_payment"]))
        _record_failure(payment, code)


def abandon_card_payment(payment: CardPayment) -> Order | None:
    """The reader left a payment awaiting 3-D Secure: cancel it so it can never be charged.

    Returns the order if the payment went through in the meantime (it is placed now).
    """
    if payment.order_id:
        return payment.order
    if not payment.payment_intent_id:
        _record_failure(payment, "abandoned")
        return None
    try:
        result = facade.abandon(payment_id=payment.payment_intent_id)
    except gateway.StripeUnavailable:
        # Not cancelled now: it still awaits the authentication the reader gave up, so it
        # cannot be charged without them; should it be, the webhook places its order.
        result = None
    if result is not None:
        return place_paid_order(result)
    _record_failure(payment, "abandoned")
    return None


class PaidOrderPlacer(OrderPlacementMixin):
    """Oscar's own order placement, driven by a CardPayment instead of a checkout request."""

    def __init__(self, payment: CardPayment, paid: Paid):
        self.payment = payment
        self.paid = paid
        self.request = None

    def place(self) -> Order:
        payment = self.payment
        user = payment.user or AnonymousUser()
        basket = Basket._default_manager.get(pk=payment.basket_id)
        basket.strategy = Selector().strategy(user=user)
        Applicator().apply(basket, user)
        shipping_address = (
            ShippingAddress(**payment.shipping_address) if payment.shipping_address else None
        )
        methods = Repository().get_shipping_methods(
            basket=basket, user=user, shipping_addr=shipping_address
        )
        shipping_method = next(m for m in methods if m.code == payment.shipping_method_code)
        shipping_charge = shipping_method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, shipping_charge)
        # The add-ons' part of the charge (a gift) is theirs: the order records the rest.
        paid = self.paid.amount - addons.total(payment.extras)
        if total.incl_tax != paid:
            # The basket was frozen while paying, so this should not happen; the money is
            # taken, so the order is placed all the same and staff are told.
            logger.error(
                "Order %s: total %s but Stripe charged %s", payment.order_number, total, paid
            )
        self._record_payment(paid)
        order = self.place_order(
            order_number=payment.order_number,
            user=user,
            basket=basket,
            shipping_address=shipping_address,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            order_total=total,
            # Only a guest's order has one (Oscar's column is NOT NULL, blank for members).
            **({"guest_email": payment.guest_email} if payment.guest_email else {}),
        )
        basket.submit()
        addons.order_placed(order=order, payment=payment, paid=self.paid)
        # Linked before the email, which says what the card was charged in all.
        payment.order = order
        payment.save(update_fields=["order"])
        with translation.override(payment.language):
            self.send_order_placed_email(order)
        return order

    def _record_payment(self, amount: Decimal) -> None:
        source_type, __ = SourceType.objects.get_or_create(
            code=STRIPE_SOURCE, defaults={"name": "Stripe"}
        )
        source = Source(
            source_type=source_type,
            currency=self.payment.currency,
            amount_allocated=amount,
            amount_debited=amount,
            reference=self.paid.payment_id,
            label=facade.method_label(method_id=self.paid.method_id),
        )
        source.create_deferred_transaction(
            Transaction.DEBIT, amount, reference=self.paid.payment_id, status="succeeded"
        )
        self.add_payment_source(source)
        self.add_payment_event(PAYMENT_EVENT, amount, reference=self.paid.payment_id)

    def get_message_context(self, order):
        # Oscar reads the request here; a webhook has none, so the site is the configured one.
        context = {"user": order.user, "order": order, "lines": order.lines.all()}
        try:
            path = (
                reverse("customer:order", kwargs={"order_number": order.number})
                if order.user
                else reverse(
                    "customer:anon-order",
                    kwargs={"order_number": order.number, "hash": order.verification_hash()},
                )
            )
        except NoReverseMatch:
            return context
        context["status_path"] = path
        context["status_url"] = f"{settings.SITE_URL}{path}"
        context["site"] = Site.objects.get_current()
        return context


@transaction.atomic
def place_paid_order(paid: Paid) -> Order | None:
    """Place the order a payment paid for, once; returns it.

    Returns None for a payment that is not a shop order's.
    """
    if not is_order_payment(paid.metadata):
        return None
    payment = CardPayment.objects.select_for_update().get(pk=int(paid.metadata["card_payment"]))
    if payment.order_id:
        return payment.order
    order = PaidOrderPlacer(payment, paid).place()
    payment.order = order
    payment.payment_intent_id = paid.payment_id
    payment.status = CardPayment.Status.SUCCEEDED
    payment.error_code = ""
    payment.save(update_fields=["order", "payment_intent_id", "status", "error_code"])
    return order


RefundRefused = facade.RefundRefused

REFUND_UNAVAILABLE = gettext_lazy(
    "Stripe could not be reached: nothing was refunded. Please try again in a moment."
)


def _record_refund(source, amount: Decimal, reference: str) -> None:
    source.refund(amount, reference=reference, status="succeeded")
    event_type, __ = PaymentEventType.objects.get_or_create(name=REFUND_EVENT)
    PaymentEvent.objects.create(
        order=source.order, event_type=event_type, amount=amount, reference=reference
    )


@transaction.atomic
def refund_order(order: Order, amount: Decimal) -> str:
    """Refund ``amount`` of an order paid by card, through Stripe; returns the refund's id."""
    source = (
        Source.objects.select_for_update()
        .filter(order=order, source_type__code=STRIPE_SOURCE)
        .first()
    )
    if source is None:
        raise RefundRefused(_("This order was not paid by card through Stripe."))
    refundable = source.amount_available_for_refund
    if amount <= 0 or amount > refundable:
        raise RefundRefused(
            _("The amount to refund must be more than 0 and at most %(refundable)s €.")
            % {"refundable": refundable}
        )
    try:
        refund_id = facade.refund(
            payment_id=source.reference,
            amount=amount,
            idempotency_key=f"kiosque-refund-{source.pk}-{source.amount_refunded}-{amount}",
            message=REFUND_UNAVAILABLE,
        )
    except facade.RefundRefused as error:
        logger.warning("Stripe refused the refund of order %s", order.number)
        raise RefundRefused(
            _("Stripe refused the refund: %(error)s") % {"error": error.message}
        ) from error
    except gateway.StripeUnavailable as error:
        raise RefundRefused(error.message) from error
    _record_refund(source, amount, refund_id)
    return refund_id


@transaction.atomic
def record_refunds_made_in_stripe(refund: events.ChargeRefunded) -> Decimal:
    """Record on the order what a charge-refunded event says was refunded in Stripe.

    Stripe gives the charge's refunded total; only what the order does not show yet is
    recorded, so a refund made from the dashboard, or an event received twice, counts once.
    """
    source = (
        Source.objects.select_for_update()
        .filter(source_type__code=STRIPE_SOURCE, reference=refund.payment_id)
        .select_related("order")
        .first()
    )
    if source is None:
        return Decimal("0.00")  # not a shop order's charge
    # A charge that also paid an add-on (a gift with the order) is refunded for the order
    # first: beyond the order's part, what Stripe refunded is the add-on's, never the order's.
    new = min(refund.amount_refunded, source.amount_debited) - source.amount_refunded
    if new <= 0:
        return Decimal("0.00")
    _record_refund(source, new, refund.refund_id)
    return new
