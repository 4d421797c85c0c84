from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kiosque.models import OutboxEmail


def emails_awaiting_delivery(older_than: timedelta = timedelta(minutes=2)) -> QuerySet:
    """Ids of unsent, not given-up emails old enough that their own task should have run."""
    return (
        OutboxEmail.objects.filter(
            sent_at__isnull=True,
            failed_at__isnull=True,
            created_at__lt=timezone.now() - older_than,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
