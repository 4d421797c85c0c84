"""CSV files as the association's partners read them: UTF-8, ``;``-separated (French
spreadsheets use the comma for decimals), one header line."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse


def csv_text(header: Iterable[str] | None, rows: Iterable[Iterable]) -> str:
    """CSV lines (with ``header`` first unless None)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
