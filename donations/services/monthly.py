"""Monthly gifts: a subscription (payments.subscriptions) to a monthly plan of its amount,
each paid invoice one ``Donation``. The monthly gift's row lock makes the page and the
webhooks, in whatever order and number they come, record each invoice once.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from donations import identity as identities
from donations.models import Association, Donation, Donor, GiftIdentity, MonthlyGift
from donations.selectors import get_association
from donations.services import disputes
from donations.services.mandates import record_monthly_method
from donations.services.notifications import tell_debit_started, thank_for
from donations.services.receipts import issue_receipt
from payments import events, facade, gateway, subscriptions
from payments.outcomes import Outcome, Refused, Subscribed

logger = logging.getLogger(__name__)

# Metadata that marks Stripe objects as ours (see gifts.ONE_OFF_PURPOSE).
MONTHLY_PURPOSE = "kiosque_monthly_gift"


def start_monthly_gift(
    *,
    donor: Donor,
    amount: Decimal,
    language: str,
    identity: GiftIdentity | None = None,
    placed_by=None,
) -> MonthlyGift:
    identity = identity or identities.current_identity(donor)
    return MonthlyGift.objects.create(
        donor=donor, amount=amount, language=language, identity=identity, placed_by=placed_by
    )


def subscribe_monthly_gift(gift: MonthlyGift, setup_id: str) -> Outcome:
    """Subscribe the donor's card or bank account (SEPA mandate) to the monthly plan; the first
    month is charged at once.

    ``NeedsAuthentication`` when the bank asks for 3-D Secure (the page runs it, then calls
    ``complete_monthly_gift``); ``Subscribed``: the gift has started (a first debit may still
    be with the bank: no receipt until it is paid); ``Refused``: the first payment failed (the
    subscription is cancelled).
    """
    try:
        # Before the first month, which may be reported paid at once: its receipt and every
        # month's say how it was paid.
        record_monthly_method(gift, facade.describe_method(setup_id=setup_id))
        result = subscriptions.subscribe(
            setup_id=setup_id,
            amount=gift.amount,
            metadata={"purpose": MONTHLY_PURPOSE, "monthly_gift": str(gift.pk)},
            idempotency_key=f"kiosque-monthly-gift-{gift.pk}",
        )
    except gateway.StripeUnavailable as failure:
        _stop(gift, MonthlyGift.Status.FAILED, failure.code)
        raise
    if result.customer_id:
        Donor.objects.filter(pk=gift.donor_id).update(stripe_customer_id=result.customer_id)
    if result.subscription_id:
        MonthlyGift.objects.filter(pk=gift.pk).update(stripe_subscription_id=result.subscription_id)
        gift.stripe_subscription_id = result.subscription_id
    return _follow_subscription(gift, result)


def complete_monthly_gift(gift: MonthlyGift) -> Outcome:
    """After 3-D Secure in the page: the gift starts if the first month is paid, else it is
    stopped (``Refused``)."""
    result = subscriptions.confirm_subscription(subscription_id=gift.stripe_subscription_id)
    return _follow_subscription(gift, result)


def _follow_subscription(gift: MonthlyGift, result: Outcome) -> Outcome:
    if isinstance(result, Subscribed) and result.first_invoice is not None:
        record_paid_invoice(result.first_invoice)
    elif isinstance(result, Subscribed) and result.pending_invoice_id:
        record_first_debit(gift, result)
    elif isinstance(result, Refused):
        _stop(gift, MonthlyGift.Status.FAILED, result.code)
    return result


def monthly_gift_of_subscription(subscription_id: str) -> MonthlyGift | None:
    """The monthly gift of a subscription, locked; None for a subscription that is not one.

    The webhook may come before the page has stored the subscription's id: the
    subscription's metadata, asked of Stripe, tells which gift it is.
    """
    gift = MonthlyGift.objects.select_for_update().filter(stripe_subscription_id=subscription_id)
    if found := gift.first():
        return found
    metadata = subscriptions.metadata_of(subscription_id=subscription_id)
    if metadata is None or metadata.get("purpose") != MONTHLY_PURPOSE:
        return None  # no such subscription, or not a gift's
    gift = MonthlyGift.objects.select_for_update().get(pk=int(metadata["monthly_gift"]))
    gift.stripe_subscription_id = subscription_id
    gift.save(update_fields=["stripe_subscription_id"])
    return gift


@transaction.atomic
def record_first_debit(gift: MonthlyGift, subscribed: Subscribed) -> None:
    """The first month sent to the bank as a SEPA debit: the gift has started, its first
    donation waits (no receipt) for ``invoice.paid`` or ``invoice.payment_failed``."""
    gift = MonthlyGift.objects.select_for_update().get(pk=gift.pk)
    if Donation.objects.filter(invoice_id=subscribed.pending_invoice_id).exists():
        return  # the bank's answer came first (or the page asked twice)
    if gift.status == MonthlyGift.Status.PENDING:
        gift.status = MonthlyGift.Status.ACTIVE
        gift.started_at = timezone.now()
        gift.save(update_fields=["status", "started_at"])
    donation = month_of(
        gift,
        invoice_id=subscribed.pending_invoice_id,
        amount=gift.amount,
        status=Donation.Status.PROCESSING,
        payment_intent_id=subscribed.pending_payment_id or None,
    )
    donation.save()
    tell_debit_started(donation)


def month_of(gift: MonthlyGift, *, invoice_id: str, **fields) -> Donation:
    """A month of a monthly gift (unsaved), paid with the gift's method, in its name and
    language: its invoice is its key."""
    return Donation(
        donor=gift.donor,
        monthly_gift=gift,
        method=gift.method,
        mandate=gift.mandate,
        language=gift.language,
        identity=gift.identity,
        placed_by_id=gift.placed_by_id,
        invoice_id=invoice_id,
        **fields,
    )


@transaction.atomic
def record_paid_invoice(invoice: events.InvoicePaid) -> Donation | None:
    """One donation per paid invoice of a monthly gift, whichever of Stripe's two events (or
    the page) tells first; None if not a gift's invoice."""
    if not invoice.subscription_id or not invoice.amount:
        return None
    gift = monthly_gift_of_subscription(invoice.subscription_id)
    if gift is None:
        return None
    donation = Donation.objects.select_for_update().filter(invoice_id=invoice.invoice_id).first()
    if donation is not None and donation.status == Donation.Status.DISPUTED:
        if donation.paid_at is None:  # taken back by the bank before told paid: no receipt
            donation.paid_at = invoice.paid_at
            donation.save(update_fields=["paid_at"])
        return donation
    awaited = (Donation.Status.PROCESSING, Donation.Status.FAILED)
    if donation is not None and donation.status not in awaited:
        return donation  # recorded already (the other event, or the page)
    changed = ["status", "started_at"]
    if gift.status == MonthlyGift.Status.PENDING:
        gift.status = MonthlyGift.Status.ACTIVE
        gift.started_at = timezone.now()
    if gift.failed_payments:
        # Paid again after refusals (a new card or account, or Stripe's retry): recovered.
        gift.failed_payments = 0
        gift.recovered_at = timezone.now()
        changed += ["failed_payments", "recovered_at"]
    gift.save(update_fields=changed)
    if donation is None:
        donation = month_of(gift, invoice_id=invoice.invoice_id)
    elif donation.status == Donation.Status.FAILED:
        # A refused month paid on a retry: with the gift's method now (a new card or account).
        donation.method, donation.mandate = gift.method, gift.mandate
    # The bank may have taken the payment back before it was told paid (events out of order).
    taken = disputes.taken_back(payment_id=invoice.payment_id, invoice_id=invoice.invoice_id)
    # A debit the bank has now paid (or a refused month paid on a retry) becomes a gift.
    donation.amount = invoice.amount
    donation.status = Donation.Status.DISPUTED if taken else Donation.Status.PAID
    donation.payment_intent_id = invoice.payment_id or donation.payment_intent_id
    donation.paid_at = invoice.paid_at
    donation.error_code = ""
    donation.save()
    identities.adopt_paid_identity(donation)
    if taken is not None:
        disputes.record_taken_back(taken, donation)
        return donation
    receipt = None
    association = get_association()
    if association and association.monthly_receipts == Association.MonthlyReceipts.PER_PAYMENT:
        receipt = issue_receipt([donation])
    thank_for(donation, receipt)
    return donation


def _stop(gift: MonthlyGift, status: str, code: str = "") -> None:
    MonthlyGift.objects.filter(pk=gift.pk).exclude(status=MonthlyGift.Status.STOPPED).update(
        status=status, error_code=code[:255], stopped_at=timezone.now(), paused_until=None
    )


@transaction.atomic
def stop_monthly_gift(gift: MonthlyGift) -> MonthlyGift:
    """The donor stops giving: the Stripe subscription is cancelled, nothing more is charged."""
    gift = MonthlyGift.objects.select_for_update().get(pk=gift.pk)
    if gift.status == MonthlyGift.Status.STOPPED:
        return gift
    if gift.stripe_subscription_id:
        subscriptions.cancel(subscription_id=gift.stripe_subscription_id)
    _stop(gift, MonthlyGift.Status.STOPPED)
    gift.refresh_from_db()
    return gift


def record_subscription_ended(*, subscription_id: str) -> None:
    """Stopped from Stripe (dashboard, unpaid invoices)."""
    if not subscription_id:  # would match every gift not subscribed yet
        return
    MonthlyGift.objects.filter(stripe_subscription_id=subscription_id).exclude(
        status__in=(MonthlyGift.Status.STOPPED, MonthlyGift.Status.FAILED)
    ).update(status=MonthlyGift.Status.STOPPED, stopped_at=timezone.now(), paused_until=None)
