"""An order in a reader's words: its status and how it was paid.

Oscar's statuses are the staff's workflow (settings.OSCAR_ORDER_STATUS_PIPELINE): an order is
only placed once paid, so its first status, "En attente" (waiting to be handled), reads
"Payée" for the reader. Refunds (shop.checkout.services) leave the status alone and show on
the payment source: a refunded order reads "Remboursée".
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.checkout.services import STRIPE_SOURCE
from shop.models import CardPayment

# Every status of OSCAR_ORDER_STATUS_PIPELINE (tests check none is missing).
READER_STATUSES = {
    "En attente": gettext_lazy("Paid"),
    "En préparation": gettext_lazy("Being prepared"),
    "Expédiée": gettext_lazy("Shipped"),
    "Annulée": gettext_lazy("Cancelled"),
}


def refunded(order) -> Decimal:
    return sum((source.amount_refunded for source in order.sources.all()), Decimal("0.00"))


def reader_status(order) -> str:
    """The order's status as its reader understands it."""
    back = refunded(order)
    if back > 0 and back >= order.total_incl_tax:
        return _("Refunded")
    status = str(READER_STATUSES.get(order.status, order.status or _("Paid")))
    if back > 0:
        return _("%(status)s, partly refunded") % {"status": status}
    return status


@dataclass(frozen=True)
class Payment:
    """One way the order was paid: ``text`` ("Payé par carte Visa •••• 4242"), the amount."""

    text: str
    amount: Decimal
    currency: str
    refunded: Decimal
    # The card's whole charge when add-ons (a gift) were paid with the order: what the
    # reader's statement shows, more than the order's amount.
    charged: Decimal | None = None


def payments_of(order) -> list[Payment]:
    payments = []
    for source in order.sources.all():
        if source.source_type.code == STRIPE_SOURCE:
            if source.label:
                text = _("Paid by card %(card)s") % {"card": source.label}
            else:
                text = _("Paid by card")
        else:
            text = _("Paid (%(method)s)") % {"method": source.source_type.name}
        payments.append(
            Payment(
                text,
                source.amount_debited,
                source.currency,
                source.amount_refunded,
                charged=_charged_with_addons(order, source),
            )
        )
    return payments


def _charged_with_addons(order, source) -> Decimal | None:
    if source.source_type.code != STRIPE_SOURCE:
        return None
    try:
        card_payment = order.card_payment
    except CardPayment.DoesNotExist:
        return None
    return card_payment.amount if card_payment.extras else None
