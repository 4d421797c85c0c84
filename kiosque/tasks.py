import datetime
import logging

from celery import shared_task
from django.conf import settings

from kiosque import selectors, services

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=settings.KIOSQUE_EMAIL_RETRY_BACKOFF,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=settings.KIOSQUE_EMAIL_MAX_RETRIES,
)
def deliver_email(self, email_id: int, accepted_at: str | None = None) -> bool:
    """Deliver an outbox email; once the mail server accepted it (``accepted_at``), the
    retries only record it: the email is never sent twice."""
    try:
        if accepted_at is not None:
            sent_at = datetime.datetime.fromisoformat(accepted_at)
            return services.record_sent(email_id, sent_at=sent_at)
        return services.deliver_email(email_id)
    except services.SentButNotRecorded as exc:
        raise self.retry(
            kwargs={"email_id": email_id, "accepted_at": exc.accepted_at.isoformat()},
            exc=exc,
            countdown=settings.KIOSQUE_EMAIL_RETRY_BACKOFF,
        ) from None
    except Exception:
        if self.request.retries >= self.max_retries:
            if accepted_at is not None:
                logger.error(
                    "Email %s was sent at %s; it could not be recorded", email_id, accepted_at
                )
            else:
                # The last try failed: make it visible to staff instead of losing it.
                services.record_delivery_failure(email_id)
        raise


@shared_task
def flush_email_outbox() -> int:
    """Enqueue the emails left in the outbox (e.g. the broker was down at commit time)."""
    email_ids = list(selectors.emails_awaiting_delivery())
    for email_id in email_ids:
        deliver_email.delay(email_id)
    return len(email_ids)


def enqueue_delivery(email_id: int) -> None:
    try:
        deliver_email.delay(email_id)
    except Exception:
        # The broker is unreachable: the email stays in the outbox and the periodic
        # flush_email_outbox task sends it once the broker is back.
        logger.exception("Could not enqueue email %s; left in the outbox", email_id)
