"""Card testing through the client secret: a SetupIntent's (or a PaymentIntent's) client
secret lets a script confirm it at Stripe with card after card, without the site. So the
refusals are counted where they happen, from Stripe's signed events:

- each card form's SetupIntent is recorded with the client's address and the email
  (``record_setup``) when the site creates it;
- each ``setup_intent.setup_failed``, and each ``payment_intent.payment_failed`` of a payment
  charged to that SetupIntent's customer, counts one refusal against the attempt, the address
  and the email (``record_refusal``);
- after PAYMENT_INTENT_FAILURES_LIMIT refusals the intent is cancelled at Stripe; once the
  address or the email reaches PAYMENT_FAILURES_LIMIT in the window, every attempt of theirs
  still open is cancelled too (a tester may open many SetupIntents first), and new card
  forms answer 429 (payments.flow.PaymentFlowMixin.setup_response);
- a cancelled attempt's card is never charged by the site (``card_of_setup``, and
  ``card_of_token`` for one-off payments, whose page sends a card token instead of confirming
  the SetupIntent: one 3-D Secure challenge, at the payment), even where Stripe would let its
  SetupIntent be confirmed again (the stand-in does);
- a card the bank refuses when its token is saved on the attempt's customer sends no event:
  ``card_of_token`` counts that refusal itself.

Successful payments never count: an office paying many times from one address is not
blocked by its colleagues' purchases.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kiosque import ratelimit
from payments import events, gateway, webhooks
from payments.models import CardAttempt

logger = logging.getLogger(__name__)

# Refusals of payments charged later (a monthly gift's renewals) are the bank's business, not
# card testing: only payments within this time of the card being set up count.
CARD_TESTING_SESSION = datetime.timedelta(days=1)


def record_setup(*, setup_intent_id: str, customer_id: str, client_ip: str, email: str) -> None:
    CardAttempt.objects.create(
        setup_intent_id=setup_intent_id,
        customer_id=customer_id or "",
        client_ip=client_ip[:64],
        email=email.strip().lower(),
    )


def card_of_setup(setup_intent_id: str) -> tuple[str, str]:
    """The (customer, payment method) of a SetupIntent the page confirmed (see
    gateway.card_of_setup), unless it was cancelled for too many refusals."""
    if CardAttempt.objects.filter(
        setup_intent_id=setup_intent_id, canceled_at__isnull=False
    ).exists():
        raise gateway.CardPaymentFailed(ratelimit.too_many_attempts_message(), "too_many_attempts")
    return gateway.card_of_setup(setup_intent_id)


def card_of_token(setup_intent_id: str, token: str) -> tuple[str, str]:
    """The (customer, card) of a one-off payment's card, which the page turned into a token
    (Stripe.js ``createToken``) instead of confirming the attempt's SetupIntent: the card is
    saved on the attempt's customer, unless the attempt was cancelled for too many refusals.
    The bank refusing the card there sends no event: the refusal is counted here."""
    attempt = CardAttempt.objects.filter(setup_intent_id=setup_intent_id).first()
    if attempt is None or not attempt.customer_id:
        raise gateway.CardPaymentFailed(str(gateway.CARD_DECLINED), "no_attempt")
    if attempt.canceled_at is not None:
        raise gateway.CardPaymentFailed(ratelimit.too_many_attempts_message(), "too_many_attempts")
    try:
        card_id = gateway.card_of_token(attempt.customer_id, token)
    except gateway.StripeUnavailable:
        raise
    except gateway.CardPaymentFailed:
        with transaction.atomic():
            locked = CardAttempt.objects.select_for_update().get(pk=attempt.pk)
            _count_refusal(locked, payment=None)
        raise
    return attempt.customer_id, card_id


@webhooks.handles(events.SetupFailed, events.PaymentFailed)
@transaction.atomic
def record_refusal(refusal: events.SetupFailed | events.PaymentFailed) -> None:
    """Count Stripe's refusal of a set-up or of a payment. What the site did not set up for a
    card form is left alone."""
    is_setup = isinstance(refusal, events.SetupFailed)
    if is_setup:
        attempts = CardAttempt.objects.filter(setup_intent_id=refusal.setup_id)
    else:
        if not refusal.customer_id:
            return
        attempts = CardAttempt.objects.filter(customer_id=refusal.customer_id)
    attempt = (
        attempts.filter(created_at__gte=timezone.now() - CARD_TESTING_SESSION)
        .select_for_update()
        .first()
    )
    if attempt is None:
        return
    _count_refusal(attempt, payment=None if is_setup else refusal)


def _count_refusal(attempt: CardAttempt, *, payment: events.PaymentFailed | None) -> None:
    """One more refusal against the (locked) attempt, its address and its email."""
    CardAttempt.objects.filter(pk=attempt.pk).update(failures=F("failures") + 1)
    attempt.refresh_from_db(fields=["failures"])
    exhausted = ratelimit.count_card_failure(ip=attempt.client_ip, email=attempt.email)
    if attempt.failures >= settings.KIOSQUE_PAYMENT_INTENT_FAILURES_LIMIT:
        if payment is not None:
            _cancel_payment(payment)
        _cancel(attempt)
    if exhausted:
        _cancel_open_attempts(client_ip=attempt.client_ip, email=attempt.email)


def _cancel(attempt: CardAttempt) -> None:
    updated = CardAttempt.objects.filter(pk=attempt.pk, canceled_at__isnull=True).update(
        canceled_at=timezone.now()
    )
    if not updated:
        return
    try:
        gateway.cancel_setup_intent(attempt.setup_intent_id)
    except gateway.CardPaymentFailed as error:
        # Already used, or Stripe unreachable: the site refuses its card all the same.
        logger.info("SetupIntent %s not cancelled at Stripe: %s", attempt.setup_intent_id, error)


def _cancel_payment(refusal: events.PaymentFailed) -> None:
    if refusal.invoice_id or not refusal.awaiting_payer:
        return  # an invoice's payment is the subscription's, and a paid one stays paid
    try:
        gateway.cancel_payment_intent(refusal.payment_id)
    except gateway.CardPaymentFailed as error:
        logger.info("PaymentIntent %s not cancelled at Stripe: %s", refusal.payment_id, error)


def _cancel_open_attempts(*, client_ip: str, email: str) -> None:
    window = datetime.timedelta(seconds=settings.KIOSQUE_PAYMENT_ATTEMPTS_WINDOW)
    same_client = Q(client_ip=client_ip) if client_ip else Q(pk__in=[])
    if email:
        same_client |= Q(email=email)
    open_attempts = CardAttempt.objects.filter(
        same_client, canceled_at__isnull=True, created_at__gte=timezone.now() - window
    )
    for attempt in open_attempts:
        _cancel(attempt)


def purge_old_attempts() -> int:
    """Forget the client addresses and emails once they can no longer count (nightly)."""
    deleted, _ = CardAttempt.objects.filter(
        created_at__lt=timezone.now() - CARD_TESTING_SESSION
    ).delete()
    return deleted
