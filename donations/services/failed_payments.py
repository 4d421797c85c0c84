"""Refused payments: a monthly gift's invoice refused (a card declined, a debit returned by
the bank) and a one-off SEPA debit that failed. Nothing is receipted for them; the donor is
told how to pay again, the treasury is told; after ``MonthlyGift.FAILURES_BEFORE_STOP``
refusals in a row the monthly gift stops.

Each ``invoice.payment_failed`` is one attempt refused (Stripe retries a failed invoice: each
retry that fails is another event, with its own id). A replay of the same event never comes
here (payments.services keeps event ids); a failure told after the invoice was paid changes
nothing.
"""

import logging

from django.db import transaction
from django.utils import timezone

from donations.models import Donation, MonthlyGift
from donations.services import gifts, payment_notices
from donations.services.monthly import month_of, monthly_gift_of_subscription
from payments import events, subscriptions

logger = logging.getLogger(__name__)

# The gift's error code once it stopped after too many refusals.
STOPPED_AFTER_REFUSALS = "payments_refused"
FIRST_DEBIT_REFUSED = "first_debit_refused"

# What a refusal told later than a payment leaves alone.
SETTLED = (Donation.Status.PAID, Donation.Status.REFUNDED, Donation.Status.DISPUTED)


@transaction.atomic
def record_failed_invoice(invoice: events.InvoiceFailed) -> Donation | None:
    """The failed donation of a monthly gift's refused invoice (None if not a gift's, or if
    that invoice was paid), the refusal counted and told."""
    if not invoice.subscription_id or not invoice.invoice_id:
        return None
    gift = monthly_gift_of_subscription(invoice.subscription_id)
    if gift is None:
        return None
    donation = Donation.objects.select_for_update().filter(invoice_id=invoice.invoice_id).first()
    if donation is not None and donation.status in SETTLED:
        return None  # paid first (or told so first): a late failure changes nothing
    was_debiting = donation is not None and donation.status == Donation.Status.PROCESSING
    if _is_first_debit(gift, donation):
        return _first_debit_refused(gift, donation, invoice)
    if gift.status != MonthlyGift.Status.ACTIVE and not (
        gift.status == MonthlyGift.Status.PENDING and was_debiting
    ):
        # A first month refused in the payment page (the page said so), or a gift stopped:
        # nothing more is asked of the donor. A debit that was on its way is still failed.
        if was_debiting:
            _fail(donation, invoice.code)
            payment_notices.tell_treasury_failed(donation)
        return donation if was_debiting else None
    if donation is None:
        donation = _failed_donation(gift, invoice)
    else:
        _fail(donation, invoice.code)
    gift.failed_payments += 1
    gift.lapsed_at = timezone.now()
    gift.save(update_fields=["failed_payments", "lapsed_at"])
    if gift.failed_payments >= MonthlyGift.FAILURES_BEFORE_STOP:
        _stop_after_refusals(gift)
        payment_notices.tell_donor_stopped(gift, donation)
        payment_notices.tell_treasury_stopped(gift, donation)
    else:
        payment_notices.tell_donor_refused(gift, donation)
        payment_notices.tell_treasury_failed(donation)
    return donation


def _fail(donation: Donation, code: str) -> None:
    donation.status = Donation.Status.FAILED
    donation.error_code = (code or "invoice_payment_failed")[:255]
    donation.save(update_fields=["status", "error_code"])


def _failed_donation(gift: MonthlyGift, invoice: events.InvoiceFailed) -> Donation:
    """The refused month as the treasurer's desk lists it, as record_paid_invoice would
    have recorded it paid."""
    taken = (
        invoice.payment_id
        and Donation.objects.filter(payment_intent_id=invoice.payment_id).exists()
    )
    donation = month_of(
        gift,
        invoice_id=invoice.invoice_id,
        amount=invoice.amount or gift.amount,
        status=Donation.Status.FAILED,
        error_code=(invoice.code or "invoice_payment_failed")[:255],
        payment_intent_id=None if taken else invoice.payment_id,
    )
    donation.save()
    return donation


def _is_first_debit(gift: MonthlyGift, donation: Donation | None) -> bool:
    """The refused month is a debit gift's first: nothing of it was ever paid."""
    return (
        gift.method == Donation.Method.DIRECT_DEBIT
        and (donation is None or donation.status == Donation.Status.PROCESSING)
        and not Donation.objects.filter(monthly_gift=gift, status__in=SETTLED).exists()
    )


def _first_debit_refused(
    gift: MonthlyGift, donation: Donation | None, invoice: events.InvoiceFailed
) -> Donation:
    """The bank refused a debit gift's first month: the gift never started. Whether Stripe
    ended the subscription first (the stand-in does) or not, the end is the same: the gift
    "not started", its subscription cancelled, the donor told (and asked to give again), the
    treasury told."""
    if donation is None:
        donation = _failed_donation(gift, invoice)
    else:
        _fail(donation, invoice.code)
    if gift.stripe_subscription_id:
        subscriptions.cancel(subscription_id=gift.stripe_subscription_id)
    gift.status = MonthlyGift.Status.FAILED
    gift.error_code = FIRST_DEBIT_REFUSED
    gift.stopped_at = gift.stopped_at or timezone.now()
    gift.save(update_fields=["status", "error_code", "stopped_at"])
    payment_notices.tell_donor_debit_failed(donation)
    payment_notices.tell_treasury_failed(donation)
    return donation


def _stop_after_refusals(gift: MonthlyGift) -> None:
    """Nothing more is charged (Stripe would otherwise try again, or bill next month)."""
    if gift.stripe_subscription_id:
        subscriptions.cancel(subscription_id=gift.stripe_subscription_id)
    gift.status = MonthlyGift.Status.STOPPED
    gift.error_code = STOPPED_AFTER_REFUSALS
    gift.stopped_at = timezone.now()
    gift.save(update_fields=["status", "error_code", "stopped_at"])
    logger.info("Monthly gift %s stopped after %s refusals", gift.pk, gift.failed_payments)


@transaction.atomic
def record_failed_debit(*, metadata: dict, code: str) -> Donation | None:
    """A one-off gift's payment failed: a card refused in the page (the page said so), or
    a SEPA debit returned days later, which the donor and the treasury are told."""
    donation = gifts.record_failed_donation(metadata=metadata, code=code)
    if donation is not None:
        payment_notices.tell_donor_debit_failed(donation)
        payment_notices.tell_treasury_failed(donation)
    return donation
