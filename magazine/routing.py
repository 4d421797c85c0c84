"""The printer's routing list of an issue, as CSV and as A4 address labels."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kiosque.exports import Spreadsheet
from kiosque.pdf import render_pdf
from magazine.selectors import Parcel, count_by_country

CSV_COLUMNS = (
    "reference", "name", "line1", "line2", "postcode", "city", "country_code", "country",
    "quantity",
)  # fmt: skip
LABELS_PER_PAGE = 24  # 3 columns and 8 rows of 70 by 37 mm labels


def _headers() -> list[str]:
    return [
        _("Reference"), _("Name"), _("Address"), _("Address (continued)"), _("Postcode"),
        _("City"), _("Country code"), _("Country"), _("Quantity"),
    ]  # fmt: skip


def routing_spreadsheet(number: int, parcels: list[Parcel]) -> Spreadsheet:
    """One line per parcel, the printer's columns, headed in French (the file leaves as the
    treasurer's do: ``FRENCH_CSV``, a BOM, ``;``, decimal comma)."""
    with translation.override("fr"):
        header = _headers()
    return Spreadsheet(
        f"routage-n{number}",
        f"n{number}",
        header,
        ([getattr(parcel, column) for column in CSV_COLUMNS] for parcel in parcels),
    )


def routing_labels_pdf(issue, parcels: list[Parcel]) -> bytes:
    pages = [
        parcels[start : start + LABELS_PER_PAGE]
        for start in range(0, len(parcels), LABELS_PER_PAGE)
    ]
    with translation.override("fr"):
        return render_pdf(
            "magazine/routing_labels.html",
            {
                "issue": issue,
                "pages": pages,
                "counts": count_by_country(parcels),
                "total_parcels": len(parcels),
                "total_copies": sum(parcel.quantity for parcel in parcels),
                "made_at": timezone.localtime(),
            },
            stylesheet="kiosque/css/labels.css",
        )
