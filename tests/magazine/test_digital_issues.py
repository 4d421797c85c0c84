"""Digital issues: downloads checked against the reader's right; publishing an issue."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from kiosque.models import OutboxEmail
from magazine import links, services
from magazine.models import Entitlement, Issue, ServedIssue
from magazine.selectors import remaining_issues
from tests.support.accounts import verified
from tests.support.magazine import DIGITAL_ONLY, PRINT_ONLY, place_order, subscription_of

pytestmark = pytest.mark.usefixtures("demo", "outbox_emails")


@pytest.fixture
def reader(django_user_model):
    return verified(
        django_user_model.objects.create_user("l", "louise@example.org", "x-long-password")
    )


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_entitled_reader_downloads_others_get_403(client, reader, django_user_model):
    place_order("ECHO-002-N", user=reader)
    url = reverse("magazine:download", args=[2])
    issue = Issue.objects.get(number=2)

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="kiosque-numero-2.pdf"' in response["Content-Disposition"]
    assert content(response) == issue.pdf.open("rb").read()
    assert client.get(reverse("magazine:download", args=[1])).status_code == 403  # not bought

    other = Client()
    other.force_login(django_user_model.objects.create_user("o", "o@example.org", "x-long-pw"))
    refused = other.get(url)
    assert refused.status_code == 403
    assert issue.pdf.name not in refused.content.decode()


def test_the_files_are_not_public(client):
    issue = Issue.objects.get(number=2)
    assert client.get(f"/media/{issue.pdf.name}").status_code == 404
    with pytest.raises(ValueError, match="no URL"):
        issue.pdf.url  # noqa: B018 (the private storage gives no URL at all)


def test_the_signed_link_works_without_login_and_expires(reader, settings, monkeypatch):
    place_order("ECHO-002-N", user=reader)
    entitlement = Entitlement.objects.get()
    url = links.download_url(entitlement).removeprefix("http://127.0.0.1:8000")

    assert Client().get(url).status_code == 200
    assert Client().get(url[:-3] + "abc/").status_code == 403  # tampered
    later = time.time() + (settings.KIOSQUE_DOWNLOAD_LINK_DAYS + 1) * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    expired = Client().get(url)
    assert expired.status_code == 403
    assert "expiré" in expired.content.decode()


def test_the_web_server_can_send_the_file(client, reader, settings):
    place_order("ECHO-002-N", user=reader)
    client.force_login(reader)
    settings.KIOSQUE_SENDFILE_HEADER = "X-Accel-Redirect"
    response = client.get(reverse("magazine:download", args=[2]))
    assert response["X-Accel-Redirect"] == "/private/" + Issue.objects.get(number=2).pdf.name
    assert response.content == b""


def test_publishing_serves_subscriptions_once_and_opens_the_pdf(reader):
    print_subscription = subscription_of(place_order(PRINT_ONLY, email="p@example.org"))
    digital = subscription_of(place_order(DIGITAL_ONLY, user=reader))
    issue = Issue.objects.get(number=4)
    assert remaining_issues(digital) == 4

    assert services.publish_issue(issue) == 2
    assert services.publish_issue(issue) == 0  # again: idempotent

    issue.refresh_from_db()
    assert issue.is_published
    assert ServedIssue.objects.filter(issue=issue).count() == 2
    assert remaining_issues(digital) == 3 and remaining_issues(print_subscription) == 3
    entitlement = Entitlement.objects.get(issue=issue)
    assert (entitlement.email, entitlement.subscription) == ("louise@example.org", digital)
    assert OutboxEmail.objects.filter(subject__contains="n°4").count() == 1
    client = Client()
    client.force_login(reader)
    assert client.get(reverse("magazine:download", args=[4])).status_code == 200


def test_an_issue_not_published_cannot_be_downloaded(client, reader):
    subscription_of(place_order(DIGITAL_ONLY, user=reader))
    Entitlement.objects.create(email=reader.email, issue=Issue.objects.get(number=4))
    client.force_login(reader)
    assert client.get(reverse("magazine:download", args=[4])).status_code == 403
