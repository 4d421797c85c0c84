from celery import shared_task

from payments import card_attempts


@shared_task
def purge_card_attempts() -> int:
    """Card attempts keep a client's address and email only as long as they count."""
    return card_attempts.purge_old_attempts()
