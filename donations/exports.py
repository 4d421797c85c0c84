"""The treasurer's exports of the receipt register: CSV and Excel, streamed row by row.

The CSV is what French spreadsheets open without questions: UTF-8 with a BOM, ``;`` between
fields, a decimal comma, dates as dd/mm/yyyy. Rows come from the database in chunks
(``iterator``) and leave as they are made, so memory stays flat whatever the year's size
(see bench/export_memory.py).
"""

import datetime
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from donations.models import Donation, Receipt
from shop.exports import csv_text

# Rows fetched at a time: the peak memory of an export, whatever the year's size.
CHUNK = 500


def _columns() -> list[str]:
    return [
        _("Number"), _("Issued on"), _("Payment dates"), _("Last name"), _("First names"),
        _("Address"), _("Email"), _("Amount"), _("Method"), _("Kind"), _("Status"),
        _("Reason for cancelling"), _("Replaces"), _("Replaced by"),
    ]  # fmt: skip


def register_rows(receipts) -> Iterator[list]:
    """The register's rows, typed (dates, Decimal amounts), in the queryset's order."""
    replaced_by = dict(
        Receipt.objects.filter(replaces__in=receipts.values("pk")).values_list(
            "replaces_id", "number"
        )
    )
    # Labels translated once, not once per row.
    kinds, statuses, methods_ = (
        {value: str(label) for value, label in choices.choices}
        for choices in (Receipt.Kind, Receipt.Status, Donation.Method)
    )
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
        ]


def _french(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return " ".join(_french(item) for item in value)
    return str(value)


def french_csv(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """A CSV as French spreadsheets want it, produced piece by piece."""
    yield "\ufeff" + csv_text(header, [])
    batch = []
    for row in rows:
        batch.append([_french(value) for value in row])
        if len(batch) == 500:
            yield csv_text(None, batch)
            batch = []
    if batch:
        yield csv_text(None, batch)


def register_csv(receipts) -> Iterator[str]:
    with translation.override("fr"):
        header = _columns()
    return french_csv(header, register_rows(receipts))


def register_xlsx(receipts) -> IO[bytes]:
    """The register as an Excel workbook, written in openpyxl's write-only (streaming) mode
    to a temporary file, returned rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Tax receipts"))
    with translation.override("fr"):
        sheet.append(_columns())
    for row in register_rows(receipts):
        row[2] = " ".join(date.strftime("%d/%m/%Y") for date in row[2])
        sheet.append(row)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the FileResponse closes it)
    workbook.save(out)
    out.seek(0)
    return out


def donors_rows(donors) -> Iterator[list]:
    for donor in donors.iterator(chunk_size=CHUNK):
        yield [
            donor.last_name, donor.first_name, donor.email, ", ".join(donor.address_lines),
            donor.gifts, donor.total,
        ]  # fmt: skip


def donors_csv(donors) -> Iterator[str]:
    with translation.override("fr"):
        header = [_("Last name"), _("First names"), _("Email"), _("Address"), _("Gifts"),
                  _("Total")]  # fmt: skip
    return french_csv(header, donors_rows(donors))
