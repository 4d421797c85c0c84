"""A summary receipt stays on one page whatever number of payments a year holds; a receipt
that ever needs a second page carries its number and the donor on every page (issue 16,
item 16)."""

import io
from decimal import Decimal

import pypdf
import pytest

from donations.models import Association, Receipt
from donations.services.annual import issue_annual_receipts
from donations.services.receipts import issue_receipt, receipt_pdf, reissue_receipt
from tests.support.donations import aware, make_donor, monthly_gift, paid_donation

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")

LONG_DONOR = {
    "first_name": "Marie-Thérèse Bernadette Jeanne-Antoinette",
    "last_name": "de La Rochefoucauld-Montmorency d'Aiguebelle",
    "line1": "Résidence des Grands Chênes, bâtiment C, escalier 4, appartement 1207",
    "line2": "128 boulevard du Maréchal Jean-Marie de Lattre de Tassigny",
    "postcode": "92130",
    "city": "Issy-les-Moulineaux",
}


def pages(document: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(document))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def summary_with(gifts_at_once: int, *, year=2025, **donor) -> Receipt:
    """A donor with ``gifts_at_once`` monthly gifts running side by side all year, and
    several payments a month each (a retried invoice is a payment of its own)."""
    donor = make_donor(**donor)
    for _ in range(gifts_at_once):
        gift = monthly_gift(donor, "10")
        for month in range(1, 13):
            paid_donation(donor, "10", paid_at=aware(year, month, 3), monthly_gift=gift)
            paid_donation(donor, "10.50", paid_at=aware(year, month, 28), monthly_gift=gift)
    assert issue_annual_receipts(year).count == 1
    return Receipt.objects.get(kind=Receipt.Kind.ANNUAL)


@pytest.mark.parametrize("gifts_at_once", [1, 2, 16])
def test_a_summary_receipt_stays_on_one_page_for_any_number_of_payments(gifts_at_once):
    receipt = summary_with(gifts_at_once, **LONG_DONOR)
    assert len(receipt.payments) == 24 * gifts_at_once  # 24 is where it used to break

    corrected = reissue_receipt(
        receipt, reason="Adresse du donateur à corriger : " + "x" * 300
    )  # the longest receipt: it says which one it replaces
    for document in (
        receipt_pdf(corrected),
        bytes(Receipt.objects.get(pk=receipt.pk).pdf),
    ):
        (text,) = pages(document)  # one page, the cancelled one (stamped) too
        assert "Fait à Lyon" in text  # the place, date and signatory: on the same page
        assert corrected.number in text or receipt.number in text
        total = Decimal("246.00") * gifts_at_once
        assert f"{total:.2f}".replace(".", ",") in text.replace("\u202f", "").replace(" ", "")
        # Each month of the year is there, with what was given in it.
        for month in ("janvier 2025", "juin 2025", "décembre 2025"):
            assert month in text.lower()


def test_a_few_payments_are_still_listed_one_by_one():
    donor = make_donor()
    gift = monthly_gift(donor)
    for month in (1, 4, 9):
        paid_donation(donor, "10", paid_at=aware(2025, month, 5), monthly_gift=gift)
    issue_annual_receipts(2025)
    (text,) = pages(receipt_pdf(Receipt.objects.get()))
    assert "05/01/2025" in text and "05/04/2025" in text and "05/09/2025" in text


def test_every_page_of_a_receipt_that_needs_two_carries_its_number_and_the_donor():
    Association.objects.update(purpose="Éditer et diffuser le magazine. " * 250)
    receipt = issue_receipt([paid_donation(make_donor(), "50")])

    document = receipt_pdf(receipt)

    texts = pages(document)
    assert len(texts) >= 2
    for text in texts:
        assert receipt.number in text and "Curie" in text
