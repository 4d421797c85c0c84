"""Logs never hold card numbers or whole secrets: what the site's configured handler writes."""

import copy
import io
import logging
import logging.config

import pytest
from django.urls import reverse

from tests.support.donations import give, pay

SECRET_KEY = "sk_live_51KiosqueAbCdEfGhIjKlMnOpQrStUvWxYz0123"
WEBHOOK_SECRET = "whsec_KiosqueWebhookSigningSecret9876"


@pytest.fixture
def log_output(settings):
    """The site's LOGGING, everything at DEBUG (Stripe's SDK included), written to a string."""
    stream = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["stream"] = stream
    config["root"]["level"] = "DEBUG"
    config["loggers"]["stripe"] = {"level": "DEBUG"}
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def test_card_numbers_secrets_and_passwords_are_masked(log_output):
    log = logging.getLogger("payments.views")

    log.warning("Donor wrote %s in the name field", "4242 4242 4242 4242")
    log.error("Card 4000-0027-6000-3184 declined, order 100000012, at 1790000000123")
    log.info("Broker redis://:s3cr3t-pw@redis.internal:6379/0 down")
    try:
        raise RuntimeError(f"Stripe said: invalid key {SECRET_KEY} (signing {WEBHOOK_SECRET})")
    except RuntimeError:
        log.exception("Payment failed")

    written = log_output.getvalue()
    for secret in (
        "4242 4242 4242 4242",
        "4000-0027-6000-3184",
        "s3cr3t-pw",
        SECRET_KEY,
        WEBHOOK_SECRET,
        SECRET_KEY[8:],
    ):
        assert secret not in written
    # What is left tells which card or key it was, and the rest of the line stays.
    assert "Donor wrote [card …4242] in the name field" in written
    assert "[card …3184] declined, order 100000012, at 1790000000123" in written
    assert "redis://:***@redis.internal:6379/0" in written
    assert "invalid key sk_live_…0123 (signing whsec_…9876)" in written
    assert "Traceback" in written and "RuntimeError" in written


@pytest.mark.usefixtures("association", "outbox_emails")
def test_a_card_payment_logged_at_debug_shows_no_secret(
    log_output, client, stripe_standin, settings
):
    settings.STRIPE_SECRET_KEY = "sk_test_51KiosqueLogTestKeyAbCdEfGhIj4567"
    give(client)

    setup = client.post(reverse("donations:card-setup")).json()
    pay(client, stripe_standin)

    written = log_output.getvalue()
    # Stripe's SDK logged its requests and the response bodies, which carry client secrets.
    assert "Stripe API response" in written and "client_secret" in written
    assert setup["client_secret"] not in written
    assert setup["client_secret"].split("_secret_")[1] not in written
    assert settings.STRIPE_SECRET_KEY not in written
