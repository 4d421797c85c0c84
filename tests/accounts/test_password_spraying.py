"""Password spraying: the lock is per (account, client address), so one address could try a
few passwords on each of many accounts. A second, higher limit counts an address's failed
sign-ins across accounts (LOGIN_FAILURES_PER_ADDRESS in LOGIN_LOCKOUT_MINUTES): past it that
address signs nobody in for a while; other addresses are not concerned."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.support.accounts import attempt


@pytest.fixture
def treasurer(db):
    return get_user_model().objects.create_user(
        "claire", "claire@example.org", "le-bon-mot-de-passe", is_staff=True
    )


def test_one_address_guessing_across_accounts_is_stopped(treasurer, settings):
    settings.KIOSQUE_LOGIN_FAILURES_PER_ADDRESS = 12
    sprayer = Client(REMOTE_ADDR="192.0.2.66")
    # Three guesses on each of four accounts: under the per-account limit every time.
    for account in range(4):
        for _ in range(3):
            assert (
                attempt(sprayer, f"lecteur{account}@example.org", "motdepasse1").status_code == 200
            )

    response = attempt(sprayer, "claire@example.org", "le-bon-mot-de-passe")

    assert response.status_code == 429
    assert "_auth_user_id" not in sprayer.session
    # The treasurer, from her own address, signs in.
    assert attempt(Client(REMOTE_ADDR="203.0.113.9"), "claire@example.org",
                   "le-bon-mot-de-passe").status_code == 302  # fmt: skip


def test_an_office_where_a_few_people_mistype_is_not_stopped(treasurer, settings):
    office = Client(REMOTE_ADDR="198.51.100.7")
    for colleague in range(10):
        attempt(office, f"collegue{colleague}@example.org", "faute-de-frappe")
    assert attempt(office, "claire@example.org", "le-bon-mot-de-passe").status_code == 302
