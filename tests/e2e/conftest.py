"""Browser tests: Playwright driving Debian's Chromium against a live server.

The site runs in pytest-django's live server, with the Stripe stand-in posting its signed
webhooks to it. Screenshots of the key steps go to var/e2e/ on every run.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e"

# Playwright's sync API runs an event loop in the test's thread; the test's own database
# calls are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(step: str):
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}-{step}.png", full_page=True)

    return take


@pytest.fixture
def site(live_server, stripe_standin, demo):
    """The live site, with the stand-in's webhooks posted to it."""
    stripe_standin.request(
        "POST",
        "/_config/webhooks/live_server",
        {"url": f"{live_server.url}/stripe/webhook/", "secret": settings.STRIPE_WEBHOOK_SECRET},
    )
    yield live_server
    # The next test's live server has another address; don't post to this one any more.
    stripe_standin.request(
        "POST",
        "/_config/webhooks/live_server",
        {"url": stripe_standin.inbox.url, "secret": settings.STRIPE_WEBHOOK_SECRET},
    )


def fill_card(page, number):
    """Type a card into the card element (the stand-in's Stripe.js draws plain inputs)."""
    card = page.locator("#card-element")
    card.locator("input[placeholder=number]").fill(number)
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("30")
    card.locator("input[placeholder=cvc]").fill("123")
