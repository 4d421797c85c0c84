"""The treasurer's register of tax receipts in the dashboard: search, download, cancel, correct."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from donations.models import Receipt
from donations.services.receipts import issue_receipt
from kiosque.access import TREASURER_GROUP
from kiosque.models import OutboxEmail
from tests.support.donations import make_donor, paid_donation

pytestmark = pytest.mark.usefixtures("association", "outbox_emails")


@pytest.fixture
def treasurer(client, django_user_model):
    user = django_user_model.objects.create_user(
        "tresoriere", "tresoriere@example.org", "x-long-password", is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name=TREASURER_GROUP)[0])
    client.force_login(user)
    return user


@pytest.fixture
def receipt(db):
    return issue_receipt([paid_donation(make_donor(last_name="Curi"), "80")])


def test_only_the_treasurer_sees_the_register(client, django_user_model, receipt):
    url = reverse("donations-dashboard:receipts")
    assert client.get(url).status_code == 302  # to the login page
    staff = django_user_model.objects.create_user("e", "e@example.org", "x", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("dashboard:index")).content.decode()


def test_the_register_lists_and_finds_receipts(client, treasurer, receipt):
    other = issue_receipt([paid_donation(make_donor(email="b@example.org", last_name="Bohr"))])
    html = client.get(reverse("donations-dashboard:receipts")).content.decode()
    assert receipt.number in html and other.number in html
    assert (
        reverse("donations-dashboard:receipts")
        in client.get(reverse("dashboard:index")).content.decode()
    )
    found = client.get(reverse("donations-dashboard:receipts"), {"donor": "bohr"}).content.decode()
    assert other.number in found and receipt.number not in found
    pdf = client.get(reverse("donations-dashboard:receipt-pdf", args=[receipt.number]))
    # The PDF made once and kept (a second rendering would carry another creation time).
    receipt.refresh_from_db()
    assert b"".join(pdf.streaming_content) == bytes(receipt.pdf)


def test_the_treasurer_corrects_a_donor_s_name(client, treasurer, receipt):
    url = reverse("donations-dashboard:receipt", args=[receipt.number])
    data = {
        "correct": "1",
        "correct-reason": "Nom mal orthographié",
        "correct-first_name": "Marie",
        "correct-last_name": "Curie",
        "correct-line1": "36 quai de Béthune",
        "correct-postcode": "75004",
        "correct-city": "Paris",
        "correct-country": "France",
    }
    response = client.post(url, data)

    corrected = Receipt.objects.get(replaces=receipt)
    assert response.url == reverse("donations-dashboard:receipt", args=[corrected.number])
    receipt.refresh_from_db()
    assert receipt.is_cancelled and receipt.cancelled_by == treasurer
    assert corrected.donor_last_name == "Curie" and corrected.amount == receipt.amount
    email = OutboxEmail.objects.get()
    assert receipt.number in email.subject and corrected.number in email.body


def test_cancelling_needs_a_reason_and_tells_the_donor(client, treasurer, receipt):
    url = reverse("donations-dashboard:receipt", args=[receipt.number])
    response = client.post(url, {"cancel": "1", "cancel-reason": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    receipt.refresh_from_db()
    assert not receipt.is_cancelled

    client.post(
        url,
        {"cancel": "1", "cancel-reason": "Versement rejeté par la banque", "cancel-eligible": "no"},
    )

    receipt.refresh_from_db()
    assert receipt.is_cancelled and receipt.cancellation_reason == "Versement rejeté par la banque"
    assert "annulé" in OutboxEmail.objects.get().subject
    assert client.post(url, {"cancel": "1", "cancel-reason": "encore"}).status_code == 302
    assert Receipt.objects.count() == 1
