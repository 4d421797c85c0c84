"""A hold for the fault tests: the worker stops in the middle of the annual receipts, so the
test kills it there and not wherever a race lands (all 30 receipts issued before the kill).

Only workers started by the tests with ``running_worker(..., include="tests.support.fault_hooks")``
import this module (``celery worker --include``); the site and its workers never do.

After the receipt that makes FAULT_HOLD_AFTER_RECEIPTS receipts has committed (with its
donor's gifts and email), the process writes its pid to FAULT_HOLD_FILE and waits there, for
the test to kill it. It holds once per file: a process that finds the file runs on.
"""

import os
import time
from pathlib import Path

from django.db import transaction
from django.db.models.signals import post_save

HOLD_AFTER = "FAULT_HOLD_AFTER_RECEIPTS"
HOLD_FILE = "FAULT_HOLD_FILE"
# Long enough for any test to kill the process; never forever.
HOLD_SECONDS = 120


def hold_when_enough_receipts() -> None:
    from donations.models import Receipt

    held = Path(os.environ[HOLD_FILE])
    if held.exists() or Receipt.objects.count() < int(os.environ[HOLD_AFTER]):
        return
    held.write_text(str(os.getpid()))
    time.sleep(HOLD_SECONDS)


def on_receipt_saved(sender, instance, created, **kwargs):
    if created and os.environ.get(HOLD_FILE):
        # After the commit: the receipts counted by the test are those the database holds.
        transaction.on_commit(hold_when_enough_receipts)


post_save.connect(on_receipt_saved, sender="donations.Receipt", weak=False)
