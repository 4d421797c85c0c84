"""A real Celery worker process, on the configured broker, runs what a web request enqueued.

No eager mode: the test starts `celery worker` as a separate process on the same database
(the test database) and the same broker (Redis in CI, the file-system broker by default).
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kiosque.models import OutboxEmail
from tests.support.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_email_queued_by_a_request_is_sent_by_the_worker(client, outbox_emails, worker, mail_dir):
    get_user_model().objects.create_user(
        username="lectrice", email="lectrice@example.org", password="x-long-password"
    )

    response = client.post("/password-reset/", {"email": "lectrice@example.org"})

    assert response.status_code == 302
    email = OutboxEmail.objects.get()
    assert email.to == ["lectrice@example.org"]
    assert wait_for(lambda: OutboxEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists())
    email.refresh_from_db()
    assert email.attempts == 1
    assert worker.poll() is None  # the worker, not a dying process, did it
    files = list(Path(mail_dir).glob("*.log"))
    assert len(files) == 1
    assert "lectrice@example.org" in files[0].read_text()


def test_the_thank_you_email_goes_out_from_the_worker_with_the_receipt_attached(
    outbox_emails, worker, mail_dir, settings, tmp_path
):
    from email import message_from_string

    from donations.demo import demo_association
    from donations.services.gifts import record_paid_donation
    from payments import intents
    from tests.support.donations import make_donor, paid_donation

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_association()
    donation = paid_donation(make_donor(), "50", status="pending")
    paid = intents.paid(
        {
            "id": "pi_worker_test",
            "status": "succeeded",
            "amount": 5000,
            "created": 1790000000,
            "metadata": {"purpose": "kiosque_donation", "donation": str(donation.pk)},
        }
    )

    record_paid_donation(paid)  # commits: the email task is enqueued on commit

    donation.refresh_from_db()
    email = OutboxEmail.objects.get()
    assert wait_for(lambda: OutboxEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists())
    files = list(Path(mail_dir).glob("*.log"))
    assert len(files) == 1
    message = message_from_string(files[0].read_text())
    parts = {part.get_content_type(): part for part in message.walk()}
    assert {"text/plain", "text/html", "application/pdf"} <= set(parts)
    pdf = parts["application/pdf"]
    assert pdf.get_filename() == f"recu-fiscal-{donation.receipt.number}.pdf"
    assert pdf.get_payload(decode=True) == bytes(donation.receipt.pdf)
    assert pdf.get_payload(decode=True).startswith(b"%PDF-")


def test_the_receipts_zip_is_built_by_the_worker(worker, settings, tmp_path):
    import io
    import zipfile

    from donations.demo import demo_association
    from donations.models import ReceiptArchive
    from donations.services.archives import request_receipts_archive
    from donations.services.receipts import issue_receipt
    from tests.support.donations import make_donor, paid_donation

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_association()
    donor = make_donor()
    receipts = [issue_receipt([paid_donation(donor, "20")]) for _ in range(3)]

    archive = request_receipts_archive(receipts[0].year, None)  # enqueued on commit

    assert wait_for(
        lambda: ReceiptArchive.objects.filter(pk=archive.pk, status="done").exists(), timeout=90
    )
    archive.refresh_from_db()
    assert (archive.done, archive.total) == (3, 3)
    with archive.file.open("rb") as data:
        names = zipfile.ZipFile(io.BytesIO(data.read())).namelist()
    assert sorted(names) == sorted(f"recu-fiscal-{r.number}.pdf" for r in receipts)


def ask_for_a_password_reset(client) -> OutboxEmail:
    """An email queued by a web request: a reader asks to reset their password."""
    get_user_model().objects.create_user(
        username="lectrice", email="lectrice@example.org", password="x-long-password"
    )
    assert client.post("/password-reset/", {"email": "lectrice@example.org"}).status_code == 302
    return OutboxEmail.objects.get()


def mail_outage(tmp_path, mail_dir, refusals: int, **env):
    from tests.support.worker import running_worker

    counter = tmp_path / "refusals"
    counter.write_text(str(refusals))
    return running_worker(
        mail_dir,
        tmp_path / "flaky-worker.log",
        EMAIL_DELIVERY_BACKEND="tests.support.fault_backends.FlakyMailServer",
        FLAKY_MAIL_REFUSALS=str(counter),
        EMAIL_RETRY_BACKOFF="1",
        **env,
    )


def test_a_refusing_mail_server_delays_the_email_which_goes_out_once(
    client, outbox_emails, mail_dir, tmp_path
):
    with mail_outage(tmp_path, mail_dir, refusals=2):
        email = ask_for_a_password_reset(client)
        assert wait_for(
            lambda: OutboxEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists(),
            timeout=90,
        )
    email.refresh_from_db()
    assert email.attempts == 3 and email.failed_at is None and email.last_error == ""
    assert len(list(Path(mail_dir).glob("*.log"))) == 1  # sent once


def test_after_the_last_retry_the_failure_is_visible(client, outbox_emails, mail_dir, tmp_path):
    with mail_outage(tmp_path, mail_dir, refusals=100, EMAIL_MAX_RETRIES="2"):
        email = ask_for_a_password_reset(client)
        assert wait_for(
            lambda: OutboxEmail.objects.filter(pk=email.pk, failed_at__isnull=False).exists(),
            timeout=90,
        )
    email.refresh_from_db()
    assert email.sent_at is None and email.attempts == 3
    assert "SMTPServerDisconnected" in email.last_error
    assert not list(Path(mail_dir).glob("*.log"))
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("a", "a@example.org", "x"))
    assert "abandonné" in admin.get("/admin/kiosque/outboxemail/").content.decode().lower()


def test_once_the_mail_server_accepted_only_the_bookkeeping_is_tried_again(
    client, outbox_emails, mail_dir, tmp_path
):
    """The message is out, then the database refuses to record it (SQLite's "database is
    locked" in the demo, four times running: at once and in the worker's next tries): the
    reader gets one email, not one per retry; a task's retry records it later."""
    from tests.support.worker import running_worker

    failures = tmp_path / "bookkeeping-failures"
    failures.write_text("4")
    log = tmp_path / "worker.log"
    with running_worker(
        mail_dir,
        log,
        EMAIL_DELIVERY_BACKEND="tests.support.fault_backends.BookkeepingFailsAfterSending",
        BOOKKEEPING_FAILURES=str(failures),
        EMAIL_RETRY_BACKOFF="1",
    ):
        email = ask_for_a_password_reset(client)
        assert wait_for(
            lambda: OutboxEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists(),
            timeout=90,
        )
    assert failures.read_text() == "0"  # the database did refuse four times
    [sent] = Path(mail_dir).glob("*.log")  # one email delivered
    assert "lectrice@example.org" in sent.read_text()
    email.refresh_from_db()
    assert email.attempts == 1 and email.last_error == "" and email.failed_at is None
    worker_log = log.read_text()
    assert "database is locked" in worker_log  # the bookkeeping's failures are logged
    assert "retry: Retry in 1s: SentButNotRecorded" in worker_log  # left to the next try
