"""Journey 1, the reader: a print issue and a PDF issue, bought by a new customer with the
test card, then the PDF downloaded from their space. And a declined card."""

import email
import re
from email.header import decode_header, make_header

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.conftest import (
    add_issue,
    check_accessibility,
    check_fits_screen,
    choose_edition,
    fill_card,
)
from tests.support.checkout import ADDRESS, DECLINED_AT_CHARGE, VISA
from tests.support.worker import wait_for

Order = get_model("order", "Order")

PRINT, PDF = "papier", "PDF"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_address(page):
    for field in ("first_name", "last_name", "line1", "line4", "postcode"):
        page.locator(f"#id_{field}").fill(ADDRESS[field])
    page.locator("#id_country").select_option("FR")
    page.get_by_role("button", name=re.compile("Continuer")).click()


def confirmation_link(mail_dir) -> str | None:
    """The path of the link in the confirmation email the worker wrote to the file backend,
    once the message is there whole (the backend ends it with a line of 79 dashes)."""
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else ():
        content = path.read_bytes()
        if not content.endswith(b"-" * 79 + b"\n"):
            continue  # still being written
        message = email.message_from_bytes(content)
        if "Confirmez votre adresse" not in str(make_header(decode_header(message["Subject"]))):
            continue
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
                match = re.search(r"https?://[^/\s]+(/\S*accounts/email/confirmer/\S+/)", text)
                if match:
                    return match[1]
    return None


def test_reader_buys_pays_and_downloads_the_pdf(page, site, screenshot, mail_dir):
    page.goto(f"{site.url}/")
    check_accessibility(page, "home")
    check_fits_screen(page, "home", page.get_by_role("link", name="Voir tout le catalogue"))
    screenshot("home")

    # A new customer: an account, so that the PDF waits in their space.
    page.goto(f"{site.url}/accounts/login/")
    page.locator("#id_registration-email").fill("louise@example.org")
    page.locator("#id_registration-password1").fill("un-mot-de-passe-long")
    page.locator("#id_registration-password2").fill("un-mot-de-passe-long")
    page.locator("button[name=registration_submit]").click()

    # The worker emails the link that proves the address is hers; she follows it.
    page.goto(f"{site.url}/mon-espace/")
    expect(page.locator("body")).to_contain_text("n'est pas encore confirmée")
    assert wait_for(lambda: confirmation_link(mail_dir) is not None, timeout=60)
    page.goto(f"{site.url}{confirmation_link(mail_dir)}")
    # The link opens a page; its button confirms (a mail scanner's visit confirms nothing).
    page.get_by_role("button", name="Confirmer mon adresse email").click()
    expect(page.locator("#messages")).to_contain_text("Votre adresse email est confirmée")
    expect(page.locator("body")).not_to_contain_text("n'est pas encore confirmée")

    # The latest issue, large on the home page, opens its page: print with its postage.
    page.goto(f"{site.url}/")
    expect(page.locator(".kiosque-latest")).to_contain_text("n°3")
    page.locator(".kiosque-latest h1 a").click()
    expect(page.locator("h1")).to_contain_text("Lire en 2026")
    expect(page.locator(".kiosque-editions")).to_contain_text("frais de port 2,50")
    check_accessibility(page, "product page")
    add_button = page.get_by_role("button", name="Ajouter au panier")
    check_fits_screen(page, "product page", add_button)
    choose_edition(page, PRINT)
    screenshot("product")
    add_button.click()
    expect(page.locator("#messages")).to_contain_text("a été ajouté à votre panier")
    add_issue(page, site, 2, PDF)

    page.goto(f"{site.url}/basket/")
    checkout = page.get_by_role("link", name="Procéder au paiement")
    check_accessibility(page, "basket")
    check_fits_screen(page, "basket", checkout)
    screenshot("basket")
    checkout.click()
    fill_address(page)

    pay = page.get_by_role("button", name=re.compile(r"Payer 18,00"))
    expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()
    check_accessibility(page, "payment page")
    check_fits_screen(page, "payment page", pay)
    fill_card(page, VISA)
    screenshot("payment")
    pay.click()

    expect(page).to_have_url(re.compile("/checkout/thank-you/"), timeout=20000)
    order = Order.objects.get(user__email="louise@example.org")
    expect(page.locator("body")).to_contain_text(order.number)
    screenshot("confirmation")

    page.goto(f"{site.url}/mon-espace/")
    download_link = page.get_by_role("link", name="Télécharger le n°2 (PDF)")
    check_fits_screen(page, "reader's space", download_link)
    screenshot("reader-space")
    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_declined_card_shows_the_french_error_and_keeps_the_basket(page, site, screenshot):
    add_issue(page, site, 1, PRINT)
    add_issue(page, site, 2, PDF)
    page.goto(f"{site.url}/basket/")
    page.get_by_role("link", name="Procéder au paiement").click()
    page.locator("#id_username").fill("louise@example.org")
    page.locator("input[name=options][value=anonymous]").check()
    page.get_by_role("button", name=re.compile("Continuer")).click()
    fill_address(page)
    fill_card(page, DECLINED_AT_CHARGE)

    page.get_by_role("button", name=re.compile(r"Payer 18,00")).click()

    expect(page.locator("#card-errors")).to_contain_text("Votre carte a été refusée")
    screenshot("declined")
    assert not Order.objects.exists()
    page.goto(f"{site.url}/basket/")
    expect(page.locator("body")).to_contain_text("18,00")
