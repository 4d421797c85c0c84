from celery import shared_task
from django.utils import timezone

from donations import services


@shared_task
def issue_annual_receipts(year: int | None = None) -> int:
    """January's batch: summary receipts of last year's monthly gifts (see the beat schedule)."""
    year = year or timezone.localdate().year - 1
    return len(services.issue_annual_receipts(year))
