"""Receipts as PDF/A documents, by WeasyPrint, from what each receipt froze.

WeasyPrint may fetch only data: URIs (the frozen signature) and the project's own static
files: whatever a donor typed (a name with HTML or a URL in it) is escaped text, and even
a reference that got through would fetch nothing.
"""

import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from donations.amounts import amount_in_words

PDF_VARIANT = "pdf/a-3b"


def _static_roots() -> list[Path]:
    roots = [Path(root).resolve() for root in getattr(settings, "STATICFILES_DIRS", [])]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class ProjectFilesOnly(URLFetcher):
    """A URL fetcher that refuses everything but data: URIs and the project's static files."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in _static_roots()):
                return super().fetch(url, headers)
        raise ValueError(f"Receipts may not load {url[:80]!r}")


def static_file_url(path: str) -> str:
    """A file:// URL for one of the project's static files, for the receipt template."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return Path(found).resolve().as_uri()


def render_receipt(receipt) -> bytes:
    from donations.models import Donation

    # A tax receipt is a French legal document: always in French, whatever the donor's language.
    with translation.override("fr"):
        payments = [
            {
                "date": datetime.date.fromisoformat(payment["date"]),
                "amount": Decimal(payment["amount"]),
                "method": str(Donation.Method(payment["method"]).label),
            }
            for payment in receipt.payments
        ]
        html = render_to_string(
            "donations/receipt.html",
            {
                "receipt": receipt,
                "payments": payments,
                "methods": sorted({payment["method"] for payment in payments}),
                "issuer": receipt.issuer,
                "amount_in_words": amount_in_words(receipt.amount),
                "stylesheet": static_file_url("kiosque/css/receipt.css"),
            },
        )
    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=ProjectFilesOnly()
    ).write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
