"""The donor changes their monthly gift's schedule from its page: its amount, a pause of one
to three months, resuming early. Stripe first, then our row, in one transaction under the
gift's row lock: if Stripe fails, nothing changed; a second submit waits for the first and
finds nothing left to do (no second call to Stripe)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from donations import schedule
from donations.models import MonthlyGift
from payments import subscription_schedule


class ScheduleRefused(Exception):
    """The gift cannot take this change; ``message`` tells the donor why, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _locked_running(gift: MonthlyGift) -> MonthlyGift:
    gift = MonthlyGift.objects.select_for_update().get(pk=gift.pk)
    if gift.status == MonthlyGift.Status.STOPPED:
        raise ScheduleRefused(_("This monthly gift is stopped: it can no longer be changed."))
    if not schedule.is_running(gift):
        raise ScheduleRefused(_("This monthly gift has not started."))
    return gift


@transaction.atomic
def change_monthly_amount(*, gift: MonthlyGift, amount: Decimal) -> MonthlyGift:
    """From the next debit, on the same day of the month; nothing billed for the current one.
    StripeUnavailable: nothing changed."""
    gift = _locked_running(gift)
    if gift.amount == amount:
        return gift  # a second submit of the same change
    subscription_schedule.change_amount(subscription_id=gift.stripe_subscription_id, amount=amount)
    gift.amount = amount
    gift.save(update_fields=["amount"])
    return gift


@transaction.atomic
def pause_monthly_gift(*, gift: MonthlyGift, months: int) -> MonthlyGift:
    """Skip the next ``months`` debits; the gift resumes by itself on the same day of the
    month (``paused_until``, the day of its next debit). StripeUnavailable: nothing changed."""
    if months not in schedule.PAUSE_MONTHS:
        raise ValueError(f"A pause of {months} months")
    gift = _locked_running(gift)
    if schedule.is_paused(gift):
        raise ScheduleRefused(
            _("This monthly gift is already paused until %(date)s.")
            % {"date": _date(gift.paused_until)}
        )
    if schedule.is_lapsed(gift):
        raise ScheduleRefused(
            _("The latest payment of this gift was refused: update how it is paid first.")
        )
    subscription_id = gift.stripe_subscription_id
    next_at = subscription_schedule.next_payment_at(subscription_id=subscription_id)
    if next_at is None:
        raise ScheduleRefused(_("This monthly gift cannot be paused just now."))
    resumes_at = schedule.add_months(next_at, months, day=schedule.debit_day(gift, next_at))
    subscription_schedule.charge_next_at(subscription_id=subscription_id, at=resumes_at)
    gift.paused_until = timezone.localdate(resumes_at)
    gift.save(update_fields=["paused_until"])
    return gift


@transaction.atomic
def resume_monthly_gift(*, gift: MonthlyGift) -> MonthlyGift:
    """End a pause early: the next debit comes on the first of its days (the pause's day of
    the month) still ahead, never at once. StripeUnavailable: nothing changed."""
    gift = _locked_running(gift)
    if not schedule.is_paused(gift):
        return gift  # a second submit, or the pause is over
    subscription_id = gift.stripe_subscription_id
    resumes_at = subscription_schedule.next_payment_at(subscription_id=subscription_id)
    if resumes_at is None:
        raise ScheduleRefused(_("This monthly gift cannot be resumed just now."))
    earlier = _first_ahead(resumes_at, day=schedule.debit_day(gift, resumes_at))
    if earlier < resumes_at:
        subscription_schedule.charge_next_at(subscription_id=subscription_id, at=earlier)
    gift.paused_until = None
    gift.save(update_fields=["paused_until"])
    return gift


def _first_ahead(resumes_at: datetime.datetime, *, day: int) -> datetime.datetime:
    """The earliest of resumes_at, one month before, two months before... still in the
    future (a day ahead at least: Stripe wants a trial's end in the future), each on the
    gift's own ``day`` (resumes_at may be a short month's last day, not its day)."""
    soonest = timezone.now() + datetime.timedelta(days=1)
    months = 0
    while schedule.add_months(resumes_at, -(months + 1), day=day) > soonest:
        months += 1
    return schedule.add_months(resumes_at, -months, day=day) if months else resumes_at


def _date(value: datetime.date) -> str:
    return date_format(value, "j F Y")
