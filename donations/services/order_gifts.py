"""A gift added to a shop order (shop.checkout.addons): kept with the basket, paid with the
order in one card payment, then a donation like any other, receipted for its amount only.

The order's total stays the goods' and postage: the shop charges the card the order's total
plus the gift, and calls ``record_order_gift`` in the transaction that places the paid order
(once: the shop's CardPayment row lock). Refunds count against the order first
(donations.services.refunds), so refunding an order leaves its gift and receipt alone.
"""

import logging
from decimal import Decimal

from django.db import transaction

from donations import identity as identities
from donations.models import Donation, OrderGift
from donations.services.donors import record_donor
from donations.services.notifications import thank_for
from donations.services.receipts import issue_receipt

logger = logging.getLogger(__name__)


class BasketClosed(Exception):
    """The basket is being paid (frozen) or was ordered: its gift cannot change now."""


def _open(basket) -> bool:
    return basket is not None and basket.pk is not None and basket.can_be_edited


def gift_of_basket(basket) -> OrderGift | None:
    """The gift waiting with a basket that is still to be ordered (frozen while paid)."""
    if basket is None or basket.pk is None:
        return None
    return OrderGift.objects.filter(basket_id=basket.pk, order__isnull=True).first()


def amount_for_basket(basket) -> Decimal:
    """What the gift adds to the payment of ``basket`` (0 when there is none or no goods)."""
    gift = gift_of_basket(basket)
    if gift is None or basket.is_empty:
        return Decimal("0.00")
    return gift.amount


@transaction.atomic
def add_gift_to_basket(*, basket, amount: Decimal, details: dict, language: str) -> OrderGift:
    """Attach a gift (or change it) to the reader's own open basket, with the name and
    address its receipt will print. ``amount`` was checked by the form (DONATION_MIN to
    DONATION_MAX); BasketClosed while the basket is paid."""
    if not _open(basket) or basket.is_empty:
        raise BasketClosed
    if amount <= 0:
        raise ValueError(f"a gift of {amount} €")
    gift, __ = OrderGift.objects.select_for_update().update_or_create(
        basket_id=basket.pk,
        order__isnull=True,
        defaults={"amount": amount, "language": language, **identities.given(details)},
    )
    return gift


@transaction.atomic
def remove_gift_from_basket(*, basket) -> bool:
    if not _open(basket):
        raise BasketClosed
    deleted, __ = OrderGift.objects.filter(basket_id=basket.pk, order__isnull=True).delete()
    return bool(deleted)


@transaction.atomic
def record_order_gift(*, order, payment, amount: Decimal, paid) -> Donation:
    """The order is placed and paid (shop.checkout.addons): ``amount`` of the payment was
    the gift. It becomes a paid donation of the order's email, with its receipt and thanks."""
    gift = (
        OrderGift.objects.select_for_update()
        .filter(basket_id=payment.basket_id, order__isnull=True)
        .first()
    )
    if gift is None:
        # The basket is frozen while it is paid, so its gift cannot go; should it, the money
        # is taken all the same: stop here so that staff see it (Stripe sends it again).
        raise LookupError(f"Order {order.number}: {amount} € paid as a gift, no gift found")
    if gift.amount != amount:
        logger.error("Order %s: gift of %s but %s paid for it", order.number, gift.amount, amount)
    details = gift.identity_fields() | {"email": order.email}
    user = order.user
    donor = record_donor(details=details, user=user, language=gift.language)
    donation = Donation.objects.create(
        donor=donor,
        amount=amount,
        language=gift.language,
        identity=identities.record_gift_identity(donor=donor, details=details),
        placed_by=user,
        status=Donation.Status.PAID,
        payment_intent_id=paid.payment_id,
        paid_at=paid.paid_at,
    )
    identities.adopt_paid_identity(donation)
    gift.order, gift.donation = order, donation
    gift.order_amount = payment.order_amount
    gift.save(update_fields=["order", "donation", "order_amount", "updated_at"])
    thank_for(donation, issue_receipt([donation]))
    return donation


def gift_of_order(order) -> OrderGift | None:
    if order is None or order.pk is None:
        return None
    return (
        OrderGift.objects.filter(order_id=order.pk)
        .select_related("donation__receipt", "donation__donor")
        .first()
    )
