"""Receipt PDFs per second, against WeasyPrint alone rendering the same receipt HTML in the
same process: single receipts (one gift confirmed) and a batch (January's annual run).

A third reference bounds what rendering many receipts as one document and splitting it could
gain: WeasyPrint alone laying the batch's receipts out as one document, not even split."""

import datetime
import time
from decimal import Decimal

from django.utils import timezone

from bench.export_memory import make_donors


def bare_render(receipts) -> float:
    """Seconds for WeasyPrint alone, one document per receipt, from each receipt's HTML."""
    from weasyprint import HTML

    from donations import pdf
    from kiosque.pdf import ProjectFilesOnly

    documents = [pdf.receipt_html(receipt) for receipt in receipts]
    started = time.perf_counter()
    for html in documents:
        HTML(string=html, url_fetcher=ProjectFilesOnly()).write_pdf(pdf_variant=pdf.PDF_VARIANT)
    return time.perf_counter() - started


def one_document_render(receipts) -> float:
    """Seconds for WeasyPrint alone rendering the receipts' pages as one document."""
    from weasyprint import HTML

    from donations import pdf
    from kiosque.pdf import ProjectFilesOnly

    documents = [pdf.receipt_html(receipt) for receipt in receipts]
    head = documents[0].split("<body>")[0]
    bodies = (document.split("<body>")[1].split("</body>")[0] for document in documents)
    pages = "".join(f"<div style='break-after: page'>{body}</div>" for body in bodies)
    html = f"{head}<body>{pages}</body></html>"
    started = time.perf_counter()
    document = HTML(string=html, url_fetcher=ProjectFilesOnly()).render(pdf_variant=pdf.PDF_VARIANT)
    document.write_pdf(pdf_variant=pdf.PDF_VARIANT)
    seconds = time.perf_counter() - started
    assert len(document.pages) == len(receipts)
    return seconds


def donors_with_gifts(count: int, monthly: bool, kind: str):
    from donations.models import Donation, MonthlyGift

    donors = make_donors(count, kind)
    paid_at = timezone.make_aware(datetime.datetime(2025, 3, 5, 12))
    gifts = []
    for donor in donors:
        gift = (
            MonthlyGift.objects.create(donor=donor, amount=Decimal("10"), status="active")
            if monthly
            else None
        )
        for month in range(1, 13) if monthly else (3,):  # a year of monthly gifts
            gifts.append(
                Donation(
                    donor=donor, amount=Decimal("10"), status=Donation.Status.PAID,
                    paid_at=paid_at.replace(month=month), monthly_gift=gift,
                )
            )  # fmt: skip
    return Donation.objects.bulk_create(gifts)


def run(single: int = 20, batch: int = 60) -> dict:
    from donations.models import Receipt
    from donations.services.annual import issue_annual_receipts
    from donations.services.receipts import issue_receipt, receipt_pdf

    # A first receipt, not counted: fonts loaded, templates compiled, as in a running worker.
    [warm_up] = donors_with_gifts(1, monthly=False, kind="warm-up")
    receipt_pdf(issue_receipt([warm_up]))

    # Single receipts: a gift confirmed, its receipt issued, its PDF made (by the worker
    # delivering the thank-you email).
    gifts = donors_with_gifts(single, monthly=False, kind="single")
    started = time.perf_counter()
    singles = [receipt_pdf(issue_receipt([gift])) for gift in gifts]
    single_seconds = time.perf_counter() - started
    single_bare = bare_render([gift.receipt for gift in _reloaded(gifts)])

    # The batch: January's annual run over monthly donors, and each receipt's PDF.
    donors_with_gifts(batch, monthly=True, kind="monthly")
    started = time.perf_counter()
    issue_annual_receipts(2025)  # the demo's monthly donors too, if any
    annual = Receipt.objects.filter(kind=Receipt.Kind.ANNUAL, period_year=2025)
    documents = [receipt_pdf(receipt) for receipt in annual]
    batch_seconds = time.perf_counter() - started
    batch_bare = bare_render(annual)
    batch_one_document = one_document_render(annual)
    batch = len(annual)
    assert all(document.startswith(b"%PDF-") for document in singles + documents)
    return {
        "single": {
            "receipts": single,
            "receipts_per_s": round(single / single_seconds, 1),
            "bare_receipts_per_s": round(single / single_bare, 1),
            "time_vs_bare": round(single_seconds / single_bare, 2),
        },
        "batch": {
            "receipts": batch,
            "receipts_per_s": round(batch / batch_seconds, 1),
            "bare_receipts_per_s": round(batch / batch_bare, 1),
            "speed_vs_bare": round(batch_bare / batch_seconds, 2),
            "one_document_pages_per_s": round(batch / batch_one_document, 1),
            "one_document_speed_vs_bare": round(batch_bare / batch_one_document, 2),
        },
    }


def _reloaded(gifts):
    from donations.models import Donation

    return Donation.objects.filter(pk__in=[g.pk for g in gifts]).select_related("receipt")
