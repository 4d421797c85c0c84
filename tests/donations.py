"""Helpers for the donations' tests: donors and paid gifts made directly in the database."""

import datetime
from decimal import Decimal

from django.utils import timezone

from donations.models import Donation, Donor, MonthlyGift


def make_donor(**changes) -> Donor:
    fields = {
        "email": "marie.curie@example.org",
        "first_name": "Marie Salomea",
        "last_name": "Curie",
        "line1": "36 quai de Béthune",
        "postcode": "75004",
        "city": "Paris",
        "country": "France",
    }
    fields.update(changes)
    return Donor.objects.create(**fields)


def paid_donation(donor: Donor, amount="50.00", *, paid_at=None, monthly_gift=None, **changes):
    fields = {"status": Donation.Status.PAID, "paid_at": paid_at or timezone.now()}
    fields.update(changes)
    return Donation.objects.create(
        donor=donor, amount=Decimal(amount), monthly_gift=monthly_gift, **fields
    )


def monthly_gift(donor: Donor, amount="10.00") -> MonthlyGift:
    return MonthlyGift.objects.create(
        donor=donor, amount=Decimal(amount), status=MonthlyGift.Status.ACTIVE
    )


def aware(year, month, day, hour=12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))
