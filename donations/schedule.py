"""A monthly gift's schedule as its donor's page shows it: its state, when it is next paid.
Reads only (the changes: donations.services.monthly_schedule)."""

import calendar

from django.utils import timezone

from donations.models import MonthlyGift

PAUSE_MONTHS = (1, 2, 3)


def add_months(value, months: int, day: int | None = None):
    """The same day ``months`` later (a date or a datetime); the month's last day when it has
    no such day (31 January + 1 = 28 or 29 February), as Stripe's monthly cycle does.
    ``day``: the day of the month to land on instead of ``value``'s (a gift's own day, when
    ``value`` is already a short month's last day)."""
    month = value.month - 1 + months
    year, month = value.year + month // 12, month % 12 + 1
    day = min(day or value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def debit_day(gift: MonthlyGift, at) -> int:
    """The gift's own day of the month (the day it started, as ``at``'s clock reads it): a
    debit moved to a short month's last day goes back to it the month after."""
    if gift.started_at is None:
        return at.day
    return gift.started_at.astimezone(at.tzinfo).day


def is_running(gift: MonthlyGift) -> bool:
    """Still charged every month (or paused): what the donor may change, pause or stop."""
    return gift.status == MonthlyGift.Status.ACTIVE and bool(gift.stripe_subscription_id)


def is_paused(gift: MonthlyGift) -> bool:
    return gift.paused_until is not None and gift.paused_until > timezone.localdate()


def is_lapsed(gift: MonthlyGift) -> bool:
    """Its latest payment was refused and none went through since."""
    if gift.lapsed_at is None:
        return False
    return gift.recovered_at is None or gift.recovered_at < gift.lapsed_at


def state(gift: MonthlyGift) -> str:
    """One of: "stopped", "pending" (never started), "lapsed", "paused", "active"."""
    if gift.status == MonthlyGift.Status.STOPPED:
        return "stopped"
    if gift.status != MonthlyGift.Status.ACTIVE:
        return "pending"
    if is_lapsed(gift):
        return "lapsed"
    if is_paused(gift):
        return "paused"
    return "active"
