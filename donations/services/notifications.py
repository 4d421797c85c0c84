"""The donor's emails: thanks, receipts, cancellations.

Each email greets whom its gift or receipt names (the identity typed with the gift, the
name frozen in the receipt), never the donor row's: anyone's paid gift under that email
changes the row (see donations.identity).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from donations import identity as identities
from donations import links
from donations.models import Donation, Receipt
from donations.selectors import get_association
from donations.services.mandates import debit_expected_on
from kiosque.services import send_templated_email
from kiosque.treasurers import tell_treasurers


def _receipt_attachment(receipt: Receipt) -> tuple[str, str, int]:
    """The receipt's PDF, made by the worker that delivers the email (see kiosque.attachments)."""
    return (f"recu-fiscal-{receipt.number}.pdf", "receipt_pdf", receipt.pk)


def thank_for(donation: Donation, receipt: Receipt | None) -> None:
    donor = donation.donor
    context = {
        "donation": donation,
        "first_name": identities.of_gift(donation).first_name,
        "receipt": receipt,
        "receipts_url": links.receipts_url(donor),
        "stop_url": links.stop_url(donation.monthly_gift) if donation.is_monthly else "",
        "manage_url": links.manage_url(donation.monthly_gift) if donation.is_monthly else "",
        "association": get_association(),
    }
    send_templated_email(
        "donations/emails/thanks",
        to=donor.email,
        language=donation.language,
        context=context,
        attachments=[_receipt_attachment(receipt)] if receipt else (),
    )


def tell_debit_started(donation: Donation) -> None:
    """A SEPA debit sent: not money until the bank says so, hence no receipt yet."""
    donor = donation.donor
    send_templated_email(
        "donations/emails/debit_started",
        to=donor.email,
        language=donation.language,
        context={
            "donation": donation,
            "first_name": identities.of_gift(donation).first_name,
            "expected_on": debit_expected_on(),
            "mandate": donation.mandate,
            "manage_url": links.manage_url(donation.monthly_gift) if donation.is_monthly else "",
            "association": get_association(),
        },
    )


def send_receipt_email(receipt: Receipt, template: str, *, language: str) -> None:
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


def tell_cancelled(cancelled: Receipt, corrected: Receipt | None) -> None:
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


def tell_treasurer(template: str, context: dict) -> None:
    """Email the treasury (kiosque.treasurers) what a dispute changed, with the journal's link."""
    with translation.override(settings.LANGUAGE_CODE):
        log_url = settings.SITE_URL + reverse("donations-dashboard:log")
    context = {**context, "association": get_association(), "log_url": log_url}
    tell_treasurers(template, context=context)


def tell_payment_restored(donation: Donation, receipt: Receipt | None) -> None:
    """A payment the bank had taken back came back (a dispute won): the donor's new receipt."""
    send_templated_email(
        "donations/emails/payment_restored",
        to=donation.donor.email,
        language=donation.language,
        context={
            "donation": donation,
            "receipt": receipt,
            "first_name": identities.of_gift(donation).first_name,
            "receipts_url": links.receipts_url(donation.donor),
            "association": get_association(),
        },
        attachments=[_receipt_attachment(receipt)] if receipt else (),
    )
