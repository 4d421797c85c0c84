"""The demo treasurer's year: the chart and totals, the CSV and Excel exports, the ZIP of
every receipt with its progress bar (built by a real Celery worker)."""

import io
import re
import zipfile

import openpyxl
import pytest
from playwright.sync_api import expect

from donations.models import Receipt

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_treasurer_closes_the_year(page, site, worker, screenshot):
    page.goto(f"{site.url}/accounts/login/")
    page.locator("#id_login-username").fill("tresorier@kiosque.example")
    page.locator("#id_login-password").fill("demo-tresorier")
    page.locator("button[name=login_submit]").click()
    page.goto(f"{site.url}/dashboard/")
    page.get_by_role("button", name="Trésorerie").click()  # the dashboard menu
    page.get_by_role("link", name="L'année en un coup d'œil").click()

    expect(page.locator("svg.kiosque-chart")).to_be_visible()
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

    page.get_by_role("button", name="Préparer le ZIP").click()
    progress = page.locator(".kiosque-archive progress").first
    expect(progress).to_be_visible()
    link = page.get_by_role("link", name=re.compile("Télécharger le ZIP"))
    expect(link).to_be_visible(timeout=90_000)
    expect(progress).to_have_attribute("value", "100")
    screenshot("zip-ready")
    with page.expect_download() as zip_download:
        link.click()
    with open(zip_download.value.path(), "rb") as data:
        names = zipfile.ZipFile(io.BytesIO(data.read())).namelist()
    assert len(names) == receipts.count()
