"""The treasurer's desk: access, lists, exports read back, the ZIP, the declaration, the log."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from donations import selectors
from donations.models import Donation, Receipt, ReceiptArchive, TreasuryLog
from donations.services.archives import build_receipts_archive
from donations.services.receipts import issue_receipt, reissue_receipt
from kiosque.access import TREASURER_GROUP
from tests.support.donations import aware, make_donor, monthly_gift, paid_donation

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

DESK_PAGES = [
    ("donations-dashboard:treasury", []),
    ("donations-dashboard:donations", []),
    ("donations-dashboard:receipts", []),
    ("donations-dashboard:log", []),
    ("donations-dashboard:receipts-export", ["csv"]),
    ("donations-dashboard:receipts-export", ["xlsx"]),
    ("donations-dashboard:donors-export", []),
]


@pytest.fixture
def treasurer(client, django_user_model):
    user = django_user_model.objects.create_user(
        "claire", "claire@example.org", "x-long-password", is_staff=True, first_name="Claire"
    )
    user.groups.add(Group.objects.get(name=TREASURER_GROUP))  # made by a migration
    client.force_login(user)
    return user


@pytest.fixture
def year_of_receipts(db):
    """This year's receipts: one-off, monthly, a cancelled one and its correction, a refund."""
    curie = make_donor(last_name="Curie", first_name="Marie")
    bohr = make_donor(email="niels@example.org", last_name="Bohr", first_name="Niels")
    one_off = issue_receipt([paid_donation(curie, "100.00")])
    gift = monthly_gift(bohr, "10.00")
    monthly = issue_receipt([paid_donation(bohr, "10.00", monthly_gift=gift)])
    wrong = issue_receipt([paid_donation(bohr, "1234.56")])
    corrected = reissue_receipt(
        wrong, reason="Adresse erronée", donor_details={"line1": "17 Blegdamsvej"}
    )
    return {"one_off": one_off, "monthly": monthly, "wrong": wrong, "corrected": corrected}


def test_only_the_treasury_group_reaches_the_desk(client, django_user_model, treasurer):
    for name, args in DESK_PAGES:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    staff = Client()
    staff.force_login(
        django_user_model.objects.create_user("p", "p@example.org", "x", is_staff=True)
    )
    anonymous = Client()
    for name, args in DESK_PAGES:
        assert staff.get(reverse(name, args=args)).status_code == 403, name
        assert anonymous.get(reverse(name, args=args)).status_code == 302, name
    menu = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("donations-dashboard:treasury") in menu
    assert (
        reverse("donations-dashboard:treasury")
        not in staff.get(reverse("dashboard:index")).content.decode()
    )


def test_the_register_filters_and_totals(client, treasurer, year_of_receipts):
    page = client.get(reverse("donations-dashboard:receipts"), {"status": "issued"})
    assert page.context["totals"]["count"] == 3
    assert page.context["totals"]["in_force_amount"] == Decimal("1344.56")
    page = client.get(reverse("donations-dashboard:receipts"), {"kind": "monthly"})
    assert [r.number for r in page.context["receipts"]] == [year_of_receipts["monthly"].number]
    page = client.get(
        reverse("donations-dashboard:receipts"), {"amount_min": "50", "donor": "bohr"}
    )
    assert {r.number for r in page.context["receipts"]} == {
        year_of_receipts["wrong"].number,
        year_of_receipts["corrected"].number,
    }
    html = client.get(reverse("donations-dashboard:receipts")).content.decode()
    one_off = year_of_receipts["one_off"]
    assert reverse("donations-dashboard:receipt-pdf", args=[one_off.number]) in html
    assert reverse("donations-dashboard:donor", args=[one_off.donor_id]) in html
    bad = client.get(
        reverse("donations-dashboard:receipts"), {"amount_min": "9", "amount_max": "1"}
    )
    assert "Le montant maximum est inférieur au minimum." in bad.content.decode()


def read_csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_reads_back(client, treasurer, year_of_receipts):
    year = year_of_receipts["one_off"].year
    response = client.get(
        reverse("donations-dashboard:receipts-export", args=["csv"]), {"year": year}
    )
    rows = read_csv(response)

    assert rows[0][:3] == ["Numéro", "Émis le", "Dates des versements"]
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [f"{year}-00000{n}" for n in (1, 2, 3, 4)]
    by_number = {row[0]: row for row in rows[1:]}
    wrong, corrected = year_of_receipts["wrong"], year_of_receipts["corrected"]
    assert by_number[wrong.number][7] == "1234,56"  # decimal comma
    assert by_number[wrong.number][10] == "annulé"
    assert by_number[wrong.number][11] == "Adresse erronée"
    assert by_number[wrong.number][13] == corrected.number
    assert by_number[corrected.number][12] == wrong.number
    assert by_number[corrected.number][5] == "17 Blegdamsvej, 75004 Paris, France"
    assert by_number[year_of_receipts["monthly"].number][9] == "versement mensuel"
    in_force = sum(Decimal(row[7].replace(",", ".")) for row in rows[1:] if row[10] == "émis")
    declaration = selectors.declaration(year)
    assert (in_force, declaration["amount"]) == (Decimal("1344.56"), Decimal("1344.56"))
    assert declaration["count"] == len([row for row in rows[1:] if row[10] == "émis"]) == 3
    entry = TreasuryLog.objects.get(action=TreasuryLog.Action.EXPORT_CSV)
    assert (entry.user, entry.details) == (treasurer, f"year={year}")


def test_the_excel_export_reads_back(client, treasurer, year_of_receipts):
    response = client.get(
        reverse("donations-dashboard:receipts-export", args=["xlsx"]), {"status": "issued"}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Numéro"
    assert len(rows) == 4
    assert sum(Decimal(str(row[7])) for row in rows[1:]) == Decimal("1344.56")
    assert isinstance(rows[1][1], datetime.datetime)  # a real date cell
    assert TreasuryLog.objects.get(action=TreasuryLog.Action.EXPORT_XLSX).details == "status=issued"


def test_the_donors_list_of_the_year(client, treasurer, year_of_receipts):
    year = year_of_receipts["one_off"].year
    rows = read_csv(client.get(reverse("donations-dashboard:donors-export"), {"year": year}))
    assert rows[1:] == [
        ["Bohr", "Niels", "niels@example.org", "17 Blegdamsvej, 75004 Paris, France", "2",
         "1244,56"],
        ["Curie", "Marie", "marie.curie@example.org", "36 quai de Béthune, 75004 Paris, France",
         "1", "100,00"],
    ]  # fmt: skip


def test_the_zip_of_the_year(
    client, treasurer, year_of_receipts, django_capture_on_commit_callbacks
):
    year = year_of_receipts["one_off"].year
    issue_receipt([paid_donation(make_donor(email="old@example.org"), "5")])
    Receipt.objects.filter(number=f"{year}-000005").update(year=year - 1)  # another year
    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(reverse("donations-dashboard:archive-start"), {"year": year})
        client.post(reverse("donations-dashboard:archive-start"), {"year": year})  # 2nd click
    assert first.status_code == 302
    archive = ReceiptArchive.objects.get()  # one job, not two
    assert len(callbacks) == 1
    progress = client.get(reverse("donations-dashboard:archive-progress", args=[archive.pk]))
    assert progress.json()["status"] == "pending" and progress.json()["download_url"] is None

    build_receipts_archive(archive.pk, progress_every=1)

    state = client.get(reverse("donations-dashboard:archive-progress", args=[archive.pk])).json()
    assert (state["status"], state["done"], state["total"], state["percent"]) == ("done", 4, 4, 100)
    response = client.get(state["download_url"])
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(bundle.namelist()) == [f"recu-fiscal-{year}-00000{n}.pdf" for n in (1, 2, 3, 4)]
    for name in bundle.namelist():
        assert len(pypdf.PdfReader(io.BytesIO(bundle.read(name))).pages) == 1
    # Done: a new click starts a new job (receipts may have changed since).
    client.post(reverse("donations-dashboard:archive-start"), {"year": year})
    assert ReceiptArchive.objects.count() == 2
    assert TreasuryLog.objects.filter(action=TreasuryLog.Action.EXPORT_ZIP).count() == 2


def test_the_annual_button_is_idempotent_and_skips_refunded_donors(client, treasurer):
    donor, refunded = make_donor(), make_donor(email="r@example.org", last_name="Rembourse")
    for who in (donor, refunded):
        gift = monthly_gift(who)
        for month in (1, 2):
            paid_donation(who, "10", paid_at=aware(2025, month, 3), monthly_gift=gift)
    Donation.objects.filter(donor=refunded).update(
        status=Donation.Status.REFUNDED, amount_refunded=Decimal("10")
    )

    client.post(reverse("donations-dashboard:annual"), {"year": 2025})
    client.post(reverse("donations-dashboard:annual"), {"year": 2025})

    receipt = Receipt.objects.get()
    assert (receipt.donor, receipt.amount, receipt.kind) == (donor, Decimal("20.00"), "annual")
    assert TreasuryLog.objects.filter(action=TreasuryLog.Action.ANNUAL).count() == 2


def test_the_year_at_a_glance(client, treasurer):
    donor = make_donor()
    paid_donation(donor, "100", paid_at=aware(2026, 3, 5))
    paid_donation(donor, "10", paid_at=aware(2026, 3, 6), monthly_gift=monthly_gift(donor))
    paid_donation(donor, "40", paid_at=aware(2025, 3, 5))
    page = client.get(reverse("donations-dashboard:treasury"), {"year": 2026})
    html = page.content.decode()
    assert html.count('<rect x="') == 24  # 12 months, two stacked bars each
    assert "<polyline" in html and 'role="img"' in html
    assert "http://" not in html.split("<svg")[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    march = page.context["months"][2]
    assert (march["name"], march["one_off"], march["monthly"]) == ("Mars", 100, 10)
    assert page.context["gifts_total"] == Decimal("110")


def test_cancellations_are_logged_and_shown(client, treasurer, year_of_receipts):
    receipt = year_of_receipts["one_off"]
    client.post(
        reverse("donations-dashboard:receipt", args=[receipt.number]),
        {"cancel": "1", "cancel-reason": "Chèque sans provision", "cancel-eligible": "no"},
    )
    entry = TreasuryLog.objects.filter(action=TreasuryLog.Action.CANCEL).first()
    assert entry.user == treasurer and receipt.number in entry.details
    page = client.get(reverse("donations-dashboard:log")).content.decode()
    assert "Chèque sans provision" in page and "Claire" in page


def test_the_gifts_list_filters_and_totals(client, treasurer, year_of_receipts):
    url = reverse("donations-dashboard:donations")
    monthly = client.get(url, {"kind": "monthly"})
    assert [d.amount for d in monthly.context["donations"]] == [Decimal("10.00")]
    one_off = client.get(url, {"kind": "one_off", "donor": "bohr"})
    assert [d.amount for d in one_off.context["donations"]] == [Decimal("1234.56")]
    assert client.get(url).context["totals"]["amount"] == Decimal("1344.56")
