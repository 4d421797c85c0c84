"""Signed, expiring links that let a donor reach their receipts or stop a monthly gift
without an account."""

from django.conf import settings

from donations.models import Donor, MonthlyGift
from kiosque.links import signed_url, unsign

RECEIPTS_SALT = "kiosque.donations.receipts"
STOP_SALT = "kiosque.donations.stop-monthly-gift"


def receipts_url(donor: Donor) -> str:
    return signed_url("donations:donor-receipts", donor.pk, RECEIPTS_SALT)


def stop_url(gift: MonthlyGift) -> str:
    return signed_url("donations:stop-monthly-gift", gift.pk, STOP_SALT)


def manage_url(gift: MonthlyGift) -> str:
    """The donor's page of a monthly gift: how it is paid, its amount, pause, stop. Signed as
    the stop link is, so the links of earlier emails keep working."""
    return signed_url("donations:monthly-gift", gift.pk, STOP_SALT)


def payment_method_url(gift: MonthlyGift) -> str:
    """Where the donor enters a new card or bank account for a monthly gift, no account needed."""
    return signed_url("donations:monthly-payment-method", gift.pk, STOP_SALT)


def donor_of(token: str) -> Donor | None:
    """The donor a receipts link was made for, or None if it is forged or has expired."""
    pk = unsign(token, RECEIPTS_SALT, settings.KIOSQUE_DONOR_LINK_DAYS)
    return Donor.objects.filter(pk=pk).first() if pk else None


def monthly_gift_of(token: str) -> MonthlyGift | None:
    pk = unsign(token, STOP_SALT, settings.KIOSQUE_DONOR_LINK_DAYS)
    return MonthlyGift.objects.filter(pk=pk).select_related("donor").first() if pk else None
