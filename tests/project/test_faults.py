"""Faults that must lose nothing: the broker down when a gift is confirmed, a worker killed in
the middle of the annual receipts, the database connection lost during a webhook.

Real servers each time: a Redis of the test's own that it stops and starts, real Celery
worker processes, killed with SIGKILL, and PostgreSQL's own pg_terminate_backend.
"""

import datetime
import os
import signal
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

from donations import links
from donations.models import Donation, Receipt
from donations.tasks import issue_annual_receipts
from kiosque.models import OutboxEmail
from kiosque.tasks import flush_email_outbox
from payments.models import StripeEvent
from tests.support.checkout import THREE_D_SECURE
from tests.support.donations import (
    WEBHOOK,
    aware,
    give,
    make_donor,
    monthly_gift,
    paid_donation,
    pay,
)
from tests.support.worker import PrivateRedis, pool_processes, running_worker, site_broker, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("association", "outbox_emails"),
]


@pytest.fixture
def broker():
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


def task_results(log: Path, task: str) -> list[str]:
    """What the worker's log says each finished run of ``task`` returned."""
    if not log.exists():
        return []
    return [
        line.rsplit(": ", 1)[1]
        for line in log.read_text().splitlines()
        if f"Task {task}[" in line and " succeeded in " in line
    ]


def test_a_gift_confirmed_while_the_broker_is_down_is_thanked_once_it_is_back(
    client, stripe_standin, broker, mail_dir, tmp_path
):
    with site_broker(broker.url):
        broker.stop()

        assert give(client).status_code == 302
        response = pay(client, stripe_standin)

        # The gift and its receipt are committed, the donor's pages work.
        assert response.json() == {"redirect": reverse("donations:thanks")}
        donation = Donation.objects.get()
        assert donation.status == Donation.Status.PAID and donation.receipt is not None
        assert "Merci" in client.get(reverse("donations:thanks")).content.decode()
        receipts_url = links.receipts_url(donation.donor).removeprefix("http://127.0.0.1:8000")
        assert donation.receipt.number in Client().get(receipts_url).content.decode()
        email = OutboxEmail.objects.get()
        assert email.sent_at is None and email.attempts == 0

        broker.start()  # back, and empty: the delivery task never reached it
        log = tmp_path / "worker.log"
        with running_worker(mail_dir, log, CELERY_BROKER_URL=broker.url):
            # Minutes later, beat's flush runs; twice, as overlapping runs would.
            OutboxEmail.objects.update(created_at=F("created_at") - datetime.timedelta(minutes=3))
            flush_email_outbox.delay()
            flush_email_outbox.delay()
            assert wait_for(lambda: len(task_results(log, "kiosque.tasks.deliver_email")) == 2)

    assert task_results(log, "kiosque.tasks.flush_email_outbox") == ["1", "1"]
    # Two deliveries were queued for the email: the first sent it, the second found it sent.
    assert task_results(log, "kiosque.tasks.deliver_email") == ["True", "False"]
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    [sent] = Path(mail_dir).glob("*.log")
    assert email.subject.startswith("Merci pour votre don")
    assert "To: marie@example.org" in sent.read_text()


DONORS = 30


def monthly_donors_of_2025():
    for i in range(DONORS):
        donor = make_donor(email=f"donateur{i}@example.org")
        gift = monthly_gift(donor)
        for month in (3, 4, 5):
            paid_donation(donor, "10", paid_at=aware(2025, month, 5), monthly_gift=gift)


def assert_each_donor_has_one_annual_receipt():
    receipts = Receipt.objects.filter(kind=Receipt.Kind.ANNUAL)
    assert receipts.count() == DONORS
    assert not receipts.values("donor").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert sorted(receipts.values_list("sequence", flat=True)) == list(range(1, DONORS + 1))
    assert all(r.amount == 30 and len(r.payments) == 3 for r in receipts)
    assert not Donation.objects.filter(receipt__isnull=True).exists()
    thanked = sorted(to for [to] in OutboxEmail.objects.values_list("to", flat=True))
    assert thanked == sorted(f"donateur{i}@example.org" for i in range(DONORS))


# The job is held after this many receipts (tests/support/fault_hooks.py) and killed there: killed
# "in the middle" by construction, not by a race that a fast run wins (all 30 issued first).
HELD_AFTER = 10


def held_in_the_middle(tmp_path: Path) -> tuple[Path, dict]:
    """The file the held worker writes its pid to, and the worker's options for the hold."""
    held = tmp_path / "held"
    return held, {
        "include": "tests.support.fault_hooks",
        "FAULT_HOLD_AFTER_RECEIPTS": str(HELD_AFTER),
        "FAULT_HOLD_FILE": str(held),
    }


def test_a_pool_process_killed_during_the_annual_receipts_leaves_the_rest_to_the_next(
    broker, mail_dir, tmp_path
):
    """The pool process running the job dies (the kernel's OOM killer, say): acks late and
    reject-on-worker-lost give the job back to the queue, and a new pool process runs it."""
    monthly_donors_of_2025()
    log = tmp_path / "worker.log"
    held, hold = held_in_the_middle(tmp_path)
    worker = running_worker(mail_dir, log, pool="prefork", CELERY_BROKER_URL=broker.url, **hold)
    with site_broker(broker.url), worker as worker:
        issue_annual_receipts.delay(2025)
        assert wait_for(held.exists, timeout=90)
        [pool_process] = pool_processes(worker)
        assert held.read_text() == str(pool_process)  # the job waits in the process killed
        os.kill(pool_process, signal.SIGKILL)
        issued_before = Receipt.objects.count()  # the job's new run needs a new pool process
        assert wait_for(lambda: "WorkerLostError" in log.read_text())
        assert wait_for(
            lambda: task_results(log, "donations.tasks.issue_annual_receipts"), timeout=120
        )

    assert issued_before == HELD_AFTER  # killed in the middle
    # The second run issued what the first had left, nothing twice.
    assert task_results(log, "donations.tasks.issue_annual_receipts") == [str(DONORS - HELD_AFTER)]
    assert_each_donor_has_one_annual_receipt()


def test_a_worker_killed_during_the_annual_receipts_leaves_the_rest_to_the_next(
    broker, mail_dir, tmp_path
):
    """The whole worker dies (its machine goes down): the job, unacknowledged, goes back to
    the queue after the visibility timeout, for another worker."""
    monthly_donors_of_2025()
    held, hold = held_in_the_middle(tmp_path)
    with site_broker(broker.url):
        with running_worker(
            mail_dir, tmp_path / "killed.log", CELERY_BROKER_URL=broker.url, **hold
        ) as first:
            issue_annual_receipts.delay(2025)
            assert wait_for(held.exists, timeout=90)
            assert held.read_text() == str(first.pid)  # solo pool: the job waits in the worker
            first.kill()  # SIGKILL: no warm shutdown, the job is not acknowledged
            first.wait()
        issued_by_the_first = Receipt.objects.count()
        assert issued_by_the_first == HELD_AFTER  # killed in the middle

        log = tmp_path / "second.log"
        with running_worker(
            mail_dir, log, CELERY_BROKER_URL=broker.url, CELERY_VISIBILITY_TIMEOUT="1"
        ):
            assert wait_for(
                lambda: task_results(log, "donations.tasks.issue_annual_receipts"), timeout=120
            )

    assert task_results(log, "donations.tasks.issue_annual_receipts") == [
        str(DONORS - issued_by_the_first)
    ]
    assert_each_donor_has_one_annual_receipt()


class ConnectionDropper:
    """An execute wrapper that has PostgreSQL end this connection's session (as a server
    restart or a network cut would) just before the statement matching ``marker`` runs."""

    def __init__(self, marker: str):
        self.marker = marker
        self.dropped = 0

    def __call__(self, execute, sql, params, many, context):
        if self.marker in sql and not self.dropped:
            self.dropped += 1
            pid = context["connection"].connection.info.backend_pid
            db = connection.settings_dict
            with psycopg.connect(
                dbname=db["NAME"],
                user=db["USER"],
                host=db["HOST"],
                port=db["PORT"] or 5432,
                autocommit=True,
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite is a file: there is no server connection to drop (CI runs it on PostgreSQL)",
)
def test_a_webhook_whose_database_connection_drops_is_refused_then_processed_once(
    client, stripe_standin
):
    give(client)
    answer = pay(client, stripe_standin, THREE_D_SECURE).json()
    intent = stripe_standin.confirm_card_payment(answer["client_secret"])
    payload, signature = stripe_standin.inbox.wait_for("payment_intent.succeeded", intent["id"])
    stripe = Client(raise_request_exception=False)

    def deliver():
        return stripe.post(
            WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )

    # The connection goes while the receipt is being written.
    dropper = ConnectionDropper('INSERT INTO "donations_receipt"')
    with connection.execute_wrapper(dropper):
        first = deliver()
    assert dropper.dropped == 1
    assert first.status_code == 500  # Stripe will send it again
    assert Donation.objects.get().status == Donation.Status.PENDING
    assert not StripeEvent.objects.exists()
    assert not Receipt.objects.exists() and not OutboxEmail.objects.exists()

    # Stripe's retries: the first is processed, the next changes nothing.
    assert deliver().status_code == 200
    assert deliver().status_code == 200
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PAID
    assert Receipt.objects.get().donations.get() == donation
    assert StripeEvent.objects.get().type == "payment_intent.succeeded"
    assert OutboxEmail.objects.get().to == ["marie@example.org"]
