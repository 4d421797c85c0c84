"""Benchmark: the treasurer's register export keeps a flat memory, whatever the year's size.

Run:  .venv/bin/python bench/export_memory.py [--rows 100000] [--reference 10000]

It fills a throw-away SQLite database with receipts, then measures the peak of Python
memory (tracemalloc) while the CSV and the Excel exports are produced, for the reference
size and for the big one, and prints the ratios. For contrast it measures, in the same run,
a naive export that builds the whole file in memory: its ratio grows with the rows.
"""

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_donors(count: int = 1000, kind: str = "donor") -> list:
    """Donors written in bulk, ``<kind><n>@example.org`` (the benchmarks share it)."""
    from donations.models import Donor

    return Donor.objects.bulk_create(
        Donor(
            email=f"{kind}{n}@example.org", first_name="Prénom", last_name=f"Nom {n}",
            line1=f"{n} rue de la Paix", postcode="75001", city="Paris", country="France",
        )
        for n in range(count)
    )  # fmt: skip


def fill(first: int, count: int, donors: list, pdf: bytes = b"") -> None:
    """Receipts ``first`` to ``first + count - 1`` of this year, written in bulk."""
    from django.utils import timezone

    from donations.models import Receipt

    now = timezone.now()
    payment = {"date": now.date().isoformat(), "amount": "50.00", "method": "card"}
    batch = []
    for n in range(first, first + count):
        donor = donors[n % len(donors)]
        batch.append(
            Receipt(
                number=f"{now.year}-{n:06d}", year=now.year, sequence=n, kind="one_off",
                donor=donor, issued_at=now, donor_last_name=donor.last_name,
                donor_first_names=donor.first_name, donor_address=donor.address_lines,
                amount="50.00", payments=[payment], issuer={}, pdf=pdf,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Receipt.objects.bulk_create(batch)
            batch = []
    Receipt.objects.bulk_create(batch)


def peak(produce) -> tuple[int, float]:
    """Peak traced memory (bytes) and seconds taken by ``produce()``."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    produce()
    seconds = time.perf_counter() - started
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top, seconds


def measure(rows: int) -> dict:
    from donations import exports, selectors
    from kiosque.exports import FRENCH, csv_chunks, xlsx_file

    def register():
        return exports.register(selectors.register({}), "registre")

    def csv_stream():
        sheet = register()
        for _chunk in csv_chunks(sheet.header, sheet.rows, FRENCH):
            pass

    def xlsx_stream():
        sheet = register()
        xlsx_file(sheet.title, sheet.header, sheet.rows).close()

    def naive_csv():
        # The reference: everything in memory at once, as a plain HttpResponse would hold it.
        rows_ = list(exports.register_rows(selectors.register({})))
        "".join(csv_chunks([], rows_, FRENCH))

    results = {}
    for name, produce in (("csv", csv_stream), ("xlsx", xlsx_stream), ("naive_csv", naive_csv)):
        memory, seconds = peak(produce)
        results[name] = {"peak_bytes": memory, "seconds": round(seconds, 2)}
    return results


def run(rows: int, reference: int, database: Path | None = None) -> dict:
    """Measure with ``reference`` receipts, then with ``rows``; ``database`` is set up here
    unless Django is already (the test suite calls ``compare`` instead)."""
    with tempfile.TemporaryDirectory() as directory:
        setup_django(database or Path(directory) / "bench.sqlite3")
        return compare(rows, reference)


def compare(rows: int, reference: int) -> dict:
    donors = make_donors()
    fill(1, reference, donors)
    small = measure(reference)
    fill(reference + 1, rows - reference, donors)
    big = measure(rows)
    return {
        "rows": rows,
        "reference_rows": reference,
        "reference": small,
        "big": big,
        "ratios": {
            name: round(big[name]["peak_bytes"] / small[name]["peak_bytes"], 2) for name in big
        },
    }


def real_receipt_pdf() -> bytes:
    """A real receipt's PDF (the demo association's), stored on every receipt that the ZIP
    measure packs, as the ZIP job finds them once their emails have gone. Rendered inside a
    transaction rolled back: the register's receipts are the benchmark's own."""
    from django.db import transaction
    from django.utils import timezone

    from donations.models import Donation, Donor
    from donations.services.receipts import issue_receipt, receipt_pdf
    from shop.demo import demo_association

    demo_association()
    with transaction.atomic():
        donor = Donor.objects.create(
            email="zip@example.org", first_name="Prénom", last_name="Nom",
            line1="1 rue de la Paix", postcode="75001", city="Paris", country="France",
        )  # fmt: skip
        gift = Donation.objects.create(
            donor=donor, amount="50.00", status=Donation.Status.PAID, paid_at=timezone.now()
        )
        document = receipt_pdf(issue_receipt([gift]))
        transaction.set_rollback(True)
    return document


def zip_of_the_year() -> dict:
    """The treasurer's ZIP of the year's receipts: time and peak memory of the job."""
    from django.utils import timezone

    from donations.models import ReceiptArchive
    from donations.services.archives import build_receipts_archive

    archive = ReceiptArchive.objects.create(year=timezone.now().year)
    memory, seconds = peak(lambda: build_receipts_archive(archive.pk))
    archive.refresh_from_db()
    return {"peak_bytes": memory, "seconds": round(seconds, 2), "zip_bytes": archive.file.size}


def sweep(sizes: list[int], zip_sizes: list[int]) -> dict:
    """Time and peak memory of each export at each size (rows added between measures); the
    ZIP at ``zip_sizes`` only (a real PDF per receipt: 100 000 of them would take gigabytes)."""
    pdf = real_receipt_pdf()
    donors = make_donors()
    results, filled = {}, 0
    for size in sorted(sizes):
        fill(filled + 1, size - filled, donors, pdf=pdf if size <= max(zip_sizes) else b"")
        filled = size
        results[size] = measure(size)
        if size in zip_sizes:
            results[size]["zip"] = zip_of_the_year()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reference", type=int, default=10_000)
    parser.add_argument("--sizes", type=int, nargs="*", help="time and memory at these sizes")
    parser.add_argument("--zip-sizes", type=int, nargs="*", default=[], help="and the ZIP")
    args = parser.parse_args()
    if args.sizes:
        with tempfile.TemporaryDirectory() as directory:
            os.environ["MEDIA_ROOT"] = str(Path(directory) / "media")
            setup_django(Path(directory) / "bench.sqlite3")
            print(json.dumps(sweep(args.sizes, args.zip_sizes)))
        return
    result = run(args.rows, args.reference)
    print(json.dumps(result, indent=2))
    for name, ratio in result["ratios"].items():
        times = args.rows // args.reference
        print(f"{name:10s} peak memory x{ratio} for x{times} rows")


if __name__ == "__main__":
    main()
