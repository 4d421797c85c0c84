"""Disputes: a gift's payment taken back by the payer's bank (a SEPA debit reversed, up to 8
weeks after, 13 months if unauthorised; a card payment disputed).

What the bank took back is no longer a gift: its receipt is cancelled as a refund's is (a
summary covering other payments is corrected), the donor and the treasurer are told, and
the treasury log says so. A dispute won gives the gift back its receipt, with a new number.

Each dispute is kept (``Dispute``), so Stripe's events, in whatever order and number they
come, end in one state: a dispute is opened once, closed once, and a gift whose payment is
told after its dispute gets no receipt (``taken_back``).
"""

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from donations.amounts import euros
from donations.models import Association, Dispute, Donation, MonthlyGift, OrderGift, TreasuryLog
from donations.selectors import get_association
from donations.services.gifts import is_one_off_payment
from donations.services.notifications import tell_payment_restored, tell_treasurer
from donations.services.receipts import issue_receipt, reissue_receipt
from donations.services.treasury import log_treasury
from donations.signals import monthly_gift_disputed
from payments import disputes as stripe_disputes
from payments import events

# A gift that was not paid yet when its payment was disputed goes back to this on a win.
NOT_YET_PAID = (Donation.Status.PENDING, Donation.Status.PROCESSING, Donation.Status.FAILED)
FAILED = Donation.Status.FAILED
# A monthly gift still debited: a month of it taken back stops it.
RUNNING = (MonthlyGift.Status.ACTIVE, MonthlyGift.Status.PENDING)


def _gift_of(payment_id: str | None, invoice_id: str | None) -> tuple[Donation | None, str, bool]:
    """The gift a payment paid (locked), the payment's invoice if known, and whether the
    payment may still be told paid as a gift (a subscription's, whose month is recorded only
    then). Stripe is asked only when our rows do not say."""
    locked = Donation.objects.select_for_update()
    if payment_id and (found := locked.filter(payment_intent_id=payment_id).first()):
        return found, invoice_id or "", True
    if invoice_id and (found := locked.filter(invoice_id=invoice_id).first()):
        return found, invoice_id, True
    if not payment_id:
        return None, invoice_id or "", bool(invoice_id)
    payment = stripe_disputes.disputed_payment(payment_id)
    invoice_id = invoice_id or payment.invoice_id or ""
    if is_one_off_payment(payment.metadata):  # told before the page or webhook stored it
        return locked.filter(pk=int(payment.metadata["donation"])).first(), invoice_id, False
    if invoice_id and (found := locked.filter(invoice_id=invoice_id).first()):
        return found, invoice_id, True
    # The site's own payments say what they are for (an order's: not ours); a subscription's
    # say nothing.
    pending = payment.known and "purpose" not in payment.metadata
    return None, invoice_id, pending


def _gift_part(donation: Donation, amount: Decimal) -> Decimal:
    """What of the amount taken back was the gift's: a gift paid with an order shares its
    payment, and, as for refunds, what is taken back counts against the order first."""
    with_order = OrderGift.objects.filter(donation=donation).first()
    if with_order is not None and with_order.order_amount is not None:
        amount = amount - with_order.order_amount
    return max(Decimal("0.00"), min(amount, donation.amount))


@transaction.atomic
def record_dispute(event: events.ChargeDisputed | events.DisputeClosed) -> Dispute | None:
    """The bank took a payment back: if it paid a gift, the gift is no longer one. Once per
    dispute (a replay, or ``charge.dispute.created`` after its ``closed``, changes nothing)."""
    donation, invoice_id, pending = _gift_of(event.payment_id, event.invoice_id)
    dispute = Dispute.objects.select_for_update().filter(stripe_dispute_id=event.dispute_id)
    if found := dispute.first():
        return found
    if donation is None and not pending:
        return None  # an order's payment, or none of ours: left alone
    if donation is not None and not donation.is_monthly and donation.status == FAILED:
        return None  # a one-off gift never paid: nothing was taken back from it
    part = _gift_part(donation, event.amount) if donation is not None else Decimal("0.00")
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(
                stripe_dispute_id=event.dispute_id,
                charge_id=event.charge_id,
                payment_intent_id=event.payment_id or "",
                invoice_id=invoice_id,
                donation=donation if part > 0 else None,
                amount=part if part > 0 else event.amount,
                reason=event.reason[:64],
            )
    except IntegrityError:
        # Its other event, at the same time, for a payment no gift row locks: that one
        # committed first and did it.
        return Dispute.objects.select_for_update().get(stripe_dispute_id=event.dispute_id)
    if dispute.donation is not None:
        _take_back(dispute, donation)
    return dispute


def _take_back(dispute: Dispute, donation: Donation) -> None:
    dispute.status_before = donation.status
    cancelled = donation.receipt
    if donation.status != Donation.Status.REFUNDED:  # refunded: given back already
        donation.status = Donation.Status.DISPUTED
        # Found by its metadata before the page stored its payment: now it is known.
        donation.payment_intent_id = donation.payment_intent_id or dispute.payment_intent_id or None
        donation.save(update_fields=["status", "payment_intent_id"])
    if cancelled is not None:
        dispute.cancelled_receipt = cancelled
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("Payment of %(amount)s € taken back by the bank on %(date)s") % {
                "amount": formats.number_format(dispute.amount, 2, use_l10n=True),
                "date": timezone.localdate().strftime("%d/%m/%Y"),
            }
        # Leaves out the disputed gift, keeps the others of a summary, tells the donor.
        reissue_receipt(cancelled, reason=reason)
    dispute.save(update_fields=["status_before", "cancelled_receipt"])
    gift = donation.monthly_gift
    gift_stopped = gift is not None and gift.status in RUNNING
    if gift_stopped:
        # The account holder took a month back: debiting the next ones would be refused
        # or taken back again (an unauthorised debit most of all).
        monthly_gift_disputed.send(sender=MonthlyGift, gift=gift)
    details = f"{dispute.stripe_dispute_id}: {euros(dispute.amount)} €, {donation.donor.email}"
    with translation.override(settings.LANGUAGE_CODE):
        if dispute.reason:
            details += f" ({dispute.reason_label})"
        if cancelled is not None:
            details += f", {cancelled.number}"
        if gift_stopped:
            details += ", " + _("monthly gift stopped")
        # The dispute email's sentence (its templates print ``gift_stopped`` when not empty).
        stopped_note = _(
            "The monthly gift it was a month of is stopped, its Stripe subscription "
            "cancelled: the account holder does not want it debited."
        )
    log_treasury(None, TreasuryLog.Action.DISPUTE, details)
    tell_treasurer(
        "donations/emails/treasurer_dispute",
        {
            "dispute": dispute,
            "donation": donation,
            "donor_email": donation.donor.email,  # the templates never read the donor row
            "cancelled": cancelled,
            "closed": False,
            "gift_stopped": stopped_note if gift_stopped else "",
        },
    )


@transaction.atomic
def record_dispute_closed(event: events.DisputeClosed) -> Dispute | None:
    """A dispute decided. Won: the money came back, the gift is paid again and, if it was
    receipted on its own or its receipt was cancelled for the dispute, receipted again with
    a new number. Lost: the gift stays taken back. Once per dispute, opened first if its
    ``created`` has not come (or never will)."""
    opened = record_dispute(event)
    if opened is None:
        return None  # not a gift's
    dispute = Dispute.objects.select_for_update().get(pk=opened.pk)
    if dispute.status != Dispute.Status.OPEN:
        return dispute  # closed already: a replay
    dispute.status = Dispute.Status.WON if event.won else Dispute.Status.LOST
    dispute.closed_at = timezone.now()
    dispute.save(update_fields=["status", "closed_at"])
    if dispute.donation_id is None:
        return dispute  # not a gift's
    donation = (
        Donation.objects.select_for_update().select_related("donor").get(pk=dispute.donation_id)
    )
    receipt = _give_back(dispute, donation) if event.won else None
    with translation.override(settings.LANGUAGE_CODE):
        outcome = _("won") if event.won else _("lost")
    details = (
        f"{dispute.stripe_dispute_id}: {outcome}, {euros(dispute.amount)} €, {donation.donor.email}"
    )
    if receipt is not None:
        details += f", → {receipt.number}"
    log_treasury(None, TreasuryLog.Action.DISPUTE_CLOSED, details)
    tell_treasurer(
        "donations/emails/treasurer_dispute",
        {
            "dispute": dispute,
            "donation": donation,
            "donor_email": donation.donor.email,
            "receipt": receipt,
            "closed": True,
        },
    )
    return dispute


def _give_back(dispute: Dispute, donation: Donation):
    """The gift as it was before the dispute; a new receipt if it had one or is receipted
    payment by payment (a month under yearly summaries waits for January's run)."""
    if donation.status != Donation.Status.DISPUTED:
        return None
    if donation.paid_at is None:  # disputed before it was told paid: that tells the rest
        before = dispute.status_before
        donation.status = before if before in NOT_YET_PAID else Donation.Status.PENDING
        donation.save(update_fields=["status"])
        return None
    donation.status = Donation.Status.PAID
    donation.save(update_fields=["status"])
    receipt = None
    if donation.receipt_eligible and (
        dispute.cancelled_receipt_id is not None or _receipted_on_its_own(donation)
    ):
        receipt = issue_receipt([donation])
    tell_payment_restored(donation, receipt)
    return receipt


def _receipted_on_its_own(donation: Donation) -> bool:
    if not donation.is_monthly:
        return True
    association = get_association()
    return bool(association) and (
        association.monthly_receipts == Association.MonthlyReceipts.PER_PAYMENT
    )


def taken_back(*, payment_id: str | None, invoice_id: str | None) -> Dispute | None:
    """The dispute, not won, told before the payment it takes back was told paid (a month of
    a monthly gift is recorded only then): that gift is recorded taken back, no receipt."""
    if not payment_id and not invoice_id:
        return None
    which = Dispute.objects.exclude(status=Dispute.Status.WON).filter(donation__isnull=True)
    if payment_id and (found := which.filter(payment_intent_id=payment_id).first()):
        return found
    return which.filter(invoice_id=invoice_id).first() if invoice_id else None


def record_taken_back(dispute: Dispute, donation: Donation) -> None:
    """A month told paid after its dispute (see ``taken_back``), recorded taken back: the
    dispute is now the gift's, logged and told as if it had come after."""
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    dispute.donation = donation
    dispute.save(update_fields=["donation"])
    _take_back(dispute, donation)
    dispute.status_before = Donation.Status.PAID
    dispute.save(update_fields=["status_before"])
    if dispute.status == Dispute.Status.LOST:
        log_treasury(
            None,
            TreasuryLog.Action.DISPUTE_CLOSED,
            f"{dispute.stripe_dispute_id}: {_lost()}, {euros(dispute.amount)} €, "
            f"{donation.donor.email}",
        )


def _lost() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("lost")
