"""Every CSV of ours leaves in the French spreadsheets' dialect (a BOM, ``;``, decimal
comma, dd/mm/yyyy), headed in French: the treasurer's register, the donors, the printer's
routing list, the newsletter's list. Found through the URL resolver, as
tests/kiosque/test_exports.py finds the exports (no module of ours writes CSV elsewhere:
``test_no_file_of_ours_writes_csv_or_excel_but_the_exporter``)."""

import re

from django.urls import reverse

from kiosque.exports import FRENCH_CSV, CsvFormat
from tests.kiosque.test_exports import (  # noqa: F401  (fixtures, used by name)
    export_views,
    read_back,
    sources,
    superuser_client,
    url_arguments,
)

# A header a program would write, not a person: "consent_at", "reference", "country_code".
PROGRAM_WORDS = re.compile(r"^[a-z0-9_]+$")
ENGLISH = {"name", "email", "address", "city", "country", "quantity", "reference",
           "language", "amount", "postcode", "consent given on", "country code"}  # fmt: skip


def test_every_csv_export_is_french(demo, superuser_client, sources):  # noqa: F811
    seen = set()
    for name, pattern, view in export_views():
        for kwargs, export_format in url_arguments(pattern, view, sources):
            if not isinstance(export_format, CsvFormat):
                continue
            assert export_format is FRENCH_CSV, name
            response = superuser_client.get(reverse(name, kwargs=kwargs))
            rows = read_back(response, export_format)  # checks the BOM
            header = rows[0]
            for column in header:
                assert not PROGRAM_WORDS.match(column), (name, column)
                assert column.lower() not in ENGLISH, (name, column)
            seen.add(name)
    assert {"magazine-dashboard:routing-export", "magazine-dashboard:newsletter-export"} <= seen
