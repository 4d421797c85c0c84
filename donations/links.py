"""Signed, expiring links that let a donor reach their receipts or stop a monthly gift
without an account: the signature is the proof that the link came in their email."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from donations.models import Donor, MonthlyGift

RECEIPTS_SALT = "kiosque.donations.receipts"
STOP_SALT = "kiosque.donations.stop-monthly-gift"


def _max_age() -> int:
    return settings.KIOSQUE_DONOR_LINK_DAYS * 24 * 3600


def _sign(value: int, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(str(value))


def _unsign(token: str, salt: str) -> int | None:
    try:
        return int(signing.TimestampSigner(salt=salt).unsign(token, max_age=_max_age()))
    except (signing.BadSignature, ValueError):
        return None


def receipts_url(donor: Donor) -> str:
    path = reverse("donations:donor-receipts", kwargs={"token": _sign(donor.pk, RECEIPTS_SALT)})
    return f"{settings.SITE_URL}{path}"


def stop_url(gift: MonthlyGift) -> str:
    path = reverse("donations:stop-monthly-gift", kwargs={"token": _sign(gift.pk, STOP_SALT)})
    return f"{settings.SITE_URL}{path}"


def donor_of(token: str) -> Donor | None:
    """The donor a receipts link was made for, or None if it is forged or has expired."""
    pk = _unsign(token, RECEIPTS_SALT)
    return Donor.objects.filter(pk=pk).first() if pk else None


def monthly_gift_of(token: str) -> MonthlyGift | None:
    pk = _unsign(token, STOP_SALT)
    return MonthlyGift.objects.filter(pk=pk).select_related("donor").first() if pk else None
