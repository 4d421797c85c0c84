"""The ZIP archives of a year's receipts, built by a Celery job."""

import datetime
import tempfile
import zipfile

from celery import current_app
from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from donations.models import Receipt, ReceiptArchive, TreasuryLog
from donations.services.receipts import receipt_pdf
from donations.services.treasury import log_treasury


@transaction.atomic
def request_receipts_archive(year: int, user) -> ReceiptArchive:
    """Start the ZIP of ``year``'s receipts, or return the one already under way (two clicks,
    two treasurers: one job). The job starts once this transaction commits."""
    running = ReceiptArchive.objects.filter(
        year=year, status__in=(ReceiptArchive.Status.PENDING, ReceiptArchive.Status.RUNNING)
    ).first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            archive = ReceiptArchive.objects.create(
                year=year,
                requested_by=user,
                total=Receipt.objects.filter(year=year).count(),
            )
    except IntegrityError:  # another request created it meanwhile
        return ReceiptArchive.objects.get(
            year=year, status__in=(ReceiptArchive.Status.PENDING, ReceiptArchive.Status.RUNNING)
        )
    log_treasury(user, TreasuryLog.Action.EXPORT_ZIP, f"year={year}")
    transaction.on_commit(lambda: _enqueue_archive(archive.pk))
    return archive


def _enqueue_archive(archive_id: int) -> None:
    # By the task's name: donations.tasks calls these services, so importing it here would
    # make a circle.
    current_app.send_task("donations.tasks.build_receipts_archive", args=[archive_id])


def build_receipts_archive(archive_id: int, *, progress_every: int = 10) -> ReceiptArchive:
    """The Celery job: every receipt PDF of the year (cancelled ones too, stamped) into one
    ZIP in private storage, telling its progress as it goes."""
    archive = ReceiptArchive.objects.get(pk=archive_id)
    if archive.status == ReceiptArchive.Status.DONE:
        return archive
    receipts = Receipt.objects.filter(year=archive.year).order_by("sequence")
    ReceiptArchive.objects.filter(pk=archive.pk).update(
        status=ReceiptArchive.Status.RUNNING, total=receipts.count(), done=0
    )
    done = 0
    try:
        with tempfile.TemporaryFile() as out:
            # Stored, not deflated: a PDF's streams are compressed already. Deflate saved 5 %
            # of the size and took half the job's time (bench/export_memory.py).
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as bundle:
                for receipt in receipts.iterator(chunk_size=100):
                    bundle.writestr(f"recu-fiscal-{receipt.number}.pdf", receipt_pdf(receipt))
                    done += 1
                    if done % progress_every == 0:
                        ReceiptArchive.objects.filter(pk=archive.pk).update(done=done)
            out.seek(0)
            archive.file.save(f"recus-fiscaux-{archive.year}.zip", File(out), save=False)
    except Exception as error:
        ReceiptArchive.objects.filter(pk=archive.pk).update(
            status=ReceiptArchive.Status.FAILED, error=f"{type(error).__name__}: {error}"
        )
        raise
    ReceiptArchive.objects.filter(pk=archive.pk).update(
        status=ReceiptArchive.Status.DONE,
        done=done,
        file=archive.file.name,
        finished_at=timezone.now(),
    )
    archive.refresh_from_db()
    return archive


def purge_old_archives() -> int:
    """Archives are kept ``RECEIPTS_ARCHIVE_DAYS`` days, then their file is deleted."""
    limit = timezone.now() - datetime.timedelta(days=settings.KIOSQUE_RECEIPTS_ARCHIVE_DAYS)
    old = ReceiptArchive.objects.filter(finished_at__lt=limit).exclude(file="")
    count = 0
    for archive in old:
        archive.file.delete(save=False)
        ReceiptArchive.objects.filter(pk=archive.pk).update(file="")
        count += 1
    return count
