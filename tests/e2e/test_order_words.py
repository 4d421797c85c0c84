"""A reader offers a subscription: the basket, the payment page, the confirmation, the order
history and the dashboard's order page say it in words ("Abonnement offert à Jean Ami —
Nantes", "Payé par carte Visa •••• 4242", "Payée"), never as JSON; the dashboard's order
page runs without a script error."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, check_fits_screen, fill_card, sign_in
from tests.support.checkout import ADDRESS, VISA
from tests.support.magazine import PRINT_AND_DIGITAL

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GIFT_WORDS = "Abonnement offert à Jean Ami — Nantes"
RAW = re.compile(r'\{"name"|Abonnement offert =|Allocation|pi_')
# Staff see the Stripe reference (pi_...) on purpose, never the option's JSON.
RAW_FOR_STAFF = re.compile(r'\{"name"|Abonnement offert =')


def script_errors(page) -> list[str]:
    """What goes wrong in the page's scripts from now on (uncaught errors, console errors)."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"),
    )
    return errors


def no_raw_option(page, where, raw=RAW):
    text = page.locator("body").inner_text()
    assert not raw.search(text), f"{where}: {raw.search(text)[0]!r} in the page"


def test_a_gift_subscription_reads_in_words_from_basket_to_dashboard(
    page, browser, site, screenshot, device
):
    get_user_model().objects.create_user(
        "louise", "louise@example.org", "un-mot-de-passe-long", first_name="Louise"
    )
    sign_in(page, site, "louise@example.org", "un-mot-de-passe-long")
    product = Product.objects.get(upc=PRINT_AND_DIGITAL)
    page.goto(f"{site.url}{reverse('magazine:gift', args=[product.pk])}")
    page.locator("#id_name").fill("Jean Ami")
    page.locator("#id_email").fill("jean@example.org")
    page.locator("#id_line1").fill("2 quai de la Fosse")
    page.locator("#id_postcode").fill("44000")
    page.locator("#id_city").fill("Nantes")
    page.locator("#id_message").fill("Bonne lecture !")
    page.get_by_role("button", name="Ajouter le cadeau à mon panier").click()

    expect(page).to_have_url(re.compile("/basket/"))
    expect(page.locator("#basket_formset")).to_contain_text(GIFT_WORDS)
    no_raw_option(page, "basket")
    checkout = page.get_by_role("link", name="Procéder au paiement")
    check_fits_screen(page, "basket", checkout)
    screenshot("basket-gift")
    checkout.click()

    for field in ("first_name", "last_name", "line1", "line4", "postcode"):
        page.locator(f"#id_{field}").fill(ADDRESS[field])
    page.locator("#id_country").select_option("FR")
    page.get_by_role("button", name=re.compile("Continuer")).click()
    expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()
    expect(page.locator("body")).to_contain_text(GIFT_WORDS)
    no_raw_option(page, "payment page")
    fill_card(page, VISA)
    page.get_by_role("button", name=re.compile(r"Payer")).click()

    expect(page).to_have_url(re.compile("/checkout/thank-you/"), timeout=20000)
    body = page.locator("body")
    expect(body).to_contain_text(GIFT_WORDS)
    expect(body).to_contain_text("Payé par carte Visa •••• 4242")
    expect(body).to_contain_text("L'abonnement de Jean Ami commence au n°4.")
    no_raw_option(page, "confirmation")
    check_accessibility(page, "confirmation")
    check_fits_screen(page, "confirmation")
    screenshot("confirmation-gift")

    order = Order.objects.get()
    page.goto(f"{site.url}{reverse('customer:order-list')}")
    expect(page.locator("body")).to_contain_text("Payée")
    expect(page.locator("body")).not_to_contain_text("En attente")
    page.goto(f"{site.url}{reverse('customer:order', args=[order.number])}")
    expect(page.locator("body")).to_contain_text(GIFT_WORDS)
    expect(page.locator(".order-status")).to_have_text("Payée")
    no_raw_option(page, "order detail")
    check_fits_screen(page, "order detail")
    screenshot("order-detail-gift")
    page.goto(f"{site.url}/mon-espace/")
    expect(page.locator("body")).to_contain_text("Payée")

    staff = browser.new_context(locale="fr-FR").new_page()
    errors = script_errors(staff)
    sign_in(staff, site, "equipe@kiosque.example", "demo-equipe")
    staff.goto(f"{site.url}{reverse('dashboard:order-detail', args=[order.number])}")
    lines = staff.locator("#kiosque-order-lines")
    expect(lines).to_contain_text(GIFT_WORDS)
    expect(lines).to_contain_text("Destinataire : Jean Ami, jean@example.org")
    expect(lines).to_contain_text("Adresse : 2 quai de la Fosse, 44000 Nantes, FR")
    no_raw_option(staff, "dashboard order page", RAW_FOR_STAFF)
    # The page's scripts ran to the end: the tabs work.
    staff.locator('a[href="#payment"]').click()
    expect(staff.locator("#kiosque-refund")).to_be_visible()
    screenshot("dashboard-order-gift", on=staff)
    assert errors == [], errors
