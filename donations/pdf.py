"""Receipts as PDF/A documents (for long-term archiving), from what each receipt froze."""

import datetime
import itertools
from decimal import Decimal

from django.utils import translation

from donations.amounts import amount_in_words
from kiosque.pdf import html_to_pdf, render_html

PDF_VARIANT = "pdf/a-3b"
# A summary receipt lists its payments one by one up to this many; beyond, one line a month
# (count and total), so that any year, however many monthly gifts run side by side, holds
# on the receipt's one page: 12 lines at most either way.
LISTED_PAYMENTS = 12


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
                "months": by_month(payments) if len(payments) > LISTED_PAYMENTS else None,
                "methods": sorted({payment["method"] for payment in payments}),
                "issuer": receipt.issuer,
                "amount_in_words": amount_in_words(receipt.amount),
            },
            stylesheet="kiosque/css/receipt.css",
        )


def by_month(payments: list[dict]) -> list[dict]:
    """The payments as one line a month: its first day, how many, how much."""
    months = itertools.groupby(
        sorted(payments, key=lambda payment: payment["date"]),
        key=lambda payment: payment["date"].replace(day=1),
    )
    return [
        {
            "month": month,
            "count": len(paid := list(group)),
            "amount": sum((payment["amount"] for payment in paid), Decimal("0.00")),
        }
        for month, group in months
    ]
