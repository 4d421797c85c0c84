"""One-off gifts: a payment through payments.facade (same page script as the shop's checkout).

A donation is ``paid`` only on Stripe's word, once: the donation's row lock makes the browser
and the webhooks, in whatever order and number they come, record it once.
"""

from decimal import Decimal

from django.db import transaction

from donations import identity as identities
from donations.models import Donation, Donor, GiftIdentity
from donations.services.mandates import record_donation_method
from donations.services.notifications import tell_debit_started, thank_for
from donations.services.receipts import issue_receipt
from payments import facade, gateway, methods
from payments.outcomes import Outcome, Paid, Processing, Refused

# Metadata that marks our payments at Stripe as gifts (the shop's orders use "kiosque_order").
ONE_OFF_PURPOSE = "kiosque_donation"


def start_one_off_donation(
    *,
    donor: Donor,
    amount: Decimal,
    language: str,
    identity: GiftIdentity | None = None,
    placed_by=None,
) -> Donation:
    """``placed_by``: the account signed in, which sees this gift before verifying its email."""
    identity = identity or identities.current_identity(donor)
    return Donation.objects.create(
        donor=donor, amount=amount, language=language, identity=identity, placed_by=placed_by
    )


def is_one_off_payment(metadata) -> bool:
    return metadata.get("purpose") == ONE_OFF_PURPOSE and bool(metadata.get("donation"))


def charge_donation(
    donation: Donation,
    setup_id: str,
    *,
    token: str = "",
    method: methods.PaymentMethod = methods.CARD,
) -> Outcome:
    """Charge the card the page sent as ``token`` (or the card or SEPA account it set up) on
    the ``setup_id`` attempt's customer (StripeUnavailable: nothing charged). A debit is
    ``Processing``: the gift waits, without a receipt, for the bank's word (the webhook)."""
    try:
        if method is methods.SEPA_DEBIT:
            # Before the payment, which the stand-in (unlike Stripe) may report paid at once:
            # its receipt says "prélèvement".
            record_donation_method(donation, facade.describe_method(setup_id=setup_id))
        result = facade.charge(
            setup_id=setup_id,
            token=token,
            method=method,
            amount=donation.amount,
            metadata={"purpose": ONE_OFF_PURPOSE, "donation": str(donation.pk)},
            idempotency_key=f"kiosque-donation-{donation.pk}",
        )
    except gateway.StripeUnavailable as failure:
        _record_failure(donation, failure.code)
        raise
    if isinstance(result, Refused) and not result.payment_id:
        _record_failure(donation, result.code)
        return result
    Donor.objects.filter(pk=donation.donor_id).update(stripe_customer_id=result.customer_id)
    Donation.objects.filter(pk=donation.pk, payment_intent_id=None).update(
        payment_intent_id=result.payment_id
    )
    donation.payment_intent_id = result.payment_id
    return _follow(donation, result)


def complete_donation_payment(donation: Donation) -> Outcome:
    """After 3-D Secure in the page: where the payment stands now."""
    return _follow(donation, facade.confirm(payment_id=donation.payment_intent_id))


def _follow(donation: Donation, result: Outcome) -> Outcome:
    if isinstance(result, Paid):
        record_paid_donation(result)
    elif isinstance(result, Refused):
        _record_failure(donation, result.code)
    elif isinstance(result, Processing) and donation.method == Donation.Method.DIRECT_DEBIT:
        record_debit_started(donation)
    # NeedsAuthentication (3-D Secure in the page) or Processing (the webhook tells).
    return result


@transaction.atomic
def record_debit_started(donation: Donation) -> None:
    """A debit sent to the bank: pending, no receipt; the donor is told when to expect it."""
    started = Donation.objects.filter(pk=donation.pk, status=Donation.Status.PENDING).update(
        status=Donation.Status.PROCESSING
    )
    if started:
        donation.refresh_from_db()
        tell_debit_started(donation)


def _record_failure(donation: Donation, code: str) -> None:
    # A debit in progress fails when the bank refuses it, days later.
    awaiting = (Donation.Status.PENDING, Donation.Status.PROCESSING)
    Donation.objects.filter(pk=donation.pk, status__in=awaiting).update(
        status=Donation.Status.FAILED, error_code=code[:255]
    )


@transaction.atomic
def record_failed_donation(*, metadata: dict, code: str) -> Donation | None:
    """Mark a one-off gift's payment failed. Returns the donation when it was a debit in
    progress (its donor was told it was on its way, and is to be told it failed); None for a
    card refused in the page (the page said so), or a gift paid or failed already."""
    if not is_one_off_payment(metadata):
        return None
    donation = Donation.objects.select_for_update().filter(pk=int(metadata["donation"])).first()
    if donation is None or donation.status not in (
        Donation.Status.PENDING,
        Donation.Status.PROCESSING,
    ):
        return None
    was_debiting = donation.status == Donation.Status.PROCESSING
    donation.status = Donation.Status.FAILED
    donation.error_code = code[:255]
    donation.save(update_fields=["status", "error_code"])
    return donation if was_debiting else None


@transaction.atomic
def record_paid_donation(paid: Paid) -> Donation | None:
    """Record the one-off gift a payment paid, once; None if not a gift's."""
    if not is_one_off_payment(paid.metadata):
        return None
    donation = Donation.objects.select_for_update().get(pk=int(paid.metadata["donation"]))
    given_back = (Donation.Status.REFUNDED, Donation.Status.DISPUTED)
    if donation.status in given_back and donation.paid_at is None:
        # The refund or the bank's reversal was told first: the gift was paid, then given
        # or taken back; no receipt.
        donation.paid_at = paid.paid_at
        donation.save(update_fields=["paid_at"])
    if donation.status in (Donation.Status.PAID, *given_back):
        return donation
    donation.status = Donation.Status.PAID
    donation.payment_intent_id = paid.payment_id
    donation.amount = paid.amount
    donation.paid_at = paid.paid_at
    donation.error_code = ""
    donation.save()
    identities.adopt_paid_identity(donation)
    thank_for(donation, issue_receipt([donation]))
    return donation
