"""The treasurer's exports: what the receipt register's and the year's donors' columns are.

Rows come from the database in chunks (``iterator``) and are typed (dates, Decimal amounts);
kiosque/exports.py writes them in the format the treasurer asks for (French spreadsheet CSV
or Excel), piece by piece, so memory stays flat whatever the year's size (see
bench/export_memory.py).
"""

import datetime
from collections.abc import Iterator

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from donations.models import Donation, Receipt
from kiosque.exports import Spreadsheet

# Rows fetched at a time: the peak memory of an export, whatever the year's size.
CHUNK = 500


def _columns() -> list[str]:
    return [
        _("Number"), _("Issued on"), _("Payment dates"), _("Last name"), _("First names"),
        _("Address"), _("Email"), _("Amount"), _("Method"), _("Kind"), _("Status"),
        _("Reason for cancelling"), _("Replaces"), _("Replaced by"), _("Mandate reference"),
    ]  # fmt: skip


def register_rows(receipts) -> Iterator[list]:
    """The register's rows, typed (dates, Decimal amounts), in the queryset's order."""
    replaced_by = dict(
        Receipt.objects.filter(replaces__in=receipts.values("pk")).values_list(
            "replaces_id", "number"
        )
    )
    # The SEPA mandates their gifts were debited under (kept with the gifts, not the receipt).
    mandates: dict[int, set[str]] = {}
    for receipt_id, reference in Donation.objects.filter(
        receipt__in=receipts.values("pk"), mandate__isnull=False
    ).values_list("receipt_id", "mandate__reference"):
        mandates.setdefault(receipt_id, set()).add(reference)
    # Labels translated once, not once per row.
    kinds, statuses, methods_ = (
        {value: str(label) for value, label in choices.choices}
        for choices in (Receipt.Kind, Receipt.Status, Donation.Method)
    )
    methods_[Donation.Method.DIRECT_DEBIT] = _("SEPA direct debit")
    for receipt in receipts.select_related("donor", "replaces").iterator(chunk_size=CHUNK):
        methods = sorted({methods_[payment["method"]] for payment in receipt.payments})
        yield [
            receipt.number,
            timezone.localdate(receipt.issued_at),
            [datetime.date.fromisoformat(payment["date"]) for payment in receipt.payments],
            receipt.donor_last_name,
            receipt.donor_first_names,
            ", ".join(receipt.donor_address),
            receipt.donor.email,
            receipt.amount,
            ", ".join(methods),
            kinds[receipt.kind],
            statuses[receipt.status],
            receipt.cancellation_reason,
            receipt.replaces.number if receipt.replaces_id else "",
            replaced_by.get(receipt.pk, ""),
            ", ".join(sorted(mandates.get(receipt.pk, ()))),
        ]


def register(receipts, filename: str) -> Spreadsheet:
    with translation.override("fr"):
        header, title = _columns(), _("Tax receipts")
    return Spreadsheet(filename, title, header, register_rows(receipts))


def donors_rows(donors) -> Iterator[list]:
    for donor in donors.iterator(chunk_size=CHUNK):
        yield [
            donor.last_name, donor.first_name, donor.email, ", ".join(donor.address_lines),
            donor.gifts, donor.total,
        ]  # fmt: skip


def donors(donors_, filename: str) -> Spreadsheet:
    with translation.override("fr"):
        header = [_("Last name"), _("First names"), _("Email"), _("Address"), _("Gifts"),
                  _("Total")]  # fmt: skip
        title = _("Donors")
    return Spreadsheet(filename, title, header, donors_rows(donors_))
