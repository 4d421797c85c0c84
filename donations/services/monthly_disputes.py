"""A monthly gift whose month the donor's bank took back (a SEPA debit reversed, often
"debit not authorised"; a card payment disputed) is stopped: debiting it again would be
refused or disputed again. Called through ``donations.signals.monthly_gift_disputed`` (the
disputes service cannot import the monthly one, which imports it)."""

from django.db import transaction

from donations.models import MonthlyGift
from donations.services.monthly import stop_monthly_gift

# The gift's error code once stopped for a dispute (donations.refusals labels it).
STOPPED_AFTER_DISPUTE = "payment_disputed"


@transaction.atomic
def stop_disputed_gift(*, gift: MonthlyGift) -> MonthlyGift:
    """Its Stripe subscription cancelled (StripeUnavailable: nothing changed, the webhook is
    retried), the gift stopped, the dispute its reason. A gift stopped already is left."""
    if gift.status == MonthlyGift.Status.STOPPED:
        return gift
    gift = stop_monthly_gift(gift)
    MonthlyGift.objects.filter(pk=gift.pk).update(
        error_code=STOPPED_AFTER_DISPUTE, paused_until=None
    )
    gift.refresh_from_db()
    return gift
