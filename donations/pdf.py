"""Receipts as PDF/A documents (for long-term archiving), from what each receipt froze."""

import datetime
from decimal import Decimal

from django.utils import translation

from donations.amounts import amount_in_words
from shop.pdf import render_pdf

PDF_VARIANT = "pdf/a-3b"


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
        return render_pdf(
            "donations/receipt.html",
            {
                "receipt": receipt,
                "payments": payments,
                "methods": sorted({payment["method"] for payment in payments}),
                "issuer": receipt.issuer,
                "amount_in_words": amount_in_words(receipt.amount),
            },
            stylesheet="kiosque/css/receipt.css",
            pdf_variant=PDF_VARIANT,
        )
