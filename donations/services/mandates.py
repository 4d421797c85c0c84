"""How a gift is paid, as the donor's pages and receipts say it: the card, or the SEPA mandate
the donor accepted in the page (kept with the gift)."""

import datetime

from django.utils import timezone

from donations.models import Donation, Donor, Mandate, MonthlyGift
from payments.outcomes import MethodDetails


def mandate_for(*, donor: Donor, details: MethodDetails) -> Mandate | None:
    """The donor's mandate for a SEPA method the page set up, recorded once; None for a card."""
    if details.stripe_type != "sepa_debit":
        return None
    mandate, _created = Mandate.objects.get_or_create(
        donor=donor,
        stripe_payment_method_id=details.method_id,
        defaults={
            "reference": details.mandate_reference[:64],
            "signed_at": details.mandate_signed_at,
            "account_holder": details.account_holder[:200],
            "account_label": details.label[:64],
        },
    )
    return mandate


def method_of(details: MethodDetails) -> str:
    if details.stripe_type == "sepa_debit":
        return Donation.Method.DIRECT_DEBIT
    return Donation.Method.CARD


def record_donation_method(donation: Donation, details: MethodDetails) -> None:
    """Before the payment: its receipt and emails name how it was paid."""
    donation.method = method_of(details)
    donation.mandate = mandate_for(donor=donation.donor, details=details)
    Donation.objects.filter(pk=donation.pk).update(method=donation.method, mandate=donation.mandate)


def record_monthly_method(gift: MonthlyGift, details: MethodDetails) -> None:
    """The method every later month is paid with (a new card or account replaces it)."""
    gift.method = method_of(details)
    gift.mandate = mandate_for(donor=gift.donor, details=details)
    gift.payment_label = details.label[:64]
    MonthlyGift.objects.filter(pk=gift.pk).update(
        method=gift.method, mandate=gift.mandate, payment_label=gift.payment_label
    )


# A SEPA Core debit reaches the donor's account a few business days after it is sent.
DEBIT_BUSINESS_DAYS = 5


def debit_expected_on(start: datetime.datetime | None = None) -> datetime.date:
    """Roughly when a debit sent at ``start`` shows on the donor's statement (weekends
    skipped; bank holidays not counted: "around")."""
    day = timezone.localdate(start or timezone.now())
    remaining = DEBIT_BUSINESS_DAYS
    while remaining:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day
