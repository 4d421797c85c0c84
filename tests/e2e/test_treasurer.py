"""The demo treasurer's year: the chart and totals, the CSV and Excel exports, the ZIP of
every receipt with its progress bar (built by a real Celery worker)."""

import io
import re
import zipfile

import openpyxl
import pytest
from playwright.sync_api import expect

from donations.models import Receipt
from tests.e2e.conftest import check_accessibility, check_fits_screen, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_treasurer_closes_the_year(page, device, site, screenshot):
    sign_in(page, site, "tresorier@kiosque.example", "demo-tresorier")
    page.goto(f"{site.url}/dashboard/")
    if device == "phone":
        page.locator('[data-target="#bottom_nav_bar"]').click()  # the folded menu
        # Bootstrap marks it "show" once it has finished unfolding: a click during the
        # animation may open the sub-menu and have it fold away again.
        expect(page.locator("#bottom_nav_bar")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_role("button", name="Trésorerie").click()
    page.get_by_role("link", name="L'année en un coup d'œil").click()
    page.wait_for_url(re.compile(r"/dashboard/treasury/"))

    chart = page.locator("svg.kiosque-chart")
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() == 24 and chart.locator("polyline").count() == 1
    check_accessibility(page, "the treasurer's desk")
    zip_button = page.get_by_role("button", name="Préparer le ZIP")
    check_fits_screen(page, "the treasurer's desk", zip_button)
    expect(page.locator("#totals-heading")).to_contain_text("Dons en")
    receipts = Receipt.objects.filter(status="issued")
    expect(page.locator("#declaration-heading + p")).to_contain_text(f"{receipts.count()} reçus")
    screenshot("treasury")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Registre des reçus (CSV)").click()
    with open(csv_download.value.path(), encoding="utf-8-sig") as csv_file:
        text = csv_file.read()
    assert text.count("\n") == receipts.count() + 1
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Registre des reçus (Excel)").click()
    with open(xlsx_download.value.path(), "rb") as xlsx:
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.read())).active
    assert sheet.max_row == receipts.count() + 1

    zip_button.click()
    progress = page.locator(".kiosque-archive progress").first
    expect(progress).to_be_visible()
    link = page.get_by_role("link", name=re.compile("Télécharger le ZIP"))
    seen = set()
    for _ in range(360):  # up to 90 s: the worker renders every PDF
        seen.add(int(progress.get_attribute("value")))
        if link.is_visible():
            break
        page.wait_for_timeout(250)
    expect(link).to_be_visible()
    expect(progress).to_have_attribute("value", "100")
    assert min(seen) < 100  # the bar started below 100 and moved up to it
    screenshot("zip-ready")
    with page.expect_download() as zip_download:
        link.click()
    with open(zip_download.value.path(), "rb") as data:
        names = zipfile.ZipFile(io.BytesIO(data.read())).namelist()
    assert len(names) == receipts.count()
