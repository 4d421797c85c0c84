"""The newsletter: double opt-in from the footer or the donation form, unsubscribe, export."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from kiosque.models import OutboxEmail
from magazine.models import NewsletterSubscriber

pytestmark = pytest.mark.usefixtures("outbox_emails")


def link_in(email: OutboxEmail, path: str) -> str:
    return re.search(rf"http://127\.0\.0\.1:8000({re.escape(path)}[^\s\"<]+)", email.body)[1]


def test_double_opt_in_then_unsubscribe(client, db):
    assert 'action="/lettre/"' in client.get("/").content.decode()  # in every page's footer
    response = client.post(reverse("magazine:newsletter"), {"email": "Zoe@Example.org"})

    assert "confirmer" in response.content.decode()
    subscriber = NewsletterSubscriber.objects.get()
    assert (subscriber.email, subscriber.status, subscriber.source) == (
        "zoe@example.org",
        "pending",
        "footer",
    )
    assert subscriber.consent_at is None
    email = OutboxEmail.objects.get()
    confirm = link_in(email, "/lettre/confirmer/")

    page = Client().get(confirm).content.decode()

    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed" and subscriber.consent_at is not None
    unsubscribe = re.search(r'href="http://127\.0\.0\.1:8000(/lettre/desinscription/[^"]+)"', page)[
        1
    ]
    # Asking again while confirmed sends nothing.
    client.post(reverse("magazine:newsletter"), {"email": "zoe@example.org"})
    assert OutboxEmail.objects.count() == 1

    assert "Se désinscrire" in Client().get(unsubscribe).content.decode()
    Client().post(unsubscribe)
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribed_at is not None


def test_a_bad_email_is_refused_in_french(client, db):
    response = client.post(reverse("magazine:newsletter"), {"email": "pas-une-adresse"})
    assert "Saisissez une adresse de courriel valide." in response.content.decode()
    assert not NewsletterSubscriber.objects.exists()


def test_an_expired_confirmation_link_is_refused(client, db, monkeypatch):
    client.post(reverse("magazine:newsletter"), {"email": "zoe@example.org"})
    confirm = link_in(OutboxEmail.objects.get(), "/lettre/confirmer/")
    later = time.time() + 8 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert Client().get(confirm).status_code == 403
    assert NewsletterSubscriber.objects.get().status == "pending"


def test_donors_who_consent_are_asked_to_confirm_the_same_way(client, association):
    client.post(
        reverse("donations:donate"),
        {
            "first_name": "Marie", "last_name": "Curie", "email": "marie@example.org",
            "line1": "36 quai de Béthune", "postcode": "75004", "city": "Paris",
            "country": "France", "amount": "50", "frequency": "once", "newsletter": "on",
        },
    )  # fmt: skip
    subscriber = NewsletterSubscriber.objects.get()
    assert (subscriber.source, subscriber.status) == ("donation", "pending")
    assert "/lettre/confirmer/" in OutboxEmail.objects.get().body


def test_staff_export_confirmed_subscribers(client, demo):
    from django.utils import timezone

    NewsletterSubscriber.objects.create(
        email="a@example.org", status="confirmed", source="footer",
        requested_at=timezone.now(), consent_at=timezone.now(),
    )  # fmt: skip
    NewsletterSubscriber.objects.create(
        email="b@example.org", status="pending", source="footer", requested_at=timezone.now()
    )
    client.force_login(get_user_model().objects.get(email="equipe@kiosque.example"))
    response = client.get(reverse("magazine-dashboard:newsletter-export"))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "Adresse email;Consentement donné le;Origine de l'inscription;Langue"
    assert len(lines) == 2 and lines[1].startswith("a@example.org;")
    assert lines[1].endswith(";formulaire d'inscription;fr")


def test_signing_one_address_up_again_and_again_sends_few_emails(db, settings):
    """An email flood: ten sign-ups for one address, from ten addresses."""
    settings.KIOSQUE_EMAILS_PER_ADDRESS = 3
    for n in range(10):
        response = Client(REMOTE_ADDR=f"192.0.2.{n}").post(
            reverse("magazine:newsletter"), {"email": "Zoe@Example.org"}
        )
        # The same answer every time: nothing tells whether an email went.
        assert response.status_code == 200
        assert "confirmer" in response.content.decode()

    assert OutboxEmail.objects.filter(to=["zoe@example.org"]).count() == 3


def test_one_client_signing_many_addresses_up_is_stopped_with_a_french_message(db, settings):
    settings.KIOSQUE_EMAIL_REQUESTS_PER_IP = 3
    client = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(3):
        client.post(reverse("magazine:newsletter"), {"email": f"victime{n}@example.org"})

    response = client.post(reverse("magazine:newsletter"), {"email": "victime9@example.org"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de demandes" in page
    assert 'value="victime9@example.org"' in page  # the form keeps what was typed
    assert OutboxEmail.objects.count() == 3
    # Someone else is not concerned.
    other = Client(REMOTE_ADDR="198.51.100.10")
    assert other.post(reverse("magazine:newsletter"), {"email": "a@example.org"}).status_code == 200
    assert OutboxEmail.objects.count() == 4
