"""Journey 2, the donor: "Faire un don" from the home page, 50 € a month, the cost after tax
reduction, the card, the thank-you page, and the email with the receipt, sent by the worker."""

import email
import io
import re
from email.header import decode_header, make_header

import pypdf
import pytest
from playwright.sync_api import expect

from donations.models import Donation, MonthlyGift
from tests.e2e.conftest import check_accessibility, check_fits_screen, fill_card
from tests.support.checkout import VISA
from tests.support.worker import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_donor(page):
    page.get_by_label("Prénoms").fill("Marie")
    page.get_by_label(re.compile("^Nom")).fill("Curie")
    page.locator("#id_email").fill("marie@example.org")
    page.locator("#id_line1").fill("36 quai de Béthune")
    page.get_by_label("Code postal").fill("75004")
    page.get_by_label("Ville").fill("Paris")


def receipt_mail(mail_dir):
    """The thank-you email the worker wrote to the file backend, once it is there whole:
    the backend writes a message in several chunks, then a line of 79 dashes."""
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else ():
        content = path.read_bytes()
        if not content.endswith(b"-" * 79 + b"\n"):
            continue  # still being written
        message = email.message_from_bytes(content)
        if "reçu fiscal" in str(make_header(decode_header(message["Subject"]))):
            return message
    return None


def test_donor_gives_fifty_euros_a_month(page, site, screenshot, mail_dir):
    page.goto(f"{site.url}/")
    # In the menu on a desktop, at the foot of the page on a phone (the menu is folded).
    page.get_by_role("link", name=re.compile("faire un don", re.IGNORECASE)).locator(
        "visible=true"
    ).first.click()
    check_accessibility(page, "donation page")
    page.get_by_label("chaque mois").check()
    page.get_by_label("50 €").check()
    expect(page.locator("#tax-cost")).to_contain_text("Un don de 50 € ne vous coûte que 17 €")
    fill_donor(page)

    # A free amount under the minimum: a French message, and nothing typed is lost.
    page.get_by_label("Autre montant, en euros").fill("4,50")
    page.get_by_role("button", name="Continuer vers le paiement").click()
    expect(page.locator("#other-amount-error")).to_contain_text("Le don minimum en ligne est de 5")
    expect(page.get_by_label("Ville")).to_have_value("Paris")
    page.get_by_label("50 €").check()
    go_on = page.get_by_role("button", name="Continuer vers le paiement")
    check_fits_screen(page, "donation page", go_on)
    screenshot("donation-form")
    go_on.click()

    give = page.get_by_role("button", name=re.compile("Donner 50,00 .* chaque mois"))
    expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()
    check_accessibility(page, "donation payment page")
    check_fits_screen(page, "donation payment page", give)
    fill_card(page, VISA)
    screenshot("donation-payment")
    give.click()

    expect(page).to_have_url(re.compile("/don/merci/"), timeout=20000)
    expect(page.locator("body")).to_contain_text("Votre don mensuel de 50,00")
    screenshot("donation-thanks")
    # Back to the payment page (from the browser's cache) and "Donner" again: thanked again,
    # never a "card refused" nor a second charge.
    page.go_back()
    expect(give).to_be_visible()
    give.click()
    expect(page).to_have_url(re.compile("/don/merci/"), timeout=20000)
    expect(page.locator("body")).not_to_contain_text("refusée")
    gift = MonthlyGift.objects.get(donor__email="marie@example.org")
    assert gift.status == MonthlyGift.Status.ACTIVE
    donation = Donation.objects.get(monthly_gift=gift)

    # The worker sends the email; its PDF is the receipt, with the donor and the amount.
    assert wait_for(lambda: receipt_mail(mail_dir) is not None, timeout=60)
    message = receipt_mail(mail_dir)
    assert message["To"] == "marie@example.org"
    (pdf,) = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == f"recu-fiscal-{donation.receipt.number}.pdf"
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf.get_payload(decode=True))).pages[0]
                    .extract_text().split())  # fmt: skip
    assert "Nom : Curie" in text and "Prénoms : Marie" in text
    assert "cinquante euros" in text


def test_the_cost_box_follows_a_valid_amount_only(page, site, screenshot):
    """It said "Un don de 100 000 € ne vous coûte que 34 000 €" next to the out-of-bounds
    error: as the donor types, and in the page the server sends back after a refused amount,
    the box speaks of a valid amount only."""
    page.goto(f"{site.url}/don/")
    box = page.locator("#tax-cost")
    expect(box).to_contain_text("Un don de 50 € ne vous coûte que 17 €")
    other = page.get_by_label("Autre montant, en euros")
    for refused in ("100000", "4,99", "douze"):
        other.fill(refused)
        expect(box).to_be_hidden()
    other.fill("120")
    expect(box).to_contain_text("Un don de 120 € ne vous coûte que 40,80 €")
    other.fill("100000")
    expect(box).to_be_hidden()

    fill_donor(page)
    page.get_by_role("button", name="Continuer vers le paiement").click()
    expect(page.locator("#other-amount-error")).to_contain_text("limités à 10")
    expect(page.get_by_label("Autre montant, en euros")).to_have_value("100000")
    expect(box).to_be_hidden()
    assert "coûte" not in page.locator("#donation-form").inner_text()
    check_accessibility(page, "donation page after a refused amount")
    screenshot("donation-refused-amount")
    page.get_by_label("200 €").check()
    expect(box).to_contain_text("Un don de 200 € ne vous coûte que 68 €")
