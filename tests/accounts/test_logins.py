"""Repeated failed sign-ins lock the account for a while (django-axes); passwords validated."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.support.accounts import LOGIN, attempt


@pytest.fixture
def treasurer(db):
    return get_user_model().objects.create_user(
        "claire", "claire@example.org", "le-bon-mot-de-passe", is_staff=True
    )


def test_a_staff_account_is_locked_after_five_failures(client, treasurer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "claire@example.org", "pas-le-bon").status_code == 200
    assert attempt(client, "claire@example.org", "pas-le-bon").status_code == 429  # the 5th

    response = attempt(client, "claire@example.org", "le-bon-mot-de-passe")

    assert response.status_code == 429
    assert "Compte bloqué pour un moment" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_client_s_failures_lock_neither_the_account_elsewhere_nor_other_accounts(
    client, treasurer, settings
):
    """Direct (no proxy): what is locked is the pair (account, address)."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "claire@example.org", "pas-le-bon")
    assert attempt(client, "claire@example.org", "le-bon-mot-de-passe").status_code == 429

    # The treasurer, from her own address, still signs in.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert attempt(elsewhere, "claire@example.org", "le-bon-mot-de-passe").status_code == 302
    # And another account from the guessing address too.
    get_user_model().objects.create_user("paul", "paul@example.org", "un-autre-mot-de-passe")
    assert attempt(client, "paul@example.org", "un-autre-mot-de-passe").status_code == 302


def test_behind_the_proxy_the_lock_holds_the_real_client_not_the_proxy(treasurer, settings):
    settings.KIOSQUE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    # Every request comes from the proxy (127.0.0.1); the client's address is in its header.
    guesser = Client(HTTP_X_REAL_IP="192.0.2.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(guesser, "claire@example.org", "pas-le-bon")
    assert attempt(guesser, "claire@example.org", "le-bon-mot-de-passe").status_code == 429

    treasurer_s_desk = Client(HTTP_X_REAL_IP="192.0.2.10")
    assert attempt(treasurer_s_desk, "claire@example.org", "le-bon-mot-de-passe").status_code == 302


def test_a_client_cannot_forge_the_proxy_s_header(treasurer, settings):
    """The header counts only on requests from a trusted proxy: a client reaching the site
    directly and inventing a new address on each try is still one address."""
    settings.KIOSQUE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for n in range(settings.AXES_FAILURE_LIMIT):
        forger = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_REAL_IP=f"192.0.2.{n}")
        attempt(forger, "claire@example.org", "pas-le-bon")
    forger = Client(REMOTE_ADDR="198.51.100.66", HTTP_X_REAL_IP="192.0.2.200")
    assert attempt(forger, "claire@example.org", "le-bon-mot-de-passe").status_code == 429


def test_case_variants_of_an_email_share_one_allowance(client, treasurer, settings):
    variants = [
        "claire@example.org",
        "Claire@Example.org",
        "CLAIRE@EXAMPLE.ORG",
        " claire@example.ORG",
    ]
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, variants[n % len(variants)], "pas-le-bon")
    assert attempt(client, "cLaIrE@example.org", "le-bon-mot-de-passe").status_code == 429


def test_a_success_before_the_limit_resets_the_count(client, treasurer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "claire@example.org", "pas-le-bon")
    assert attempt(client, "claire@example.org", "le-bon-mot-de-passe").status_code == 302
    other = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(other, "claire@example.org", "pas-le-bon")
    assert attempt(other, "claire@example.org", "le-bon-mot-de-passe").status_code == 302


def test_weak_passwords_are_refused_at_sign_up(client, db):
    response = client.post(
        LOGIN,
        {
            "registration-email": "new@example.org",
            "registration-password1": "12345678",
            "registration-password2": "12345678",
            "registration_submit": "1",
        },
    )
    assert response.status_code == 200
    assert "Ce mot de passe est trop courant." in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.org").exists()


def reset(client, email):
    return client.post(reverse("password-reset"), {"email": email})


def test_asking_many_password_resets_for_one_address_sends_few_emails(treasurer, settings):
    """An email flood: twenty resets for one address, from twenty addresses."""
    settings.KIOSQUE_EMAILS_PER_ADDRESS = 3
    for n in range(20):
        response = reset(Client(REMOTE_ADDR=f"192.0.2.{n}"), "Claire@example.org")
        assert response.status_code == 302  # the same answer every time
        assert response["Location"] == reverse("password-reset-done")

    assert len(mail.outbox) == 3
    # Unknown addresses answer alike, and nothing is sent.
    assert reset(Client(REMOTE_ADDR="192.0.2.99"), "personne@example.org").status_code == 302
    assert len(mail.outbox) == 3


def test_one_client_asking_many_resets_is_stopped_with_a_french_message(treasurer, settings):
    settings.KIOSQUE_EMAIL_REQUESTS_PER_IP = 3
    client = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(3):
        reset(client, f"quelquun{n}@example.org")

    response = reset(client, "claire@example.org")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de demandes" in page
    assert 'value="claire@example.org"' in page  # the form keeps what was typed
    assert not mail.outbox
    assert reset(Client(REMOTE_ADDR="198.51.100.10"), "claire@example.org").status_code == 302
    assert len(mail.outbox) == 1
