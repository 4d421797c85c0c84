"""Every CSV and Excel file the site hands out goes through here: one writer, its formats.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (after spaces), a tab
or a carriage return as a formula: a donor named ``=HYPERLINK(...)`` would run in the
treasurer's spreadsheet (OWASP, "CSV injection"). So every piece of text, whoever typed it,
leaves with an apostrophe in front when it starts like a formula, and Excel cells holding
text are always string cells; only our own numbers and dates become typed cells.

Files are produced piece by piece (CSV chunks streamed, Excel in openpyxl's write-only
mode to a temporary file), so memory stays flat whatever the number of rows
(bench/export_memory.py). The file's format is an object (``PLAIN_CSV``, ``FRENCH_CSV``,
``EXCEL``) the caller chooses by name; the apps' exports say only what their columns are.
Export views subclass ``SpreadsheetView``: tests/kiosque/test_exports.py finds them all through the
URL resolver and feeds every format they offer hostile text.
"""

import csv
import datetime
import io
import itertools
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.http import FileResponse, Http404, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.views import View
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 500  # rows per CSV piece sent

# What makes a spreadsheet read a cell as a formula (OWASP), compared after NFKC
# normalisation so that the full-width and small forms (U+FF1D, U+FE62...) count too.
FORMULA_STARTS = frozenset("=+-@")
CONTROL_STARTS = frozenset("\t\r\n")


def is_formula_like(text: str) -> bool:
    if not text:
        return False
    if text[0] in CONTROL_STARTS:
        return True
    rest = text.lstrip()
    return bool(rest) and unicodedata.normalize("NFKC", rest[0])[:1] in FORMULA_STARTS


def neutralise(text: str) -> str:
    """``text`` as a cell that no spreadsheet runs: an apostrophe in front of what would
    start a formula (``-5`` typed as a name stays readable: ``'-5``)."""
    return "'" + text if is_formula_like(text) else text


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written: the byte-order mark, the separator, how numbers and dates
    read. The Excel file is the same whatever the dialect (typed cells)."""

    bom: bool
    delimiter: str
    decimal_comma: bool
    date_format: str | None  # None: ISO 8601

    def number(self, value) -> str:
        text = f"{value:.2f}" if isinstance(value, Decimal) else str(value)
        return text.replace(".", ",") if self.decimal_comma else text

    def date(self, value: datetime.date) -> str:
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)  # Paris time
            if self.date_format:
                return value.strftime(f"{self.date_format} %H:%M")
        return value.strftime(self.date_format) if self.date_format else value.isoformat()


# UTF-8 and ``;`` for programs that want no BOM. Our exports are all read by people in French
# spreadsheets (the treasurer's, the printer's routing list, the newsletter's list): FRENCH.
PLAIN = Dialect(bom=False, delimiter=";", decimal_comma=False, date_format=None)
# What French spreadsheets open without questions: a BOM, ``;``, decimal comma, dd/mm/yyyy.
FRENCH = Dialect(bom=True, delimiter=";", decimal_comma=True, date_format="%d/%m/%Y")


def text_of(value, dialect: Dialect) -> str:
    """A cell's text in a CSV file: our numbers and dates as the dialect writes them, any
    other text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal | int | float):
        return dialect.number(value)
    if isinstance(value, datetime.date):  # datetimes included
        return dialect.date(value)
    if isinstance(value, list | tuple):  # our own values (e.g. payment dates) in one cell
        return neutralise(" ".join(text_of(item, dialect) for item in value))
    return neutralise(str(value))


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence], dialect: Dialect = PLAIN
) -> Iterator[str]:
    """The CSV file, ``CHUNK`` rows at a time, header first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")

    def flush() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    writer.writerow([text_of(name, dialect) for name in header])
    yield ("\ufeff" if dialect.bom else "") + flush()
    count = 0
    for row in rows:
        writer.writerow([text_of(value, dialect) for value in row])
        count += 1
        if count % CHUNK == 0:
            yield flush()
    if count % CHUNK:
        yield flush()


# How Excel shows our typed cells, whatever the reader's locale: amounts (Decimal: our money)
# as euros, dates as the French write them.
EURO_FORMAT = "#,##0.00 €"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# Columns are sized to the header and the first rows (write-only mode writes the columns'
# widths before the rows: the file streams, so the widths come from a bounded sample).
WIDTH_SAMPLE = CHUNK
MIN_WIDTH, MAX_WIDTH = 8, 70


def xlsx_cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    """A typed cell for our numbers and dates, a string cell for anything else (never a
    formula: openpyxl would read text starting with ``=`` as one)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)  # Excel has no time zones: Paris time
    if value is None or isinstance(value, bool | Decimal | int | float | datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, Decimal):
            cell.number_format = EURO_FORMAT
        elif isinstance(value, datetime.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, list | tuple):
        value = " ".join(text_of(item, FRENCH) for item in value)
    # Characters XML cannot carry (control characters) would make openpyxl refuse the file.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise(str(value))))
    cell.data_type = "s"  # not "f" (text starting with "="), nor "e" (text like "#N/A")
    if bold:
        cell.font = Font(bold=True)
    return cell


def shown_width(value) -> int:
    """About how many characters Excel shows for ``value`` in its cell's format."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return len(f"{value:,.2f} €")
    if isinstance(value, datetime.datetime):
        return len("dd/mm/yyyy hh:mm")
    if isinstance(value, datetime.date):
        return len("dd/mm/yyyy")
    return max((len(line) for line in text_of(value, FRENCH).splitlines()), default=0)


def column_widths(header: Sequence[str], sample: Sequence[Sequence]) -> list[float]:
    widths = [shown_width(name) for name in header]
    for row in sample:
        for index, value in enumerate(row):
            if index < len(widths):
                widths[index] = max(widths[index], shown_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widths]


def xlsx_file(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> IO[bytes]:
    """The Excel workbook written in write-only (streaming) mode to a temporary file,
    returned rewound: typed cells (euros, dates dd/mm/yyyy), the header row in bold and
    frozen, the columns as wide as the header and the first ``WIDTH_SAMPLE`` rows."""
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\\/*?:\[\]]", " ", title)[:31] or "Export")
    for index, width in enumerate(column_widths(header, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_cell(sheet, name, bold=True) for name in header])
    for row in itertools.chain(sample, rows):
        sheet.append([xlsx_cell(sheet, value) for value in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the FileResponse closes it)
    workbook.save(out)
    out.seek(0)
    return out


@dataclass
class Spreadsheet:
    """What an export hands out: its name (without extension), the sheet's title, the
    header and the rows (an iterator: rows are read once, as they are written)."""

    filename: str
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]


class ExportFormat:
    """How a ``Spreadsheet`` leaves as a file. ``name`` is what the caller asks for (the URL's
    ``format``: ``csv``, ``xlsx``); a new format is a subclass here, offered by the views that
    list it in their ``formats``."""

    name: str
    extension: str

    def response(self, sheet: Spreadsheet) -> HttpResponseBase:
        raise NotImplementedError


@dataclass(frozen=True)
class CsvFormat(ExportFormat):
    """CSV in one of the two dialects, streamed ``CHUNK`` rows at a time."""

    dialect: Dialect
    name = extension = "csv"

    def response(self, sheet: Spreadsheet) -> HttpResponseBase:
        response = StreamingHttpResponse(
            csv_chunks(sheet.header, sheet.rows, self.dialect),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{sheet.filename}.csv"'
        return response


@dataclass(frozen=True)
class XlsxFormat(ExportFormat):
    """An Excel workbook with typed cells (the same whoever reads it)."""

    name = extension = "xlsx"

    def response(self, sheet: Spreadsheet) -> HttpResponseBase:
        return FileResponse(
            xlsx_file(sheet.title, sheet.header, sheet.rows),
            as_attachment=True,
            filename=f"{sheet.filename}.xlsx",
            content_type=XLSX,
        )


# For a program that wants no BOM (none of our exports offers it today).
PLAIN_CSV = CsvFormat(PLAIN)
# For the treasurer's French spreadsheet.
FRENCH_CSV = CsvFormat(FRENCH)
EXCEL = XlsxFormat()


class SpreadsheetView(View):
    """A download of rows as a file: subclasses list the ``formats`` they offer (the first
    is the default) and make the ``spreadsheet()`` from the request. The caller picks the
    format by its name (the URL's ``format``), parsed once here; the chosen ``ExportFormat``
    is handed to ``spreadsheet()`` and writes the file."""

    # Every CSV of ours is French by default: a BOM, ``;``, decimal comma, dd/mm/yyyy.
    formats: Sequence[ExportFormat] = (FRENCH_CSV,)

    def spreadsheet(self, format: ExportFormat, **kwargs) -> Spreadsheet:
        raise NotImplementedError

    def export_format(self, name: str | None) -> ExportFormat:
        if name is None:
            return self.formats[0]
        for export_format in self.formats:
            if export_format.name == name:
                return export_format
        raise Http404

    def get(self, request, format=None, **kwargs):
        export_format = self.export_format(format)
        return export_format.response(self.spreadsheet(export_format, **kwargs))
