"""Receipts as PDF/A documents (for long-term archiving), from what each receipt froze."""

import datetime
from decimal import Decimal

from django.utils import translation

from donations.amounts import amount_in_words
from shop.pdf import html_to_pdf, render_html

PDF_VARIANT = "pdf/a-3b"


def render_receipt(receipt) -> bytes:
    return html_to_pdf(receipt_html(receipt), pdf_variant=PDF_VARIANT)


def receipt_html(receipt) -> str:
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
        return render_html(
            "donations/receipt.html",
            {
                "receipt": receipt,
                "payments": payments,
                "methods": sorted({payment["method"] for payment in payments}),
                "issuer": receipt.issuer,
                "amount_in_words": amount_in_words(receipt.amount),
            },
            stylesheet="kiosque/css/receipt.css",
        )
