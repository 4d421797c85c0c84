"""Repeated failed sign-ins lock the account for a while (django-axes); passwords validated."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

LOGIN = "/accounts/login/"


def attempt(client, email, password):
    return client.post(
        LOGIN,
        {"login-username": email, "login-password": password, "login_submit": "1"},
    )


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
    # From another address too: the account itself is locked.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert attempt(elsewhere, "claire@example.org", "le-bon-mot-de-passe").status_code == 429
    assert elsewhere.get(reverse("dashboard:index")).status_code == 302  # still signed out


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
