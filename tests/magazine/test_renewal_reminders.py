"""The daily renewal reminders: one email per subscription and stage, never twice."""

import pytest

from kiosque.models import OutboxEmail
from magazine import links, services
from magazine.models import RenewalReminder, Subscription
from tests.support.magazine import PRINT_ONLY, place_order, subscription_of

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")


def subscription(first, last, email):
    made = subscription_of(place_order(PRINT_ONLY, email=email))
    Subscription.objects.filter(pk=made.pk).update(first_issue=first, last_issue=last)
    made.refresh_from_db()
    return made


def test_reminders_are_sent_once_per_stage():
    # The next issue is n°4.
    one_left = subscription(1, 4, "one-left@example.org")
    ended = subscription(1, 3, "ended@example.org")
    subscription(2, 6, "running@example.org")
    subscription(1, 2, "long-ago@example.org")  # ended before the latest issue: not chased
    renewed = subscription(1, 4, "renewed@example.org")
    subscription_of(place_order(PRINT_ONLY, email="renewed@example.org"))  # renews it
    assert renewed.renewed_by is not None
    OutboxEmail.objects.all().delete()

    assert services.send_renewal_reminders() == 2
    assert services.send_renewal_reminders() == 0  # the next day: nothing again

    assert set(RenewalReminder.objects.values_list("subscription", "stage")) == {
        (one_left.pk, "last_issue"),
        (ended.pk, "ended"),
    }
    emails = {email.to[0]: email for email in OutboxEmail.objects.all()}
    assert set(emails) == {"one-left@example.org", "ended@example.org"}
    assert (
        links.renew_url(one_left).split("/abonnements/")[0] in emails["one-left@example.org"].body
    )
    assert "/abonnements/renouveler/" in emails["ended@example.org"].body


def test_the_daily_job_is_scheduled(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["send-renewal-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {8}
