"""Every CSV and Excel file hands text out as text: a name typed as ``=HYPERLINK(...)`` never
becomes a formula in the treasurer's or the printer's spreadsheet (OWASP "CSV injection").

The exports are found through the URL resolver (every view that is a ``SpreadsheetView``), and
no other module of ours may write CSV or Excel: a new export is fuzzed here, or fails here."""

import csv
import datetime
import io
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donations.services.receipts import issue_receipt
from kiosque.exports import (
    EXCEL,
    FRENCH,
    FRENCH_CSV,
    PLAIN,
    PLAIN_CSV,
    CsvFormat,
    Spreadsheet,
    SpreadsheetView,
    csv_chunks,
    neutralise,
    xlsx_file,
)
from magazine.models import Issue, NewsletterSubscriber, Subscription
from tests.support.donations import make_donor, paid_donation
from tests.support.magazine import PRINT_ONLY, place_order, subscription_of

pytestmark = pytest.mark.usefixtures("demo_once", "outbox_emails")

# OWASP's characters that start a formula, with their full-width and small forms.
TRIGGERS = "=+-@\t\r" + "\uff1d\uff0b\uff0d\uff20" + "\ufe66\ufe62\ufe63\ufe6b"
FORMULAS = [
    '=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
    "\t=1", "\r=1", "  =1+1", "\u3000=1", "\n-1", "\uff1dSUM(A1)", "\ufe62", "=", "-5",
    "+33 6 12 34 56 78", "#N/A", "'=already", "DDE(\"cmd\";\"/C calc\";\"__DdeLink\")",
]  # fmt: skip
hostile = st.one_of(
    st.sampled_from(FORMULAS),
    st.builds(
        lambda space, trigger, rest: space + trigger + rest,
        st.sampled_from(["", " ", "\t", "  \n ", "\u00a0", "\u3000"]),
        st.sampled_from(list(TRIGGERS)),
        st.text(max_size=30),
    ),
    st.text(min_size=1, max_size=60),
).filter(lambda text: "\x00" not in text)  # PostgreSQL stores no NUL: none reaches a file


def starts_a_formula(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula? (Written apart from the exporter's own
    rule, on purpose.)"""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    first = text.lstrip()[:1]
    return bool(first) and unicodedata.normalize("NFKC", first) in ("=", "+", "-", "@")


def export_views(resolver=None, prefix=""):
    """(URL name, pattern, view class) of every export of the site."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from export_views(entry, namespace)
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "view_class", None)
            if view is not None and issubclass(view, SpreadsheetView):
                yield f"{prefix}{entry.name}", entry, view


# How to fill a URL's arguments, per name: a new argument must be added here.
def url_arguments(pattern, view, data) -> list[dict]:
    fill = {"number": data["issue"].number}
    names = set(pattern.pattern.converters)
    assert names <= {"format", *fill}, f"Say how to fill {names} for {pattern}"
    kwargs = {name: fill[name] for name in names - {"format"}}
    if "format" in names:
        return [({**kwargs, "format": format.name}, format) for format in view.formats]
    return [(kwargs, view.formats[0])]


def read_back(response, format) -> list[list]:
    """The file's rows, as a spreadsheet opens it: text from a CSV (in ``format``'s dialect),
    cells from a workbook."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        assert isinstance(format, CsvFormat)
        assert raw.startswith(b"\xef\xbb\xbf") == format.dialect.bom
        text = raw.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=format.dialect.delimiter))
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    return [list(row) for row in sheet.iter_rows()]


def as_read(text: str, format: str) -> str:
    """``text`` as read back from a file: an Excel file (XML) holds no control characters
    (the exporter writes U+FFFD instead) and reads its line ends as ``\\n``."""
    if format == "csv":
        return text
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def assert_no_formula(rows):
    for row in rows:
        for cell in row:
            if not isinstance(cell, str):  # an Excel cell
                assert cell.data_type != "f", cell.value
                cell = cell.value if cell.data_type == "s" else None
            if cell:
                assert not starts_a_formula(cell) or cell.startswith("'"), repr(cell)


@pytest.fixture
def sources(db):
    """One of everything that reaches an export, whose text the tests overwrite."""
    donor = make_donor()
    receipt = issue_receipt([paid_donation(donor, "80")])
    issue = Issue.objects.create(
        number=Issue.objects.aggregate(last=Max("number"))["last"] + 1,
        title="n",
        publication_date="2027-06-01",
    )
    subscription = subscription_of(place_order(PRINT_ONLY, email="abonne@example.org"))
    Subscription.objects.filter(pk=subscription.pk).update(
        first_issue=issue.number, last_issue=issue.number
    )
    subscriber = NewsletterSubscriber.objects.create(
        email="lettre@example.org", status="confirmed", source="footer",
        requested_at=timezone.now(), consent_at=timezone.now(),
    )  # fmt: skip
    return {
        "donor": donor, "receipt": receipt, "issue": issue, "subscription": subscription,
        "subscriber": subscriber,
    }  # fmt: skip


def fit(model, name, text):
    """``text`` cut to the column's length: PostgreSQL refuses longer (SQLite would keep it)."""
    length = model._meta.get_field(name).max_length
    return text[:length] if length else text


def write_everywhere(sources, text):
    """``text`` in every field of ours that an export writes out."""
    donor, receipt = sources["donor"], sources["receipt"]
    for name in ("first_name", "last_name", "email", "line1", "line2", "city", "postcode"):
        setattr(donor, name, fit(type(donor), name, text))
    donor.save()
    Receipt = type(receipt)
    Receipt.objects.filter(pk=receipt.pk).update(
        donor_last_name=fit(Receipt, "donor_last_name", text),
        donor_first_names=fit(Receipt, "donor_first_names", text),
        donor_address=[text, text],
        cancellation_reason=fit(Receipt, "cancellation_reason", text),
    )
    Subscription.objects.filter(pk=sources["subscription"].pk).update(
        recipient_name=fit(Subscription, "recipient_name", text),
        address={"line1": text, "line2": text, "postcode": text, "city": text, "country": text},
    )
    NewsletterSubscriber.objects.filter(pk=sources["subscriber"].pk).update(
        email=fit(NewsletterSubscriber, "email", text),
        source=fit(NewsletterSubscriber, "source", text),
        language=fit(NewsletterSubscriber, "language", text),
    )


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(
        get_user_model().objects.create_superuser("root", "root@example.org", "x-long-pass")
    )
    return client


def test_the_exports_are_all_found():
    found = {(name, view.__name__) for name, _, view in export_views()}
    assert {name for name, _ in found} >= {
        "donations-dashboard:receipts-export", "donations-dashboard:donors-export",
        "magazine-dashboard:routing-export", "magazine-dashboard:newsletter-export",
    }  # fmt: skip


OUR_PACKAGES = (
    "kiosque",
    "payments",
    "accounts",
    "shop",
    "magazine",
    "donations",
    "config",
    "demo",
)


def test_no_file_of_ours_writes_csv_or_excel_but_the_exporter():
    """A new export that writes its own file (and so neutralises nothing) fails here."""
    base = Path(django_settings.BASE_DIR)
    writes = re.compile(r"^\s*(import csv|from csv|import openpyxl|from openpyxl)|text/csv", re.M)
    offenders = [
        str(path.relative_to(base))
        for folder in OUR_PACKAGES
        for path in (base / folder).rglob("*.py")
        if writes.search(path.read_text()) and path != base / "kiosque" / "exports.py"
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@A1", "\t=1", "\r=1", " =1", "\uff1d1"]
)
def test_the_register_s_example(superuser_client, sources, text):
    write_everywhere(sources, text)
    for format in (FRENCH_CSV, EXCEL):
        response = superuser_client.get(
            reverse("donations-dashboard:receipts-export", args=[format.name])
        )
        rows = read_back(response, format)
        assert_no_formula(rows)
        values = [[c if isinstance(c, str) else c.value for c in row] for row in rows]
        (ours,) = [row for row in values if row[0] == sources["receipt"].number]
        assert ours[3] == as_read("'" + text, format.name)  # the last name, readable, as text


def test_our_numbers_and_dates_stay_typed_and_text_stays_text():
    row = [Decimal("-5.00"), 3, datetime.date(2026, 1, 31), "-5", "+33 6 12 34 56 78", "a=b"]
    text = "".join(csv_chunks(["a", "b", "c", "d", "e", "f"], [row], FRENCH))
    assert text.splitlines()[1] == "-5,00;3;31/01/2026;'-5;'+33 6 12 34 56 78;a=b"
    plain = "".join(csv_chunks(["a"], [[Decimal("1.50"), datetime.date(2026, 1, 31)]], PLAIN))
    assert plain.splitlines()[1] == "1.50;2026-01-31"
    sheet = openpyxl.load_workbook(xlsx_file("t", ["h"] * 6, [row])).active
    cells = next(sheet.iter_rows(min_row=2))
    assert [cell.data_type for cell in cells] == ["n", "n", "d", "s", "s", "s"]
    assert [cell.value for cell in cells[3:]] == ["'-5", "'+33 6 12 34 56 78", "a=b"]
    assert neutralise("#N/A") == "#N/A"  # not a formula; a string cell all the same
    assert openpyxl.load_workbook(xlsx_file("t", ["#N/A"], [])).active["A1"].data_type == "s"


@settings(
    max_examples=40,
    derandomize=True,  # the same examples on every run: CI is reproducible
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile)
def test_hostile_text_leaves_every_export_as_text(superuser_client, sources, text):
    write_everywhere(sources, text)
    exports = list(export_views())
    assert exports
    for name, pattern, view in exports:
        for kwargs, export_format in url_arguments(pattern, view, sources):
            response = superuser_client.get(reverse(name, kwargs=kwargs))
            assert response.status_code == 200, (name, kwargs)
            rows = read_back(response, export_format)
            assert_no_formula(rows)
            values = [c if isinstance(c, str) else c.value for row in rows for c in row]
            format = "csv" if response["Content-Type"].startswith("text/csv") else "xlsx"
            # The text is there, readable: as typed, or behind an apostrophe.
            assert as_read(neutralise(text), format) in values, (name, kwargs, text)


def test_every_export_opens_in_a_spreadsheet_in_every_format_it_offers(superuser_client, sources):
    """Each format object writes its own file: a French CSV (BOM, ``;``, decimal comma), a
    plain one, or a workbook; each one named after its extension, with its header row."""
    checked = set()
    for name, pattern, view in export_views():
        for kwargs, export_format in url_arguments(pattern, view, sources):
            response = superuser_client.get(reverse(name, kwargs=kwargs))
            assert response.status_code == 200, (name, kwargs)
            assert f".{export_format.extension}" in response["Content-Disposition"]
            rows = read_back(response, export_format)
            assert rows and all(rows[0]), (name, kwargs)  # a header, every column named
            checked.add(export_format)
    assert checked == {PLAIN_CSV, FRENCH_CSV, EXCEL}


def test_a_format_a_view_does_not_offer_is_not_found(superuser_client):
    response = superuser_client.get(reverse("donations-dashboard:receipts-export", args=["ods"]))
    assert response.status_code == 404


def test_the_formats_write_the_same_sheet_their_own_way(rf):
    def sheet():
        return Spreadsheet(
            "f", "t", ["amount", "date"], [[Decimal("12.50"), datetime.date(2026, 1, 31)]]
        )

    def body(format):
        response = format.response(sheet())
        return b"".join(response.streaming_content)

    assert body(FRENCH_CSV) == "\ufeffamount;date\r\n12,50;31/01/2026\r\n".encode()
    assert body(PLAIN_CSV) == b"amount;date\r\n12.50;2026-01-31\r\n"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(EXCEL.response(sheet()))))
    assert [cell.value for cell in workbook.active[2]] == [
        12.5,
        datetime.datetime(2026, 1, 31),
    ]
