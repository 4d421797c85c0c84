"""The site's frame on a desktop and on a phone: one menu whose first entry for a signed-in
reader is their reader's space, "Faire un don" always in sight, the demo banner on the checkout's
pages, no page scrolling sideways, and the association's name, colours and logo set in the
dashboard shown on the storefront (readable: axe-core checks the contrast)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import (
    add_issue,
    check_accessibility,
    check_fits_screen,
    choose_edition,
    sign_in,
)
from tests.e2e.test_reader import PRINT, fill_address

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BANNER = "mode démonstration — aucun paiement réel"
PASSWORD = "un-mot-de-passe-long"


def _reader(email="claire@example.org"):
    return get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name="Claire", last_name="Martin"
    )


def _open_menu(page, device):
    """On a phone the menu is folded behind one button; on a desktop it is open."""
    togglers = page.locator(".navbar-toggler").locator("visible=true")
    if device == "phone":
        expect(togglers).to_have_count(1)
        togglers.click()
        expect(page.locator("#kiosque-menu")).to_be_visible()
    else:
        expect(togglers).to_have_count(0)


def _donate_button(page):
    return page.locator("header").get_by_role("link", name="Faire un don")


def _overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_header_one_menu_reader_space_first_and_donate_in_sight(page, site, device, screenshot):
    _reader()
    page.goto(f"{site.url}/")
    donate = _donate_button(page)
    expect(donate).to_be_visible()  # without opening anything
    check_fits_screen(page, "home", donate)
    screenshot("home")
    _open_menu(page, device)
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    check_accessibility(page, "home, menu open")
    screenshot("menu")

    sign_in(page, site, "claire@example.org", PASSWORD)
    page.goto(f"{site.url}/")
    _open_menu(page, device)
    accounts = page.locator(".kiosque-nav-accounts .nav-link")
    expect(accounts.first).to_have_text("Mon espace lecteur")
    expect(_donate_button(page)).to_be_visible()
    accounts.first.click()
    expect(page).to_have_url(re.compile("/mon-espace/$"))
    # The account's own menu starts with it too.
    expect(page.locator(".nav-pills .nav-link").first).to_have_text("Mon espace lecteur")
    check_accessibility(page, "reader's space")
    check_fits_screen(page, "reader's space", _donate_button(page))
    screenshot("reader-space")


def test_no_page_of_the_journeys_scrolls_sideways(page, site, device, screenshot):
    # A long address, as real ones are: the profile's table must wrap it.
    email = "claire.martindupont@lecteurs.example"
    _reader(email)
    sign_in(page, site, email, PASSWORD)
    pages = [
        "/",
        "/catalogue/",
        "/don/",
        "/lettre/",
        "/mon-espace/",
        "/accounts/profile/",
        "/accounts/orders/",
        "/accounts/addresses/",
        "/accounts/dons/",
        "/basket/",
    ]
    for path in pages:
        page.goto(f"{site.url}{path}")
        assert _overflow(page) <= 0, f"{path} scrolls sideways by {_overflow(page)}px"
    page.goto(f"{site.url}/catalogue/")
    page.locator(".kiosque-issue-card-link", has_text="n°3").click()
    assert _overflow(page) <= 0, f"{page.url} scrolls sideways"
    choose_edition(page, PRINT)
    page.get_by_role("button", name="Ajouter au panier").click()
    page.goto(f"{site.url}/basket/")
    assert _overflow(page) <= 0, "the basket with an issue scrolls sideways"
    check_accessibility(page, "basket")
    screenshot("basket")
    page.goto(f"{site.url}/accounts/profile/")
    check_accessibility(page, "profile")
    screenshot("profile")
    page.goto(f"{site.url}/don/")
    check_accessibility(page, "donation page")
    screenshot("donation")


def test_checkout_pages_keep_the_banner_the_menu_and_the_footer(page, site, device, screenshot):
    add_issue(page, site, 3, PRINT)
    page.goto(f"{site.url}/basket/")
    page.get_by_role("link", name="Procéder au paiement").click()

    def frame_is_there(where):
        expect(page.locator(".kiosque-demo-banner")).to_have_text(BANNER)
        expect(page.locator(".kiosque-demo-banner")).to_be_visible()
        expect(_donate_button(page)).to_be_visible()
        expect(page.locator("footer.kiosque-footer")).to_be_attached()
        assert _overflow(page) <= 0, f"{where} scrolls sideways"

    frame_is_there("checkout's first page")
    page.locator("#id_username").fill("louise@example.org")
    page.locator("#id_options_0").check()
    page.get_by_role("button", name=re.compile("Continuer")).click()
    expect(page).to_have_url(re.compile("/checkout/shipping-address/"))
    frame_is_there("shipping address")
    check_accessibility(page, "shipping address")
    screenshot("shipping-address")
    fill_address(page)
    expect(page).to_have_url(re.compile("/checkout/payment-details/"))
    frame_is_there("payment")
    screenshot("payment")


def _png(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_association_s_name_colours_and_logo_set_in_the_dashboard_show(
    page, site, device, screenshot
):
    sign_in(page, site, "tresorier@kiosque.example", "demo-tresorier")
    page.goto(f"{site.url}/dashboard/association/")
    page.locator("#id_site_name").fill("La Gazette des Lecteurs")
    # A pale yellow header and a light green button: the text on them turns dark.
    page.locator("#id_primary_colour").fill("#f4d35e")
    page.locator("#id_accent_colour").fill("#8ee59b")
    page.locator("#id_logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": _png("teal")}
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("body")).to_contain_text("enregistr")
    expect(page.locator(".kiosque-dashboard-brand")).to_contain_text("La Gazette des Lecteurs")

    page.goto(f"{site.url}/")
    expect(page.locator(".kiosque-brand")).to_contain_text("La Gazette des Lecteurs")
    expect(page).to_have_title(re.compile("La Gazette des Lecteurs"))
    logo = page.locator(".kiosque-brand img")
    expect(logo).to_be_visible()
    # The name beside the logo: never under "Faire un don", and on one line on a desktop.
    name = page.locator(".kiosque-brand-name").bounding_box()
    donate = page.locator(".kiosque-btn-donate").bounding_box()
    assert name["x"] + name["width"] <= donate["x"] or name["y"] >= donate["y"] + donate["height"]
    if device == "desktop":
        line = float(
            page.locator(".kiosque-brand-name").evaluate("e => getComputedStyle(e).lineHeight")[:-2]
        )
        assert name["height"] < 1.5 * line, "the name wraps on a desktop"
    assert logo.evaluate("img => img.naturalWidth") > 0
    colours = page.evaluate(
        """() => ({
            band: getComputedStyle(document.querySelector('.kiosque-navbar')).backgroundColor,
            name: getComputedStyle(document.querySelector('.kiosque-brand')).color,
            donate: getComputedStyle(document.querySelector('.kiosque-btn-donate')).backgroundColor,
        })"""
    )
    assert colours["band"] == "rgb(244, 211, 94)"
    assert colours["name"] == "rgb(27, 27, 27)"  # dark text on the pale band
    assert colours["donate"] == "rgb(142, 229, 155)"
    check_accessibility(page, "home in the new colours")
    check_fits_screen(page, "home in the new colours", _donate_button(page))
    screenshot("new-look")
