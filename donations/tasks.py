from celery import shared_task
from django.utils import timezone

from donations.services import annual, archives


@shared_task
def issue_annual_receipts(year: int | None = None) -> int:
    """January's batch: summary receipts of last year's monthly gifts (see the beat schedule)."""
    year = year or timezone.localdate().year - 1
    return annual.issue_annual_receipts(year).count


@shared_task(acks_late=True)
def build_receipts_archive(archive_id: int) -> int:
    return archives.build_receipts_archive(archive_id).done


@shared_task
def purge_old_archives() -> int:
    return archives.purge_old_archives()
