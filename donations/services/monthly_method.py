"""A running monthly gift's new card or bank account (a new SEPA mandate), entered by the donor
from a signed link: the same gift and subscription (same amount, same day, one receipt series)
paid from the next month on with the new method; a refused month still open is paid with it
now, and the gift recovers when that payment is recorded (monthly.record_paid_invoice)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from donations.models import Donation, MonthlyGift
from donations.services import monthly
from donations.services.mandates import record_monthly_method
from payments import facade, subscriptions
from payments.outcomes import NeedsAuthentication, Outcome, Refused, Subscribed

NOT_RUNNING = _(
    "This monthly gift has stopped: its card or bank account can no longer be changed. "
    "Nothing was charged."
)


def can_change_method(gift: MonthlyGift) -> bool:
    """Only a gift that runs has a method to change (a stopped one, or one that never
    started, has no subscription to pay)."""
    return gift.status == MonthlyGift.Status.ACTIVE and bool(gift.stripe_subscription_id)


def change_monthly_method(*, gift: MonthlyGift, setup_id: str) -> Outcome:
    """The method set up in the page (``setup_id``) pays the gift from now on. ``Refused``
    (the gift left as it was) if the gift no longer runs or the method is refused for the
    refused month it was entered for; StripeUnavailable: nothing was changed."""
    gift = MonthlyGift.objects.select_related("donor").get(pk=gift.pk)
    if not can_change_method(gift):
        return Refused(code="gift_not_running", message=str(NOT_RUNNING))
    # Read before anything changes at Stripe: Stripe out of reach here changes nothing.
    details = facade.describe_method(setup_id=setup_id)
    result = subscriptions.use_method(
        subscription_id=gift.stripe_subscription_id, setup_id=setup_id
    )
    if isinstance(result, Refused):
        return result
    # Before the refused month's payment is recorded: its donation and receipt name the new
    # method (and mandate). The old mandate stays with the gifts debited under it.
    with transaction.atomic():
        record_monthly_method(gift, details)
        _retried_with_new_method(gift, result)
        return _record_month(result)


def complete_monthly_method(*, gift: MonthlyGift) -> Outcome:
    """After 3-D Secure in the page for the refused month paid with the new card."""
    result = subscriptions.confirm_method(subscription_id=gift.stripe_subscription_id)
    return _record_month(result)


def _retried_with_new_method(gift: MonthlyGift, result: Outcome) -> None:
    """The refused month, recorded as failed, is tried again with the new method: its donation
    (and its receipt, once paid) says so."""
    invoice_id = ""
    if isinstance(result, Subscribed):
        first = result.first_invoice
        invoice_id = first.invoice_id if first is not None else result.pending_invoice_id
    if invoice_id:
        Donation.objects.filter(
            monthly_gift=gift, invoice_id=invoice_id, status=Donation.Status.FAILED
        ).update(method=gift.method, mandate=gift.mandate)


def _record_month(result: Subscribed | NeedsAuthentication) -> Outcome:
    if isinstance(result, Subscribed) and result.first_invoice is not None:
        # Paid at once: recorded now (Stripe's invoice.paid, later, finds it recorded), so
        # the gift shows recovered when the donor comes back to its page.
        monthly.record_paid_invoice(result.first_invoice)
    return result
