"""The emails of refused payments and of upcoming debits: to the donor, in their language,
and to the treasury (kiosque.treasurers), in the site's.

A refused payment's email never promises a receipt; it gives the signed link where the donor
enters new bank details or a card (no account needed). SEPA requires that the donor be told
each debit's amount and date beforehand: ``announce_upcoming_debit`` does it from Stripe's
``invoice.upcoming`` (see the README: Stripe's own SEPA emails may then stay off).
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from donations import identity as identities
from donations import links
from donations.models import Donation, MonthlyGift
from donations.selectors import get_association
from kiosque.services import send_templated_email
from kiosque.treasurers import tell_treasurers
from payments import events


def _site_url(url_name: str, **kwargs) -> str:
    return f"{settings.SITE_URL}{reverse(url_name, kwargs=kwargs or None)}"


def _donor_context(gift_or_donation, **extra) -> dict:
    return {
        "first_name": identities.of_gift(gift_or_donation).first_name,
        "association": get_association(),
        "donate_url": _site_url("donations:donate"),
        **extra,
    }


def tell_donor_refused(gift: MonthlyGift, donation: Donation) -> None:
    """A month refused: what failed, that nothing is receipted for it, the link to pay
    again, and how many refusals more stop the gift."""
    send_templated_email(
        "donations/emails/payment_refused",
        to=gift.donor.email,
        language=gift.language,
        context=_donor_context(
            gift,
            gift=gift,
            donation=donation,
            is_debit=donation.method == Donation.Method.DIRECT_DEBIT,
            method_url=links.payment_method_url(gift),
            manage_url=links.manage_url(gift),
            tries_left=max(MonthlyGift.FAILURES_BEFORE_STOP - gift.failed_payments, 0),
        ),
    )


def tell_donor_stopped(gift: MonthlyGift, donation: Donation) -> None:
    send_templated_email(
        "donations/emails/monthly_gift_stopped",
        to=gift.donor.email,
        language=gift.language,
        context=_donor_context(
            gift,
            gift=gift,
            donation=donation,
            is_debit=donation.method == Donation.Method.DIRECT_DEBIT,
        ),
    )


def tell_donor_debit_failed(donation: Donation) -> None:
    """A one-off gift's debit returned: nothing is receipted; giving again by card."""
    send_templated_email(
        "donations/emails/debit_failed",
        to=donation.donor.email,
        language=donation.language,
        context=_donor_context(donation, donation=donation),
    )


def _treasury_context(donation: Donation, **extra) -> dict:
    return {
        "donation": donation,
        "gift": donation.monthly_gift,
        "identity": identities.of_gift(donation),
        "donor_email": donation.donor.email,  # whom the desk searches by
        "donor_url": _site_url("donations-dashboard:donor", pk=donation.donor_id),
        "failed_url": _site_url("donations-dashboard:donations") + "?status=failed",
        "gifts_url": _site_url("donations-dashboard:monthly-gifts"),
        **extra,
    }


def tell_treasury_failed(donation: Donation) -> None:
    tell_treasurers("donations/emails/treasury_payment_failed", context=_treasury_context(donation))


def tell_treasury_stopped(gift: MonthlyGift, donation: Donation) -> None:
    tell_treasurers(
        "donations/emails/treasury_gift_stopped",
        context=_treasury_context(donation, stopped=gift),
    )


def announce_upcoming_debit(upcoming: events.InvoiceUpcoming) -> bool:
    """SEPA's pre-notification: the amount, the date, the mandate and the creditor, for a
    gift paid by direct debit that will be debited (cards: nothing). True if sent."""
    gift = (
        MonthlyGift.objects.filter(stripe_subscription_id=upcoming.subscription_id)
        .select_related("donor", "mandate", "identity")
        .first()
    )
    if gift is None or not upcoming.amount or not _will_be_debited(gift, upcoming.due_at):
        return False
    send_templated_email(
        "donations/emails/debit_notice",
        to=gift.donor.email,
        language=gift.language,
        context=_donor_context(
            gift,
            gift=gift,
            amount=upcoming.amount,
            due_on=timezone.localdate(upcoming.due_at),
            mandate=gift.mandate,
            manage_url=links.manage_url(gift),
        ),
    )
    return True


def _will_be_debited(gift: MonthlyGift, due_at: datetime.datetime) -> bool:
    paused = gift.paused_until is not None and gift.paused_until >= timezone.localdate(due_at)
    return (
        gift.method == Donation.Method.DIRECT_DEBIT
        and gift.status == MonthlyGift.Status.ACTIVE
        and not paused
    )
