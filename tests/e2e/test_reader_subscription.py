"""A reader subscribes (print + digital) and buys a PDF issue, downloads it from their space;
staff find the reader on the next issue's routing list."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.e2e.conftest import add_issue, fill_card, sign_in
from tests.support.checkout import VISA

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    # The reader's journey runs on a phone in test_reader.py; this one checks the routing list.
    pytest.mark.parametrize("device", ["desktop"], indirect=True),
]


def add_to_basket(page, site, title):
    """From the catalogue's card of the subscription to the page comparing them, and there
    "S'abonner" to this one."""
    page.goto(f"{site.url}/catalogue/")
    page.get_by_role("link", name=f"Comparer les abonnements — {title}").click()
    page.get_by_role("button", name=f"S'abonner — {title}").click()
    expect(page.locator("#messages")).to_contain_text("a été ajouté à votre panier")


def test_reader_subscribes_downloads_and_is_routed(page, browser, site, screenshot):
    get_user_model().objects.create_user(
        "louise", "louise@example.org", "un-mot-de-passe-long", first_name="Louise"
    )
    sign_in(page, site, "louise@example.org", "un-mot-de-passe-long")
    add_to_basket(page, site, "Abonnement 1 an — papier + numérique (4 numéros)")
    add_issue(page, site, 2, "PDF")
    page.goto(f"{site.url}/basket/")
    page.get_by_role("link", name="Procéder au paiement").click()
    page.locator("#id_first_name").fill("Louise")
    page.locator("#id_last_name").fill("Lectrice")
    page.locator("#id_line1").fill("3 rue de la Paix")
    page.locator("#id_line4").fill("Lyon")
    page.locator("#id_postcode").fill("69001")
    page.locator("#id_country").select_option("FR")
    page.get_by_role("button", name=re.compile("Continuer")).click()
    fill_card(page, VISA)
    page.get_by_role("button", name=re.compile(r"Payer 46,00")).click()
    expect(page).to_have_url(re.compile("/checkout/thank-you/"), timeout=15000)

    page.goto(f"{site.url}/mon-espace/")
    expect(page.locator("body")).to_contain_text("Numéros n°4 à n°7 : 4 numéros à venir.")
    screenshot("reader-space")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le n°2 (PDF)").click()
    assert download.value.suggested_filename == "kiosque-numero-2.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    staff = browser.new_context(locale="fr-FR").new_page()
    sign_in(staff, site, "equipe@kiosque.example", "demo-equipe")
    staff.goto(f"{site.url}/dashboard/magazine/issues/")
    staff.get_by_role("row", name=re.compile("n°4")).get_by_role(
        "link", name="Liste de routage"
    ).click()
    expect(staff.locator("body")).to_contain_text("Louise Lectrice")
    expect(staff.locator("body")).to_contain_text("3 rue de la Paix, 69001 Lyon, France")
    screenshot("routing-list", on=staff)
    with staff.expect_download() as export:
        staff.get_by_role("link", name="CSV pour l'imprimeur").click()
    with open(export.value.path(), encoding="utf-8") as csv_file:
        assert "Louise Lectrice;3 rue de la Paix;;69001;Lyon;FR;France;1" in csv_file.read()
