"""Benchmark, outside `make bench` (it takes some 20 minutes): the peak memory of January's
annual run with each receipt's PDF, for 1 000 and for 10 000 receipts.

Run:  .venv/bin/python bench/batch_memory.py --receipts 1000
      .venv/bin/python bench/batch_memory.py --receipts 10000

Each run is a fresh process on a throw-away SQLite database; it prints the process's peak
resident memory (the operating system's figure: tracemalloc would slow the rendering several
times) and the seconds taken. Compare the two peaks: flat memory means close figures.
"""

import argparse
import datetime
import json
import os
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_memory import make_donors, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        os.environ["MEDIA_ROOT"] = str(Path(directory) / "media")
        os.environ["EMAIL_DELIVERY_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
        setup_django(Path(directory) / "bench.sqlite3")
        from django.utils import timezone

        from donations import tasks
        from donations.models import Donation, MonthlyGift, Receipt
        from shop import services as shop_services
        from shop.demo import demo_association
        from shop.models import OutboxEmail

        demo_association()
        donors = make_donors(args.receipts, "monthly")
        gifts = MonthlyGift.objects.bulk_create(
            MonthlyGift(donor=donor, amount=Decimal("10"), status="active") for donor in donors
        )
        paid_at = timezone.make_aware(datetime.datetime(2025, 3, 5, 12))
        Donation.objects.bulk_create(
            Donation(
                donor=gift.donor, monthly_gift=gift, amount=Decimal("10"),
                status=Donation.Status.PAID, paid_at=paid_at.replace(month=month),
            )
            for gift in gifts
            for month in (3, 4, 5)
        )  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        # As production runs it: the beat task's body, then each email delivered (which is
        # when its receipt's PDF is made) by the worker.
        issued = tasks.issue_annual_receipts.run(2025)
        for email_id in OutboxEmail.objects.order_by("pk").values_list("pk", flat=True):
            shop_services.deliver_email(email_id)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert not Receipt.objects.filter(pdf=b"").exists()
    print(
        json.dumps(
            {
                "receipts": issued,
                "seconds": round(seconds, 1),
                "peak_rss_mb_before": round(before / 1024, 1),
                "peak_rss_mb": round(peak / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
