"""Browser tests: Playwright driving Debian's Chromium against a live server.

The site runs in pytest-django's live server, with a real Celery worker (emails, the ZIP
job) and the Stripe stand-in posting its signed webhooks to it. Each journey runs on a
desktop screen and on a phone's (390 by 844); axe-core checks the pages' accessibility.
Screenshots of the key steps go to var/e2e/ on every run.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}

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


@pytest.fixture(params=list(DEVICES))
def device(request) -> str:
    return request.param


@pytest.fixture
def page(browser, device):
    context = browser.new_context(locale="fr-FR", accept_downloads=True, **DEVICES[device])
    page = context.new_page()
    page.set_default_timeout(15000)
    # Whatever the Content-Security-Policy blocks is reported in the console: it must allow
    # exactly what the journeys need.
    blocked = []

    def watch(message):
        if "Content Security Policy" in message.text:
            blocked.append(f"{page.url}: {message.text} ({message.location})")

    page.on("console", watch)
    yield page
    context.close()
    assert blocked == [], blocked


@pytest.fixture
def screenshot(page, request):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(step: str, on=None):
        (on or page).screenshot(
            path=SCREENSHOTS / f"{request.node.name}-{step}.png", full_page=True
        )

    return take


@pytest.fixture
def site(live_server, stripe_standin, demo, worker, outbox_emails):
    """The live site, with the stand-in's webhooks posted to it and a Celery worker."""
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


def sign_in(page, site, email, password):
    page.goto(f"{site.url}/accounts/login/")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(password)
    page.locator("button[name=login_submit]").click()


def check_accessibility(page, where: str):
    """axe-core in the page: no violation of impact "serious" or "critical"."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it with npm ci")
    # Through DevTools, not a <script> tag: the page's Content-Security-Policy stays as it is.
    page.evaluate(AXE.read_text())
    violations = page.evaluate(
        """async () => {
            const results = await axe.run(
                // The stand-in's card element is five bare inputs drawn by its fake Stripe.js;
                // real Stripe draws its own, accessible, iframe there.
                {exclude: [["#card-element"]]},
                {resultTypes: ["violations"]},
            );
            return results.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => `${v.id} (${v.impact}): ${v.help} — ${
                    v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        }"""
    )
    assert violations == [], f"accessibility on {where}: " + "\n".join(violations)


def check_fits_screen(page, where: str, *buttons):
    """Nothing needs horizontal scrolling, and the ``buttons`` (locators) can be reached."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px"
    width = page.viewport_size["width"]
    for button in buttons:
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (where, button)


def choose_edition(page, edition):
    page.locator(".kiosque-edition", has_text=edition).locator("input").check()


def add_issue(page, site, number, edition):
    """From the catalogue: the issue's card, its page, the edition chosen, to the basket."""
    page.goto(f"{site.url}/catalogue/")
    page.locator(".kiosque-issue-card-link", has_text=f"n°{number}").click()
    choose_edition(page, edition)
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.locator("#messages")).to_contain_text("a été ajouté à votre panier")
