"""The outbox's admin never shows a secret link: a password-reset link read there would sign
its reader in as the account's owner (the treasurer, a superuser), a donor's signed link would
open their receipts or stop their gift. Staff who read the outbox see where each link goes
(its first segment), never the link."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from donations.services.receipts import cancel_receipt, issue_receipt
from kiosque.access import TREASURER_GROUP
from kiosque.links import mask_links
from kiosque.models import OutboxEmail
from tests.support.donations import make_donor, paid_donation

RESET_LINK = re.compile(r"/password-reset/confirm/(?P<uid>[^/\s]+)/(?P<token>[^/\s]+)/")
RECEIPTS_LINK = re.compile(r"/don/recus/(?P<token>[^/\s\"<]+)/")


@pytest.fixture
def treasurer(db, django_user_model):
    """The treasurer as the demo makes them: staff of the Trésorerie group, which reads the
    outbox (accounts.demo grants it view_outboxemail)."""
    group = Group.objects.get(name=TREASURER_GROUP)
    group.permissions.add(Permission.objects.get(codename="view_outboxemail"))
    user = django_user_model.objects.create_user(
        "claire", "claire@example.org", "x-long-password", is_staff=True
    )
    user.groups.add(group)
    return user


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "x-long-pass")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _admin_pages(email: OutboxEmail) -> list[str]:
    base = "/admin/kiosque/outboxemail/"
    return [
        base,
        f"{base}?q={email.subject}",
        f"{base}?sent_at__isnull=True",
        f"{base}{email.pk}/change/",
        f"{base}{email.pk}/",
        f"{base}{email.pk}/history/",
        f"{base}{email.pk}/delete/",
    ]


def _assert_never_shown(client, email: OutboxEmail, secrets: list[str]) -> list[int]:
    statuses = []
    for url in _admin_pages(email):
        response = client.get(url, follow=True)
        statuses.append(response.status_code)
        page = response.content.decode()
        for secret in secrets:
            assert secret not in page, f"{url} shows {secret!r}"
    # Searching the outbox is no oracle for a link either.
    response = client.get("/admin/kiosque/outboxemail/", {"q": secrets[0]})
    if response.status_code == 200:
        assert response.context["cl"].result_count == 0
    return statuses


def test_a_password_reset_link_is_never_shown_in_the_outbox_admin(
    treasurer, superuser, outbox_emails
):
    for victim in (treasurer, superuser):
        assert Client().post("/password-reset/", {"email": victim.email}).status_code == 302
        email = OutboxEmail.objects.get(to=[victim.email])
        link = RESET_LINK.search(email.body)
        assert link, email.body  # the real link is in the row...
        secrets = [link["token"], link["token"].split("-")[-1], link.group(0)]
        assert all(secret in email.body + email.html_body for secret in secrets)

        # ...and neither the treasurer nor a superuser reads it in the admin.
        assert _assert_never_shown(_signed_in(treasurer), email, secrets)[:4] == [200] * 4
        assert _assert_never_shown(_signed_in(superuser), email, secrets) == [200] * 7

    # What they see: that it was a password reset, its link masked.
    page = _signed_in(treasurer).get(f"/admin/kiosque/outboxemail/{email.pk}/change/")
    assert "/password-reset/" in page.content.decode()
    assert "[lien masqué]" in page.content.decode()


def test_a_donors_signed_receipts_link_is_never_shown_in_the_outbox_admin(
    treasurer, superuser, association, outbox_emails
):
    receipt = issue_receipt([paid_donation(make_donor())])
    cancel_receipt(receipt, reason="Erreur de montant", eligible=False)
    email = OutboxEmail.objects.get(to=[receipt.donor.email])
    token = RECEIPTS_LINK.search(email.body)["token"]
    assert token in email.html_body

    assert _assert_never_shown(_signed_in(treasurer), email, [token])[:4] == [200] * 4
    assert _assert_never_shown(_signed_in(superuser), email, [token]) == [200] * 7


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "Lien : https://kiosque.example/password-reset/confirm/MQ/abc-123/ merci",
            "Lien : https://kiosque.example/password-reset/[lien masqué] merci",
        ),
        (
            '<a href="http://127.0.0.1:8000/don/recus/1:tok:sig/">vos reçus</a>',
            '<a href="http://127.0.0.1:8000/don/[lien masqué]">vos reçus</a>',
        ),
        (
            "<https://kiosque.example/newsletter/desabonner/?t=secret>",
            "<https://kiosque.example/newsletter/[lien masqué]>",
        ),
        ("https://kiosque.example/?token=secret", "https://kiosque.example/[lien masqué]"),
        ("https://kiosque.example/don/", "https://kiosque.example/don/"),
        ("Voir /accounts/email/confirmer/tok/.", "Voir /accounts/[lien masqué]."),
        ("Pas de lien, 12/03/2026.", "Pas de lien, 12/03/2026."),
    ],
)
def test_links_are_masked_after_their_first_segment(text, shown):
    assert mask_links(text) == shown


def test_oscars_copy_of_a_password_reset_is_the_superusers_and_masked_too(
    treasurer, superuser, outbox_emails
):
    from oscar.core.loading import get_model

    Client().post("/password-reset/", {"email": treasurer.email})
    copy = get_model("communication", "Email").objects.get(email=treasurer.email)
    token = RESET_LINK.search(copy.body_text)["token"]
    base = "/admin/communication/email/"
    pages = [base, f"{base}{copy.pk}/change/", f"{base}{copy.pk}/history/"]
    pages.append(f"{base}{copy.pk}/delete/")
    for url in pages:
        assert _signed_in(treasurer).get(url).status_code == 403, url
        response = _signed_in(superuser).get(url)
        assert response.status_code == 200, url
        assert token not in response.content.decode(), url
    response = _signed_in(superuser).get(base, {"q": token})
    assert response.context["cl"].result_count == 0


SITE_LINK = re.compile(r"http://127\.0\.0\.1:8000/[\w-]+/(?P<rest>[^\s\"'<>]+)")


def _email_confirmation(treasurer):
    from accounts import services as accounts_services

    accounts_services.request_email_confirmation(user=treasurer, language="fr")
    return treasurer.email


def _newsletter(treasurer):
    from magazine import services as magazine_services

    magazine_services.request_newsletter("lu@example.org", source="footer", language="fr")
    return "lu@example.org"


@pytest.mark.parametrize("send", [_email_confirmation, _newsletter])
def test_no_signed_link_of_the_site_is_shown_in_the_outbox_admin(
    send, treasurer, superuser, outbox_emails
):
    email = OutboxEmail.objects.get(to=[send(treasurer)])
    secrets = [m["rest"] for m in SITE_LINK.finditer(email.body + email.html_body)]
    assert secrets and all(len(secret) > 20 for secret in secrets), email.body
    assert _assert_never_shown(_signed_in(treasurer), email, secrets)[:4] == [200] * 4
    assert _assert_never_shown(_signed_in(superuser), email, secrets) == [200] * 7
