"""A 3-D Secure card (4000002500003155) is challenged once per one-off payment: in the shop's
checkout and on the donation page, the page sends the card as a token and the payment asks
for 3-D Secure once (it was challenged twice: at the card's set-up, then at the payment).
And the card tester's side: a card refused at the charge is counted by payments.card_attempts,
and nothing is created."""

import re

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from donations.models import Donation
from payments.models import CardAttempt
from tests.e2e.conftest import add_issue, check_accessibility, fill_card
from tests.e2e.test_donor import fill_donor
from tests.e2e.test_reader import PDF, PRINT, fill_address
from tests.support.checkout import DECLINED_AT_CHARGE, THREE_D_SECURE
from tests.support.worker import wait_for

Order = get_model("order", "Order")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The stand-in's Stripe.js shows its 3-D Secure challenge as a box with the text "3D Secure"
# and a "Complete authentication" button, added to the page: each one is counted (in the test,
# as the page is left for the thank-you page), then answered as the reader would.
COUNT_CHALLENGES = """
new MutationObserver((mutations) => {
  for (const mutation of mutations) {
    for (const node of mutation.addedNodes) {
      if (node.nodeType === 1 && node.textContent.includes("3D Secure")) {
        window.kiosqueChallenged();
        const complete = [...node.querySelectorAll("button")].find(
          (button) => button.textContent === "Complete authentication");
        setTimeout(() => complete.click(), 100);
      }
    }
  }
}).observe(document, { childList: true, subtree: true });
"""


def count_challenges(page) -> list:
    """The challenges the page shows from now on, answered: one item each."""
    shown = []
    page.expose_function("kiosqueChallenged", lambda: shown.append(1))
    page.add_init_script(COUNT_CHALLENGES)
    return shown


def checkout_to_payment(page, site, email="louise@example.org"):
    add_issue(page, site, 1, PRINT)
    add_issue(page, site, 2, PDF)
    page.goto(f"{site.url}/basket/")
    page.get_by_role("link", name="Procéder au paiement").click()
    page.locator("#id_username").fill(email)
    page.locator("input[name=options][value=anonymous]").check()
    page.get_by_role("button", name=re.compile("Continuer")).click()
    fill_address(page)
    return page.get_by_role("button", name=re.compile(r"Payer 18,00"))


def donation_to_payment(page, site):
    page.goto(f"{site.url}/don/")
    page.get_by_label("50 €").check()
    fill_donor(page)
    page.get_by_role("button", name="Continuer vers le paiement").click()
    return page.get_by_role("button", name=re.compile(r"Donner 50,00"))


def test_a_3d_secure_card_is_challenged_once_at_checkout(page, site, screenshot):
    shown = count_challenges(page)
    pay = checkout_to_payment(page, site)
    check_accessibility(page, "payment page")
    fill_card(page, THREE_D_SECURE)
    pay.click()

    expect(page).to_have_url(re.compile("/checkout/thank-you/"), timeout=20000)
    screenshot("checkout-3d-secure-paid")
    assert len(shown) == 1
    order = Order.objects.get(guest_email="louise@example.org")
    assert order.total_incl_tax == 18
    assert Order.objects.count() == 1


def test_a_3d_secure_card_is_challenged_once_for_a_one_off_gift(page, site, screenshot):
    shown = count_challenges(page)
    give = donation_to_payment(page, site)
    fill_card(page, THREE_D_SECURE)
    give.click()

    expect(page).to_have_url(re.compile("/don/merci/"), timeout=20000)
    screenshot("donation-3d-secure-paid")
    assert len(shown) == 1
    donation = Donation.objects.get(donor__email="marie@example.org")
    assert donation.status == Donation.Status.PAID
    assert donation.amount == 50


def test_a_card_refused_at_the_charge_is_counted_and_nothing_is_created(page, site, screenshot):
    """The card tester's side of the token: the bank's refusal reaches card_attempts (by
    Stripe's signed event), in the checkout and on the donation page; no order, no paid gift."""
    shown = count_challenges(page)
    pay = checkout_to_payment(page, site)
    fill_card(page, DECLINED_AT_CHARGE)
    pay.click()
    expect(page.locator("#card-errors")).to_contain_text("Votre carte a été refusée")
    screenshot("checkout-token-declined")
    assert wait_for(lambda: CardAttempt.objects.filter(failures=1).count() == 1, timeout=20)
    assert not Order.objects.exists()

    give = donation_to_payment(page, site)
    fill_card(page, DECLINED_AT_CHARGE)
    give.click()
    expect(page.locator("#card-errors")).to_contain_text("Votre carte a été refusée")
    assert wait_for(lambda: CardAttempt.objects.filter(failures=1).count() == 2, timeout=20)
    assert not Donation.objects.filter(donor__email="marie@example.org", status="paid").exists()
    assert not shown
