"""Donations: the writes, one function per use case.

A one-off gift is a payment (payments.facade, same page script as the shop's checkout); a
monthly gift is a subscription (payments.subscriptions), each paid invoice one ``Donation``.
A donation is ``paid`` only on Stripe's word, once: the donation's row lock (one-off) or the
monthly gift's (invoices) make the browser and the webhooks, in whatever order and number
they come, record it once. Receipts are numbered without gaps per civil
year: the year's ``ReceiptSequence`` row stays locked until the issuing transaction commits.
"""

import base64
import dataclasses
import datetime
import logging
import mimetypes
import tempfile
import zipfile
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import verified_email
from donations import identity as identities
from donations import links, pdf
from donations.models import (
    Association,
    Donation,
    Donor,
    GiftIdentity,
    MonthlyGift,
    Receipt,
    ReceiptArchive,
    ReceiptSequence,
    TreasuryLog,
)
from donations.selectors import get_association
from kiosque import attachments
from kiosque.services import send_templated_email
from magazine.models import NewsletterSubscriber
from magazine.services import request_newsletter
from payments import events, facade, gateway, subscriptions
from payments.outcomes import Outcome, Paid, Refused, Subscribed

logger = logging.getLogger(__name__)

# Metadata that marks Stripe objects as ours (the shop's orders use "kiosque_order").
ONE_OFF_PURPOSE = "kiosque_donation"
MONTHLY_PURPOSE = "kiosque_monthly_gift"


# --- Donors and gifts -----------------------------------------------------------------


@transaction.atomic
def record_donor(*, details: dict, user=None, language: str) -> Donor:
    """The donor of that email. Only a new donor takes the name and address typed here: a
    known one's change once a gift is paid (``donations.identity``), never on a form."""
    email = details["email"].strip().lower()
    donor = Donor.objects.select_for_update().filter(email=email).first()
    if donor is None:
        donor = Donor(email=email, language=language, **identities.given(details))
    if user is not None and verified_email(user) == email:
        donor.user = user  # never an account that has not proved it owns this email
    if details.get("newsletter") and donor.newsletter_consent_at is None:
        donor.newsletter_consent_at = timezone.now()
    donor.save()
    if details.get("newsletter"):
        # Subscribed the same way as from the footer: confirmed by the link emailed.
        request_newsletter(email, source=NewsletterSubscriber.Source.DONATION, language=language)
    return donor


def start_one_off_donation(
    *,
    donor: Donor,
    amount: Decimal,
    language: str,
    identity: GiftIdentity | None = None,
    placed_by=None,
) -> Donation:
    """``placed_by``: the account signed in, which sees this gift before verifying its email."""
    identity = identity or identities.current_identity(donor)
    return Donation.objects.create(
        donor=donor, amount=amount, language=language, identity=identity, placed_by=placed_by
    )


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


# --- One-off gifts ----------------------------------------------------------------------


def is_one_off_payment(metadata) -> bool:
    return metadata.get("purpose") == ONE_OFF_PURPOSE and bool(metadata.get("donation"))


def charge_donation(donation: Donation, setup_id: str) -> Outcome:
    """Charge the card the page set up (StripeUnavailable: nothing charged)."""
    try:
        result = facade.charge(
            setup_id=setup_id,
            amount=donation.amount,
            metadata={"purpose": ONE_OFF_PURPOSE, "donation": str(donation.pk)},
            idempotency_key=f"kiosque-donation-{donation.pk}",
        )
    except gateway.StripeUnavailable as failure:
        _record_failure(donation, failure.code)
        raise
    if isinstance(result, Refused) and not result.payment_id:
        _record_failure(donation, result.code)
        return result
    Donor.objects.filter(pk=donation.donor_id).update(stripe_customer_id=result.customer_id)
    Donation.objects.filter(pk=donation.pk, payment_intent_id=None).update(
        payment_intent_id=result.payment_id
    )
    donation.payment_intent_id = result.payment_id
    return _follow(donation, result)


def complete_donation_payment(donation: Donation) -> Outcome:
    """After 3-D Secure in the page: where the payment stands now."""
    return _follow(donation, facade.confirm(payment_id=donation.payment_intent_id))


def _follow(donation: Donation, result: Outcome) -> Outcome:
    if isinstance(result, Paid):
        record_paid_donation(result)
    elif isinstance(result, Refused):
        _record_failure(donation, result.code)
    # NeedsAuthentication (3-D Secure in the page) or Processing (the webhook tells).
    return result


def _record_failure(donation: Donation, code: str) -> None:
    Donation.objects.filter(pk=donation.pk, status=Donation.Status.PENDING).update(
        status=Donation.Status.FAILED, error_code=code[:255]
    )


def record_failed_donation(*, metadata: dict, code: str) -> None:
    if is_one_off_payment(metadata):
        _record_failure(Donation(pk=int(metadata["donation"])), code)


@transaction.atomic
def record_paid_donation(paid: Paid) -> Donation | None:
    """Record the one-off gift a payment paid, once; None if not a gift's."""
    if not is_one_off_payment(paid.metadata):
        return None
    donation = Donation.objects.select_for_update().get(pk=int(paid.metadata["donation"]))
    if donation.status == Donation.Status.REFUNDED and donation.paid_at is None:
        # The refund was told first: the gift was paid, then given back; no receipt.
        donation.paid_at = paid.paid_at
        donation.save(update_fields=["paid_at"])
    if donation.status in (Donation.Status.PAID, Donation.Status.REFUNDED):
        return donation
    donation.status = Donation.Status.PAID
    donation.payment_intent_id = paid.payment_id
    donation.amount = paid.amount
    donation.paid_at = paid.paid_at
    donation.error_code = ""
    donation.save()
    identities.adopt_paid_identity(donation)
    _thank_for(donation, issue_receipt([donation]))
    return donation


# --- Monthly gifts ----------------------------------------------------------------------


def subscribe_monthly_gift(gift: MonthlyGift, setup_id: str) -> Outcome:
    """Subscribe the donor's card to the monthly plan; the first month is charged at once.

    ``NeedsAuthentication`` when the bank asks for 3-D Secure (the page runs it, then calls
    ``complete_monthly_gift``); ``Subscribed``: the gift has started; ``Refused``: the first
    payment failed (the subscription is cancelled).
    """
    try:
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
    elif isinstance(result, Refused):
        _stop(gift, MonthlyGift.Status.FAILED, result.code)
    return result


def _monthly_gift_of(subscription_id: str) -> MonthlyGift | None:
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
def record_paid_invoice(invoice: events.InvoicePaid) -> Donation | None:
    """One donation per paid invoice of a monthly gift, whichever of Stripe's two events (or
    the page) tells first; None if not a gift's invoice."""
    if not invoice.subscription_id or not invoice.amount:
        return None
    gift = _monthly_gift_of(invoice.subscription_id)
    if gift is None:
        return None
    existing = Donation.objects.filter(invoice_id=invoice.invoice_id).first()
    if existing is not None:
        return existing
    if gift.status == MonthlyGift.Status.PENDING:
        gift.status = MonthlyGift.Status.ACTIVE
        gift.started_at = timezone.now()
        gift.save(update_fields=["status", "started_at"])
    donation = Donation.objects.create(
        donor=gift.donor,
        monthly_gift=gift,
        amount=invoice.amount,
        status=Donation.Status.PAID,
        language=gift.language,
        identity=gift.identity,
        placed_by_id=gift.placed_by_id,
        invoice_id=invoice.invoice_id,
        payment_intent_id=invoice.payment_id,
        paid_at=invoice.paid_at,
    )
    identities.adopt_paid_identity(donation)
    receipt = None
    association = get_association()
    if association and association.monthly_receipts == Association.MonthlyReceipts.PER_PAYMENT:
        receipt = issue_receipt([donation])
    _thank_for(donation, receipt)
    return donation


def _stop(gift: MonthlyGift, status: str, code: str = "") -> None:
    MonthlyGift.objects.filter(pk=gift.pk).exclude(status=MonthlyGift.Status.STOPPED).update(
        status=status, error_code=code[:255], stopped_at=timezone.now()
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
    MonthlyGift.objects.filter(stripe_subscription_id=subscription_id).exclude(
        status__in=(MonthlyGift.Status.STOPPED, MonthlyGift.Status.FAILED)
    ).update(status=MonthlyGift.Status.STOPPED, stopped_at=timezone.now())


# --- Refunds ----------------------------------------------------------------------------


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


# --- Receipts ---------------------------------------------------------------------------


def _next_sequence(year: int) -> int:
    """The next number of ``year``; its row stays locked until the transaction commits, so
    concurrent issues take consecutive numbers and a rolled-back one leaves no gap."""
    locked = ReceiptSequence.objects.select_for_update()
    sequence = locked.filter(year=year).first()
    if sequence is None:  # the year's first receipt
        try:
            with transaction.atomic():
                ReceiptSequence.objects.create(year=year)
        except IntegrityError:
            pass  # another transaction created it first
        sequence = locked.get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _issuer(association: Association) -> dict:
    signature = ""
    if association.signature:
        with association.signature.open("rb") as image:
            content = image.read()
        mimetype = mimetypes.guess_type(association.signature.name)[0] or "image/png"
        signature = f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"
    with translation.override("fr"):
        qualification = str(association.get_qualification_display())
    return {
        "name": association.name,
        "address": association.address_lines,
        "city": association.city,
        "purpose": association.purpose,
        "qualification": association.qualification,
        "qualification_label": qualification,
        "qualification_detail": association.qualification_detail,
        "siren": association.siren,
        "rna": association.rna,
        "signatory_name": association.signatory_name,
        "signatory_role": association.signatory_role,
        "signature": signature,
    }


@transaction.atomic
def issue_receipt(
    donations: list[Donation],
    *,
    annual: bool = False,
    replaces: Receipt | None = None,
) -> Receipt:
    """Issue the receipt for paid gifts of one donor, with the next number of the year.

    Everything the receipt says is copied into it now, the donor's name and address from
    the identity given with its latest gift. Raises ValueError for gifts that are not paid,
    not eligible, belong to several donors, or already have a receipt in force.
    """
    association = get_association()
    if association is None:
        raise ImproperlyConfigured("The association's details are needed to issue receipts.")
    donations = list(
        Donation.objects.select_for_update(of=("self",))
        .filter(pk__in=[donation.pk for donation in donations])
        .select_related("donor", "identity")
        .order_by("paid_at", "pk")
    )
    if not donations:
        raise ValueError("A receipt needs at least one gift")
    donor = donations[0].donor
    for donation in donations:
        if donation.status != Donation.Status.PAID or donation.amount_kept <= 0:
            raise ValueError(f"Donation {donation.pk} is not a paid gift")
        if donation.donor_id != donor.pk:
            raise ValueError("A receipt is for one donor")
        if donation.receipt_id is not None:
            raise ValueError(f"Donation {donation.pk} already has receipt {donation.receipt}")
        if not donation.receipt_eligible:
            raise ValueError(f"Donation {donation.pk} is not eligible for a receipt")
    if len(identities.by_person(donations)) > 1:
        raise ValueError("A receipt names one person: these gifts name several")
    if annual:
        kind = Receipt.Kind.ANNUAL
    else:
        kind = Receipt.Kind.MONTHLY if donations[0].is_monthly else Receipt.Kind.ONE_OFF
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = _next_sequence(year)
    named = identities.receipt_identity(donations)
    receipt = Receipt.objects.create(
        number=f"{year}-{sequence:06d}",
        year=year,
        sequence=sequence,
        kind=kind,
        donor=donor,
        issued_at=now,
        donor_last_name=named.last_name,
        donor_first_names=named.first_name,
        donor_address=named.address_lines,
        amount=sum((donation.amount_kept for donation in donations), Decimal("0.00")),
        payments=[
            {
                "date": timezone.localdate(donation.paid_at).isoformat(),
                "amount": str(donation.amount_kept),
                "method": donation.method,
            }
            for donation in donations
        ],
        period_year=(
            timezone.localdate(donations[0].paid_at).year if kind == Receipt.Kind.ANNUAL else None
        ),
        issuer=_issuer(association),
        replaces=replaces,
    )
    Donation.objects.filter(pk__in=[donation.pk for donation in donations]).update(receipt=receipt)
    return receipt


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt's PDF: made once from what the receipt froze, then the same bytes."""
    if receipt.pdf:
        return bytes(receipt.pdf)
    document = pdf.render_receipt(receipt)
    Receipt.objects.filter(pk=receipt.pk).update(pdf=document)
    receipt.pdf = document
    return document


@transaction.atomic
def cancel_receipt(receipt: Receipt, *, reason: str, by=None, eligible: bool) -> Receipt:
    """Cancel a receipt, saying whether its gifts stay eligible: if they do, a corrected
    receipt with a new number replaces it at once (``replaced_by``); if not, no receipt is
    ever issued for them again. The donor is told in writing, as practice wants."""
    if eligible:
        reissue_receipt(receipt, reason=reason, by=by)
        return Receipt.objects.get(pk=receipt.pk)
    donations = list(receipt.donations.values_list("pk", flat=True))
    cancelled = _cancel(receipt, reason=reason, by=by, gifts_eligible=False)
    Donation.objects.filter(pk__in=donations).update(receipt_eligible=False)
    _tell_cancelled(cancelled, None)
    return cancelled


def _cancel(receipt: Receipt, *, reason: str, by, gifts_eligible: bool) -> Receipt:
    """Kept in the register with why, who and when, and its PDF stamped."""
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.is_cancelled:
        raise ValueError(f"Receipt {receipt.number} is already cancelled")
    if not reason.strip():
        raise ValueError("A cancellation needs a reason")
    receipt.status = Receipt.Status.CANCELLED
    receipt.cancelled_at = timezone.now()
    receipt.cancelled_by = by if by is not None and by.is_authenticated else None
    receipt.cancellation_reason = reason.strip()
    receipt.gifts_eligible = gifts_eligible
    receipt.pdf = pdf.render_receipt(receipt)
    receipt.save()
    receipt.donations.update(receipt=None)
    log_treasury(by, TreasuryLog.Action.CANCEL, f"{receipt.number}: {receipt.cancellation_reason}")
    return receipt


@transaction.atomic
def reissue_receipt(
    receipt: Receipt, *, reason: str, by=None, donor_details: dict | None = None
) -> Receipt | None:
    """Cancel a receipt and issue the corrected one, with a new number, referring to it.

    ``donor_details`` corrects the donor's name or address first. Gifts now wholly
    refunded are left out; when none is left there is no new receipt (None).
    """
    pks = list(receipt.donations.values_list("pk", flat=True))
    cancelled = _cancel(receipt, reason=reason, by=by, gifts_eligible=True)
    gifts = Donation.objects.filter(pk__in=pks).select_related("donor", "identity")
    if donor_details and pks:
        identities.correct_identity(list(gifts), donor_details)
    kept = [gift for gift in gifts.order_by("-paid_at", "-pk") if gift.amount_kept > 0]
    # One receipt per person (a summary issued before they were could cover several): the
    # person named by the latest gift's takes the cancelled one's place.
    first, *others = identities.by_person(kept) or [None]
    annual = receipt.kind == Receipt.Kind.ANNUAL
    corrected = issue_receipt(first, annual=annual, replaces=cancelled) if first else None
    if corrected is not None:
        log_treasury(by, TreasuryLog.Action.CORRECT, f"{cancelled.number} → {corrected.number}")
    _tell_cancelled(cancelled, corrected)
    for own in others:
        separate = issue_receipt(own, annual=annual)
        log_treasury(by, TreasuryLog.Action.CORRECT, f"{cancelled.number} → {separate.number}")
        _send_receipt_email(separate, "donations/emails/annual_receipt", language=own[0].language)
    return corrected


@dataclasses.dataclass
class AnnualRun:
    """What January's run issued: counts, not the receipts themselves (10 000 of them held
    until the end would weigh some 80 MB)."""

    year: int
    count: int = 0
    total: Decimal = Decimal("0.00")


def issue_annual_receipts(year: int) -> AnnualRun:
    """January's summary receipts: one per donor and per person their gifts name
    (``identities.by_person``) for the monthly gifts paid in ``year`` that have no receipt
    yet (a gift receipted on its own is never counted again).

    Each donor's receipts commit with their emails on their own: a run stopped half-way (a worker
    killed) is finished by running it again, which finds those donors' gifts receipted.
    """
    donor_ids = (
        _monthly_gifts_to_receipt(year).order_by("donor_id").values_list("donor_id", flat=True)
    )
    run = AnnualRun(year)
    for donor_id in list(dict.fromkeys(donor_ids)):
        for receipt in _issue_annual_receipts(year, donor_id):
            run.count += 1
            run.total += receipt.amount
    return run


def _monthly_gifts_to_receipt(year: int):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return Donation.objects.filter(
        status=Donation.Status.PAID,
        receipt__isnull=True,
        receipt_eligible=True,
        monthly_gift__isnull=False,
        paid_at__gte=start,
        paid_at__lt=end,
    )


@transaction.atomic
def _issue_annual_receipts(year: int, donor_id: int) -> list[Receipt]:
    # Locked and read again: a second run at the same time finds them receipted and skips.
    gifts = list(
        _monthly_gifts_to_receipt(year)
        .filter(donor_id=donor_id)
        .select_for_update(of=("self",))
        .select_related("donor", "identity")
        .order_by("paid_at", "pk")
    )
    receipts = []
    for own in identities.by_person(gifts):  # one email may carry several people's gifts
        receipt = issue_receipt(own, annual=True)
        _send_receipt_email(receipt, "donations/emails/annual_receipt", language=own[-1].language)
        receipts.append(receipt)
    return receipts


# --- Emails -----------------------------------------------------------------------------


@attachments.maker("receipt_pdf")
def _receipt_pdf_of(receipt_id: int) -> bytes:
    return receipt_pdf(Receipt.objects.get(pk=receipt_id))


def _receipt_attachment(receipt: Receipt) -> tuple[str, str, int]:
    """The receipt's PDF, made by the worker that delivers the email (see kiosque.attachments)."""
    return (f"recu-fiscal-{receipt.number}.pdf", "receipt_pdf", receipt.pk)


# Each email greets whom its gift or receipt names (the identity typed with the gift, the
# name frozen in the receipt), never the donor row's: anyone's paid gift under that email
# changes the row (see donations.identity).


def _thank_for(donation: Donation, receipt: Receipt | None) -> None:
    donor = donation.donor
    context = {
        "donation": donation,
        "first_name": identities.of_gift(donation).first_name,
        "receipt": receipt,
        "receipts_url": links.receipts_url(donor),
        "stop_url": links.stop_url(donation.monthly_gift) if donation.is_monthly else "",
        "association": get_association(),
    }
    send_templated_email(
        "donations/emails/thanks",
        to=donor.email,
        language=donation.language,
        context=context,
        attachments=[_receipt_attachment(receipt)] if receipt else (),
    )


def _send_receipt_email(receipt: Receipt, template: str, *, language: str) -> None:
    send_templated_email(
        template,
        to=receipt.donor.email,
        language=language,
        context={
            "receipt": receipt,
            "first_name": receipt.donor_first_names,
            "receipts_url": links.receipts_url(receipt.donor),
            "association": get_association(),
        },
        attachments=[_receipt_attachment(receipt)],
    )


def _tell_cancelled(cancelled: Receipt, corrected: Receipt | None) -> None:
    """Practice wants the donor told in writing; the corrected receipt comes with it."""
    donor = cancelled.donor
    send_templated_email(
        "donations/emails/receipt_cancelled",
        to=donor.email,
        language=donor.language,
        context={
            "cancelled": cancelled,
            "corrected": corrected,
            "first_name": (corrected or cancelled).donor_first_names,
            "receipts_url": links.receipts_url(donor),
            "association": get_association(),
        },
        attachments=[_receipt_attachment(corrected)] if corrected else (),
    )


# --- The treasurer's desk ---------------------------------------------------------------


def log_treasury(user, action: str, details: str = "") -> TreasuryLog:
    """Record an export or a cancellation in the treasurer's log (who, when, what)."""
    return TreasuryLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        details=details[:2000],
    )


@transaction.atomic
def request_receipts_archive(year: int, user) -> ReceiptArchive:
    """Start the ZIP of ``year``'s receipts, or return the one already under way (two clicks,
    two treasurers: one job). The job starts once this transaction commits."""
    running = ReceiptArchive.objects.filter(
        year=year, status__in=(ReceiptArchive.Status.PENDING, ReceiptArchive.Status.RUNNING)
    ).first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            archive = ReceiptArchive.objects.create(
                year=year,
                requested_by=user,
                total=Receipt.objects.filter(year=year).count(),
            )
    except IntegrityError:  # another request created it meanwhile
        return ReceiptArchive.objects.get(
            year=year, status__in=(ReceiptArchive.Status.PENDING, ReceiptArchive.Status.RUNNING)
        )
    log_treasury(user, TreasuryLog.Action.EXPORT_ZIP, f"year={year}")
    transaction.on_commit(lambda: _enqueue_archive(archive.pk))
    return archive


def _enqueue_archive(archive_id: int) -> None:
    from donations.tasks import build_receipts_archive

    build_receipts_archive.delay(archive_id)


def build_receipts_archive(archive_id: int, *, progress_every: int = 10) -> ReceiptArchive:
    """The Celery job: every receipt PDF of the year (cancelled ones too, stamped) into one
    ZIP in private storage, telling its progress as it goes."""
    archive = ReceiptArchive.objects.get(pk=archive_id)
    if archive.status == ReceiptArchive.Status.DONE:
        return archive
    receipts = Receipt.objects.filter(year=archive.year).order_by("sequence")
    ReceiptArchive.objects.filter(pk=archive.pk).update(
        status=ReceiptArchive.Status.RUNNING, total=receipts.count(), done=0
    )
    done = 0
    try:
        with tempfile.TemporaryFile() as out:
            # Stored, not deflated: a PDF's streams are compressed already. Deflate saved 5 %
            # of the size and took half the job's time (bench/export_memory.py).
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as bundle:
                for receipt in receipts.iterator(chunk_size=100):
                    bundle.writestr(f"recu-fiscal-{receipt.number}.pdf", receipt_pdf(receipt))
                    done += 1
                    if done % progress_every == 0:
                        ReceiptArchive.objects.filter(pk=archive.pk).update(done=done)
            out.seek(0)
            archive.file.save(f"recus-fiscaux-{archive.year}.zip", File(out), save=False)
    except Exception as error:
        ReceiptArchive.objects.filter(pk=archive.pk).update(
            status=ReceiptArchive.Status.FAILED, error=f"{type(error).__name__}: {error}"
        )
        raise
    ReceiptArchive.objects.filter(pk=archive.pk).update(
        status=ReceiptArchive.Status.DONE,
        done=done,
        file=archive.file.name,
        finished_at=timezone.now(),
    )
    archive.refresh_from_db()
    return archive


def purge_old_archives() -> int:
    """Archives are kept ``RECEIPTS_ARCHIVE_DAYS`` days, then their file is deleted."""
    limit = timezone.now() - datetime.timedelta(days=settings.KIOSQUE_RECEIPTS_ARCHIVE_DAYS)
    old = ReceiptArchive.objects.filter(finished_at__lt=limit).exclude(file="")
    count = 0
    for archive in old:
        archive.file.delete(save=False)
        ReceiptArchive.objects.filter(pk=archive.pk).update(file="")
        count += 1
    return count
