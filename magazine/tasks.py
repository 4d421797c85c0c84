from celery import shared_task

from magazine import services


@shared_task
def send_renewal_reminders() -> int:
    """The daily renewal reminders (see the beat schedule)."""
    return services.send_renewal_reminders()
