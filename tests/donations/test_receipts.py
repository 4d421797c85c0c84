"""Tax receipts (Cerfa n°11580): amounts in words, the PDF's mentions, numbering, freezing."""

import io
import os
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from bench.batch_memory import resident_mb
from donations import pdf
from donations.amounts import amount_in_words
from donations.demo import demo_association
from donations.models import Receipt, ReceiptSequence
from donations.services.annual import issue_annual_receipts
from donations.services.receipts import issue_receipt, receipt_pdf, reissue_receipt
from tests.support.donations import aware, make_donor, monthly_gift, paid_donation, pdf_text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1", "un euro"),
        ("5", "cinq euros"),
        ("21", "vingt et un euros"),
        ("71", "soixante et onze euros"),
        ("80", "quatre-vingts euros"),
        ("81", "quatre-vingt-un euros"),
        ("100", "cent euros"),
        ("200", "deux cents euros"),
        ("1000", "mille euros"),
        ("1234.56", "mille deux cent trente-quatre euros et cinquante-six centimes"),
        ("10000", "dix mille euros"),
        ("280.80", "deux cent quatre-vingts euros et quatre-vingts centimes"),
        ("2.01", "deux euros et un centime"),
        ("0.50", "cinquante centimes"),
        ("1000000", "un million d'euros"),
    ],
)
def test_amounts_in_french_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_the_receipt_pdf_holds_every_mandatory_mention(association):
    donor = make_donor()
    donation = paid_donation(donor, "1234.56", paid_at=aware(2026, 3, 5))
    receipt = issue_receipt([donation])
    document = receipt_pdf(receipt)

    reader = pypdf.PdfReader(io.BytesIO(document))
    assert len(reader.pages) == 1
    width, height = (float(value) for value in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    metadata = reader.trailer["/Root"]["/Metadata"].get_data()
    assert b'pdfaid:part="3" pdfaid:conformance="B"' in metadata  # PDF/A-3b, archiving

    text = pdf_text(document)
    year = receipt.issued_at.year
    for mention in [
        "Reçu au titre des dons à certains organismes d'intérêt général",
        "Article 200 du code général des impôts",
        f"Numéro d'ordre du reçu : {year}-000001",
        # The beneficiary.
        "Les Amis de",
        "12 rue des Imprimeurs, 69002 Lyon, France",
        "SIREN : 123456789",
        "RNA : W691234567",
        "Objet : Éditer et diffuser le magazine",
        "Œuvre ou organisme d'intérêt général",
        # The donor.
        "Nom : Curie",
        "Prénoms : Marie Salomea",
        "Adresse : 36 quai de Béthune, 75004 Paris, France",
        # The gift.
        "***1 234,56 €***",
        "mille deux cent trente-quatre euros et cinquante-six centimes",
        "Date du versement ou du don : 05/03/2026",
        "certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent droit à la "
        "réduction d'impôt prévue à l'article 200 du CGI",
        "Forme du don Déclaration de don manuel",
        "Nature du don Numéraire",
        "Mode de versement Carte bancaire",
        # Place, date, signatory.
        f"Fait à Lyon, le {receipt.issued_at.astimezone().strftime('%d/%m/%Y')}",
        "Hélène Roux, Trésorière",
    ]:
        assert mention.replace("\u202f", " ") in text.replace("\u202f", " "), mention
    # The signature image is in the page.
    assert any(page.images for page in reader.pages)


def test_an_issued_receipt_is_frozen(association):
    donor = make_donor()
    receipt = issue_receipt([paid_donation(donor, "50")])
    first = receipt_pdf(receipt)

    donor.last_name = "Skłodowska"
    donor.line1 = "1 rue Pierre et Marie Curie"
    donor.save()
    association.name = "Autre nom"
    association.signatory_name = "Quelqu'un d'autre"
    association.save()

    receipt = Receipt.objects.get(pk=receipt.pk)
    assert receipt_pdf(receipt) == first
    text = pdf_text(first)
    assert "Curie" in text and "Skłodowska" not in text
    assert "Hélène Roux" in text and "Autre nom" not in text


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads Linux's /proc")
def test_making_receipt_pdfs_does_not_grow_the_process_memory(association):
    """A year's batch makes thousands of PDFs in one worker process: each must give its
    memory back (WeasyPrint's font configuration per document kept ~0.25 MB each)."""
    donor = make_donor()
    receipts = [issue_receipt([paid_donation(donor, "50")]) for _ in range(20)]
    for receipt in receipts:  # warm-up: fonts loaded, templates compiled, allocator settled
        pdf.render_receipt(receipt)
    before = resident_mb()
    for _ in range(4):
        for receipt in receipts:
            pdf.render_receipt(receipt)
    grown = resident_mb() - before
    assert grown < 8, f"80 PDFs grew the process by {grown:.1f} MB"


def test_numbers_follow_each_other_within_the_year(association):
    donor = make_donor()
    numbers = [issue_receipt([paid_donation(donor)]).number for _ in range(3)]
    year = ReceiptSequence.objects.get().year
    assert numbers == [f"{year}-000001", f"{year}-000002", f"{year}-000003"]


def test_a_gift_is_receipted_once(association):
    donation = paid_donation(make_donor())
    issue_receipt([donation])
    with pytest.raises(ValueError, match="already has receipt"):
        issue_receipt([donation])


def test_an_unpaid_gift_gets_no_receipt(association):
    donation = paid_donation(make_donor(), status="pending")
    with pytest.raises(ValueError, match="not a paid gift"):
        issue_receipt([donation])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under real concurrency need PostgreSQL (SQLite serialises writers)",
)
def test_fifty_concurrent_issues_get_fifty_consecutive_numbers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_association()
    donations = [paid_donation(make_donor(email=f"d{n}@example.org"), "10") for n in range(50)]
    barrier = threading.Barrier(50)
    numbers, errors = [], []

    def issue(donation):
        try:
            barrier.wait()
            numbers.append(issue_receipt([donation]).number)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(donation,)) for donation in donations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    year = ReceiptSequence.objects.get().year
    assert sorted(numbers) == [f"{year}-{n:06d}" for n in range(1, 51)]
    assert ReceiptSequence.objects.get().last_number == 50


class CountingServer:
    """An HTTP server that counts what is asked of it: a receipt must ask nothing."""

    def __init__(self):
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def test_html_in_a_donor_name_is_text_and_fetches_nothing(association):
    server = CountingServer()
    try:
        name = f'<img src="{server.url}/pixel.png"><link rel="stylesheet" href="{server.url}/x">'
        donor = make_donor(
            last_name=name,
            first_name=f"<style>@import url({server.url}/import.css);</style>Jean",
            line1=f"{server.url}/adresse",
        )
        receipt = issue_receipt([paid_donation(donor)])
        text = pdf_text(receipt_pdf(receipt))
    finally:
        server.close()
    assert server.requests == []
    assert '<img src="' in text  # shown as the characters the donor typed
    assert "@import url(" in text


def test_the_pdf_fetcher_refuses_everything_but_data_and_project_static_files():
    from kiosque.pdf import ProjectFilesOnly, static_file_url

    fetcher = ProjectFilesOnly()
    for url in ("http://example.org/x.png", "file:///etc/passwd", "ftp://example.org/x"):
        with pytest.raises(ValueError, match="may not load"):
            fetcher.fetch(url)
    assert b"@page" in fetcher.fetch(static_file_url("kiosque/css/receipt.css")).read()
    assert fetcher.fetch("data:text/plain;base64,YQ==").read() == b"a"


def test_an_annual_summary_lists_the_year_s_monthly_gifts(association):
    donor = make_donor()
    gift = monthly_gift(donor)
    for month in (1, 2, 3, *range(5, 13)):
        paid_donation(donor, "10", paid_at=aware(2026, month, 5), monthly_gift=gift)
    already = paid_donation(donor, "10", paid_at=aware(2026, 4, 5), monthly_gift=gift)
    issue_receipt([already])  # receipted on its own: never counted again
    paid_donation(donor, "10", paid_at=aware(2025, 12, 5), monthly_gift=gift)  # other year
    paid_donation(donor, "99", paid_at=aware(2026, 6, 1))  # one-off: its own receipt

    run = issue_annual_receipts(2026)

    assert (run.count, run.total) == (1, Decimal("110.00"))
    receipt = Receipt.objects.get(kind=Receipt.Kind.ANNUAL)
    assert receipt.amount == Decimal("110.00")
    assert [payment["date"] for payment in receipt.payments] == [
        f"2026-{month:02d}-05" for month in (1, 2, 3, *range(5, 13))
    ]
    document = receipt_pdf(receipt)
    assert len(pypdf.PdfReader(io.BytesIO(document)).pages) == 1
    text = pdf_text(document)
    assert "reçu récapitulatif des dons de l'année 2026" in text
    assert "05/01/2026" in text and "05/12/2026" in text and "05/04/2026" not in text
    assert "cent dix euros" in text
    assert issue_annual_receipts(2026).count == 0  # a second run issues nothing


def test_cancelling_stamps_the_receipt_and_the_correction_refers_to_it(
    association, django_user_model
):
    treasurer = django_user_model.objects.create_user("t", "t@example.org", "x")
    donation = paid_donation(make_donor(last_name="Curi"), "50")
    receipt = issue_receipt([donation])

    corrected = reissue_receipt(
        receipt,
        reason="Nom du donateur mal orthographié",
        by=treasurer,
        donor_details={"last_name": "Curie"},
    )

    receipt.refresh_from_db()
    assert receipt.is_cancelled and receipt.cancelled_by == treasurer
    assert receipt.cancellation_reason == "Nom du donateur mal orthographié"
    assert corrected.replaces == receipt
    assert corrected.sequence == receipt.sequence + 1
    cancelled_text = pdf_text(bytes(receipt.pdf))
    assert "ANNULÉ" in cancelled_text and "Nom du donateur mal orthographié" in cancelled_text
    corrected_text = pdf_text(receipt_pdf(corrected))
    assert f"annule et remplace le reçu n° {receipt.number}" in corrected_text
    assert "Nom : Curie " in corrected_text
    donation.refresh_from_db()
    assert donation.receipt == corrected
    with pytest.raises(ValidationError, match="jamais supprimé"):
        receipt.delete()
    assert Receipt.objects.count() == 2


def test_january_s_batch_is_scheduled_and_can_be_run_by_hand(association, settings):
    from io import StringIO

    from django.core.management import call_command

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["issue-annual-receipts"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].month_of_year == {1}

    donor = make_donor()
    gift = monthly_gift(donor)
    paid_donation(donor, "10", paid_at=aware(2026, 2, 1), monthly_gift=gift)
    paid_donation(donor, "10", paid_at=aware(2026, 3, 1), monthly_gift=gift)
    out = StringIO()
    call_command("issue_annual_receipts", "2026", stdout=out)
    assert out.getvalue().strip() == "1 reçu récapitulatif émis pour 2026 (20 €)."
    assert Receipt.objects.get().payments[1]["date"] == "2026-03-01"
