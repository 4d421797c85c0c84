"""Tax receipts: issued, cancelled, corrected.

Receipts are numbered without gaps per civil year: the year's ``ReceiptSequence`` row stays
locked until the issuing transaction commits.
"""

import base64
import mimetypes
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from donations import identity as identities
from donations import pdf
from donations.models import Association, Donation, Receipt, ReceiptSequence, TreasuryLog
from donations.selectors import get_association
from donations.services.notifications import send_receipt_email, tell_cancelled
from donations.services.treasury import log_treasury
from kiosque import attachments


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


@attachments.maker("receipt_pdf")
def _receipt_pdf_of(receipt_id: int) -> bytes:
    return receipt_pdf(Receipt.objects.get(pk=receipt_id))


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
    tell_cancelled(cancelled, None)
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
    refunded or taken back by the bank are left out; when none is left there is no new
    receipt (None).
    """
    pks = list(receipt.donations.values_list("pk", flat=True))
    cancelled = _cancel(receipt, reason=reason, by=by, gifts_eligible=True)
    gifts = Donation.objects.filter(pk__in=pks).select_related("donor", "identity")
    if donor_details and pks:
        identities.correct_identity(list(gifts), donor_details)
    # Not a gift any more: wholly refunded, or taken back by the bank (a dispute).
    kept = [
        gift
        for gift in gifts.order_by("-paid_at", "-pk")
        if gift.status == Donation.Status.PAID and gift.amount_kept > 0
    ]
    # One receipt per person (a summary issued before they were could cover several): the
    # person named by the latest gift's takes the cancelled one's place.
    first, *others = identities.by_person(kept) or [None]
    annual = receipt.kind == Receipt.Kind.ANNUAL
    corrected = issue_receipt(first, annual=annual, replaces=cancelled) if first else None
    if corrected is not None:
        log_treasury(by, TreasuryLog.Action.CORRECT, f"{cancelled.number} → {corrected.number}")
    tell_cancelled(cancelled, corrected)
    for own in others:
        separate = issue_receipt(own, annual=annual)
        log_treasury(by, TreasuryLog.Action.CORRECT, f"{cancelled.number} → {separate.number}")
        send_receipt_email(separate, "donations/emails/annual_receipt", language=own[0].language)
    return corrected
