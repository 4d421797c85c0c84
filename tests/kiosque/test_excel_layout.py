"""Every Excel file reads like the treasurer's spreadsheet: amounts as euro-formatted numbers,
dates as real dates shown dd/mm/yyyy, columns as wide as what they hold, the header row
frozen. Checked on the exporter's writer and on every export that offers Excel (found
through the URL resolver, as tests/kiosque/test_exports.py finds them)."""

import datetime
import io
from decimal import Decimal

import openpyxl
from django.urls import reverse
from django.utils import timezone

from kiosque.exports import EXCEL, xlsx_file
from tests.kiosque.test_exports import (  # noqa: F401  (fixtures, used by name)
    export_views,
    sources,
    superuser_client,
    url_arguments,
)

EURO = "#,##0.00 €"
DATE = "DD/MM/YYYY"

LONG_ADDRESS = "12 boulevard de la Libération, Bâtiment B, 13001 Marseille, France"


def test_the_writer_types_formats_sizes_and_freezes():
    header = ["Montant", "Le", "À", "Nombre", "Adresse"]
    row = [
        Decimal("1234.56"),
        datetime.date(2026, 1, 31),
        timezone.make_aware(datetime.datetime(2026, 3, 2, 14, 5)),
        3,
        LONG_ADDRESS,
    ]
    sheet = openpyxl.load_workbook(xlsx_file("t", header, [row])).active

    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    amount, day, moment, count, _address = sheet[2]
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 1234.56, EURO)
    assert day.is_date and day.value == datetime.datetime(2026, 1, 31)
    assert day.number_format == DATE
    assert moment.is_date and moment.number_format == "DD/MM/YYYY HH:MM"
    assert moment.value == datetime.datetime(2026, 3, 2, 14, 5)  # Paris time
    assert (count.data_type, count.number_format) == ("n", "General")
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    assert widths["A"] >= len("1 234,56 €") and widths["B"] >= len("31/01/2026")
    assert widths["E"] >= len(LONG_ADDRESS)
    assert widths["D"] < 20  # a short column stays short


def test_a_long_text_does_not_make_a_column_endless():
    sheet = openpyxl.load_workbook(xlsx_file("t", ["Motif"], [["x" * 5000]])).active
    assert 20 <= sheet.column_dimensions["A"].width <= 80


def excel_sheets(client, data):
    for name, pattern, view in export_views():
        for kwargs, export_format in url_arguments(pattern, view, data):
            if export_format is EXCEL:
                response = client.get(reverse(name, kwargs=kwargs))
                raw = b"".join(response.streaming_content)
                yield name, openpyxl.load_workbook(io.BytesIO(raw)).active


def test_every_excel_export_has_euros_dates_sized_columns_and_a_frozen_header(
    demo,
    superuser_client,  # noqa: F811  (the fixture imported above)
    sources,  # noqa: F811
):
    sheets = list(excel_sheets(superuser_client, sources))
    assert sheets  # the treasurer's register at least
    for name, sheet in sheets:
        assert sheet.freeze_panes == "A2", name
        rows = list(sheet.iter_rows())
        assert len(rows) > 1, name
        for column, header in enumerate(rows[0]):
            letter = header.column_letter
            width = sheet.column_dimensions[letter].width
            assert width >= len(header.value), (name, header.value, width)
            for row in rows[1:]:
                cell = row[column]
                if isinstance(cell.value, float):
                    assert cell.number_format == EURO, (name, header.value)
                if cell.is_date:
                    assert cell.number_format.startswith(DATE), (name, header.value)
                if isinstance(cell.value, str):
                    assert width >= min(len(cell.value), 68), (name, header.value, width)


def test_the_treasurer_s_register_in_excel(demo, superuser_client, sources):  # noqa: F811
    response = superuser_client.get(reverse("donations-dashboard:receipts-export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    number = sources["receipt"].number
    (row,) = [row for row in sheet.iter_rows(min_row=2) if row[0].value == number]
    amount = row[header.index("Montant")]
    assert amount.data_type == "n" and amount.number_format == EURO
    assert Decimal(str(amount.value)) == sources["receipt"].amount
    issued = row[header.index("Émis le")]
    assert issued.is_date and issued.number_format == DATE
    assert issued.value.date() == timezone.localdate(sources["receipt"].issued_at)
    address = row[header.index("Adresse")]
    assert sheet.column_dimensions[address.column_letter].width >= len(address.value)
