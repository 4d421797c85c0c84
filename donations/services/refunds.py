"""Refunds: what is given back is no longer a gift."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from donations.models import Donation, OrderGift
from donations.services.receipts import reissue_receipt
from payments import events


@transaction.atomic
def record_donation_refund(refund: events.ChargeRefunded) -> Donation | None:
    """A gift's charge refunded: what is refunded is no longer a gift, so its receipt is
    cancelled and, if part of it is kept, a corrected receipt is issued."""
    payment_intent, invoice = refund.payment_id, refund.invoice_id
    donation = None
    if payment_intent:
        donation = (
            Donation.objects.select_for_update().filter(payment_intent_id=payment_intent).first()
        )
    if donation is None and invoice:
        donation = Donation.objects.select_for_update().filter(invoice_id=invoice).first()
    if donation is None:
        return None  # not a gift (an order's charge)
    refunded = refund.amount_refunded
    with_order = OrderGift.objects.filter(donation=donation).first()
    if with_order is not None:
        # A gift paid with an order: the payment is refunded for the order first; only what
        # goes beyond the order's part is the gift's (refunding an order keeps its receipt).
        refunded = max(Decimal("0.00"), refunded - with_order.order_amount)
    if refunded <= donation.amount_refunded:
        return donation  # already recorded
    donation.amount_refunded = min(refunded, donation.amount)
    if donation.amount_refunded >= donation.amount:
        donation.status = Donation.Status.REFUNDED
    donation.save(update_fields=["amount_refunded", "status"])
    if donation.receipt_id:
        reason = _("Refund of %(amount)s € on %(date)s") % {
            "amount": donation.amount_refunded,
            "date": timezone.localdate().strftime("%d/%m/%Y"),
        }
        reissue_receipt(donation.receipt, reason=reason)
    return donation
