"""The newsletter's confirmation link opens a page whose button confirms: following the link
(as a mail scanner does) confirms nothing; a forged link gets a French refusal."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from magazine import links, services
from magazine.models import NewsletterSubscriber
from tests.e2e.conftest import check_accessibility, check_fits_screen

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_newsletter_is_confirmed_by_the_page_s_button(page, site, screenshot):
    subscriber = services.request_newsletter(
        "zoe@example.org", source=NewsletterSubscriber.Source.FOOTER, language="fr"
    )
    url = links.confirm_url(subscriber).replace(settings.SITE_URL, site.url)

    page.goto(url)
    button = page.get_by_role("button", name="Confirmer mon inscription")
    expect(button).to_be_visible()
    expect(page.locator("#content, main, body").first).to_contain_text("zoe@example.org")
    check_accessibility(page, "newsletter confirmation page")
    check_fits_screen(page, "newsletter confirmation page", button)
    screenshot("newsletter-confirm")
    subscriber.refresh_from_db()
    assert subscriber.status == NewsletterSubscriber.Status.PENDING  # the visit changed nothing

    button.click()
    expect(page.locator("p.lead[role=status]")).to_contain_text(
        "Votre inscription à la lettre d'information est confirmée."
    )
    subscriber.refresh_from_db()
    assert subscriber.status == NewsletterSubscriber.Status.CONFIRMED

    page.goto(re.sub(r"/[^/]+/$", "/forged:token/", url))
    expect(page.locator("body")).to_contain_text(
        "Ce lien de confirmation a expiré ou est incomplet"
    )
