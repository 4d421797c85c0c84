"""The catalogue as a reader meets it: the home page (the latest issue large, subscribe and
donate), an issue's page (its editions, contents; no reviews), the subscriptions compared and
the gift form, on a desktop screen and on a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, check_fits_screen

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_home_page_leads_to_the_latest_issue_and_its_editions(page, site, screenshot):
    page.goto(f"{site.url}/")
    latest = page.locator(".kiosque-latest")
    expect(latest).to_contain_text("Le dernier numéro · n°3")
    subscribe = latest.get_by_role("link", name="S'abonner")
    donate = latest.get_by_role("link", name="Faire un don")
    check_fits_screen(page, "home", subscribe, donate)
    expect(page.locator(".kiosque-issue-grid")).to_contain_text("n°2")
    expect(page.locator(".kiosque-appeal")).to_contain_text(
        "association à but non lucratif qui ne vit que par la générosité de ses lecteurs"
    )
    check_accessibility(page, "home")
    screenshot("catalogue-home")

    latest.locator("h1 a").click()
    editions = page.locator(".kiosque-editions")
    expect(editions).to_contain_text("9,50")
    expect(editions).to_contain_text("frais de port 2,50")
    expect(editions).to_contain_text("6,00")
    expect(page.locator(".kiosque-summary")).to_contain_text("Dossier : la lecture en 2026")
    # No stars, no reviews.
    expect(page.locator(".star-rating")).to_have_count(0)
    expect(page.locator("#reviews")).to_have_count(0)
    check_accessibility(page, "issue page")
    check_fits_screen(page, "issue page", page.get_by_role("button", name="Ajouter au panier"))
    screenshot("catalogue-issue")


def test_the_subscriptions_are_compared_and_one_is_offered(page, site, screenshot):
    page.goto(f"{site.url}/abonnements/")
    formulas = page.locator(".kiosque-formula")
    expect(formulas).to_have_count(3)
    for price in ("22,00", "34,00", "40,00"):
        expect(page.locator(".kiosque-formulas")).to_contain_text(price)
    expect(formulas.first).to_contain_text("À partir du n°4")
    check_accessibility(page, "subscriptions")
    check_fits_screen(page, "subscriptions", *formulas.get_by_role("link").all())
    screenshot("catalogue-subscriptions")

    page.locator(".kiosque-formula", has_text="Papier + PDF").get_by_role(
        "link", name="L'offrir"
    ).click()
    expect(page.locator(".kiosque-gift-summary")).to_contain_text("40,00")
    add = page.get_by_role("button", name="Ajouter le cadeau à mon panier — 40,00 €")
    check_accessibility(page, "gift form")
    check_fits_screen(page, "gift form", add)
    screenshot("catalogue-gift")
    page.locator("#id_name").fill("Jean Ami")
    page.locator("#id_email").fill("jean@example.org")
    page.locator("#id_line1").fill("1 rue du Port")
    page.locator("#id_postcode").fill("44000")
    page.locator("#id_city").fill("Nantes")
    add.click()
    expect(page.locator("#messages")).to_contain_text("Jean Ami")
