"""Benchmark: the peak memory of January's annual run with each receipt's PDF, at 1 000
receipts (a part of `make bench`) and at 10 000 (`make bench-batch`, some 15 minutes alone:
too long for `make bench`).

Run:  .venv/bin/python bench/batch_memory.py --receipts 1000
      .venv/bin/python bench/batch_memory.py --receipts 10000 --record

Each run is a fresh process on a throw-away SQLite database; it prints the process's peak
resident memory during the run (the operating system's figure: tracemalloc would slow the
rendering several times), its resident memory at the start and at each tenth of the
deliveries, and the seconds taken. Flat memory means close peaks at both sizes. ``--record``
adds the line, dated, with the commit, to results/batch_memory.jsonl, where `make bench`
finds the last 10 000 figure.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_memory import make_donors, setup_django

RECORD = Path(__file__).resolve().parent / "results" / "batch_memory.jsonl"


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def reset_peak() -> None:
    """Start the process's resident high-water mark again (Linux): the donors and gifts made
    in bulk before the run must not count as the run's peak."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def peak_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=1000)
    parser.add_argument("--record", action="store_true", help=f"add the result to {RECORD.name}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        os.environ["MEDIA_ROOT"] = str(Path(directory) / "media")
        os.environ["EMAIL_DELIVERY_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
        setup_django(Path(directory) / "bench.sqlite3")
        from django.utils import timezone

        from donations import tasks
        from donations.demo import demo_association
        from donations.models import Donation, MonthlyGift, Receipt
        from kiosque import services as shop_services
        from kiosque.models import OutboxEmail

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
            for month in range(1, 13)  # a year of monthly gifts
        )  # fmt: skip
        start = resident_mb()
        reset_peak()
        started = time.perf_counter()
        # As production runs it: the beat task's body, then each email delivered (which is
        # when its receipt's PDF is made) by the worker.
        issued = tasks.issue_annual_receipts.run(2025)
        resident = []  # the process's resident memory at each tenth: flat or growing
        emails = list(OutboxEmail.objects.order_by("pk").values_list("pk", flat=True))
        for done, email_id in enumerate(emails, start=1):
            shop_services.deliver_email(email_id)
            if done % max(1, len(emails) // 10) == 0:
                resident.append(round(resident_mb()))
        seconds = time.perf_counter() - started
        peak = peak_mb()
        assert not Receipt.objects.filter(pdf=b"").exists()
    result = {
        "receipts": issued,
        "seconds": round(seconds, 1),
        "rss_mb_at_start": round(start, 1),
        "peak_rss_mb": round(peak, 1),
        "rss_mb_by_tenth": resident,
    }
    print(json.dumps(result))
    if args.record:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        date = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        with RECORD.open("a") as record:
            record.write(json.dumps({"date": date, "commit": commit, **result}) + "\n")


def last_recorded(receipts: int) -> dict | None:
    """The last recorded run at ``receipts``, if any."""
    if not RECORD.exists():
        return None
    runs = [json.loads(line) for line in RECORD.read_text().splitlines() if line.strip()]
    return next((run for run in reversed(runs) if run["receipts"] == receipts), None)


if __name__ == "__main__":
    main()
