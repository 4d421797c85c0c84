"""A new account gets one welcome email, in its language, HTML and plain text: what the account
gives (the reader's space, the PDFs, the orders, the tax receipts) and the link that confirms
the address (issue 18: it was Oscar's bare "Merci pour votre inscription.")."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import VerifiedEmail
from kiosque.models import OutboxEmail
from tests.support.accounts import LINK

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")

PASSWORD = "un-mot-de-passe-long"


def register(client, email: str, prefix: str = ""):
    return client.post(
        f"{prefix}{reverse('customer:login')}",
        {
            "registration-email": email,
            "registration-password1": PASSWORD,
            "registration-password2": PASSWORD,
            "registration_submit": "1",
        },
    )


def html_of(sent: OutboxEmail) -> str:
    return html.unescape(sent.html_body)


def test_a_new_reader_gets_one_french_welcome_email_with_the_confirmation_link(client):
    register(client, "nouvelle@example.org")

    [sent] = OutboxEmail.objects.filter(to=["nouvelle@example.org"])
    # The site's name is the association's (the demo's: its magazine's), as in the header.
    assert sent.subject == "Bienvenue sur L'Écho des lecteurs ! Confirmez votre adresse email"
    for text in (sent.body, html_of(sent)):
        welcome = "Bienvenue sur L'Écho des lecteurs ! Votre compte nouvelle@example.org est prêt."
        assert welcome in text
        assert "Votre espace lecteur rassemble tout" in text
        assert "numéros numériques (PDF)" in text
        assert "reçus fiscaux de vos dons" in text
        assert "http://127.0.0.1:8000/mon-espace/" in text
        assert LINK.search(text), "no confirmation link"
        assert "valable 3 jours" in text
        assert "Thank" not in text and "Merci pour votre inscription" not in text
    assert '<html lang="fr">' in html_of(sent)
    assert "&lt;" not in sent.body and "&#x27;" not in sent.body  # plain text, not escaped

    # Its link opens a page whose button, signed in, confirms the address (a plain visit, as a
    # mail scanner makes, confirms nothing).
    path = LINK.search(sent.body)[1]
    assert client.get(path).status_code == 200
    assert not VerifiedEmail.objects.filter(email="nouvelle@example.org").exists()
    assert client.post(path).status_code == 302
    assert VerifiedEmail.objects.filter(email="nouvelle@example.org").exists()


def test_the_welcome_link_confirms_nothing_for_someone_else():
    owner = Client()
    register(owner, "titulaire@example.org")
    path = LINK.search(OutboxEmail.objects.get(to=["titulaire@example.org"]).body)[1]

    intruder = Client()
    register(intruder, "intrus@example.org")
    assert intruder.get(path).status_code == 403
    assert intruder.post(path).status_code == 403
    assert Client().get(path).status_code == 302  # anonymous: to the login page
    assert Client().post(path).status_code == 302
    assert not VerifiedEmail.objects.filter(email="titulaire@example.org").exists()


def test_an_english_reader_is_welcomed_in_english(client):
    register(client, "reader@example.org", prefix="/en")

    [sent] = OutboxEmail.objects.filter(to=["reader@example.org"])
    assert sent.subject == "Welcome to L'Écho des lecteurs! Confirm your email address"
    assert "http://127.0.0.1:8000/en/mon-espace/" in sent.body
    assert LINK.search(sent.body)
