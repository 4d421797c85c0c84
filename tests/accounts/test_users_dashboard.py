"""Oscar's users dashboard deactivates accounts and sends password resets: superusers only
(shop.dashboard.users). Other staff (the demo's Équipe, the Trésorerie) neither reach its pages
nor see its menu entry, and cannot lock the treasurer out."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from oscar.core.loading import get_model
from oscar.test import factories

TEAM = "equipe@kiosque.example"
TREASURER = "tresorier@kiosque.example"


def _signed_in(email) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


@pytest.fixture
def superuser(demo, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "x-long-pass")


@pytest.fixture
def reader(demo, django_user_model):
    return django_user_model.objects.create_user("lu", "lu@example.org", "x-long-password")


def _alert(reader):
    product = get_model("catalogue", "Product").objects.filter(is_public=True).first()
    return factories.ProductAlertFactory(user=reader, product=product)


def _pages(user, alert) -> list[str]:
    return [
        "/dashboard/users/",
        f"/dashboard/users/{user.pk}/",
        f"/dashboard/users/{user.pk}/password-reset/",
        "/dashboard/users/alerts/",
        f"/dashboard/users/alerts/{alert.pk}/update/",
        f"/dashboard/users/alerts/{alert.pk}/delete/",
    ]


@pytest.mark.parametrize("staff", [TEAM, TREASURER])
def test_other_staff_cannot_deactivate_or_reset_the_treasurer(staff, superuser, reader):
    treasurer = get_user_model().objects.get(email=TREASURER)
    client = _signed_in(staff)
    for victim in (treasurer, superuser, reader):
        response = client.post(
            "/dashboard/users/", {"action": "make_inactive", "selected_user": victim.pk}
        )
        assert response.status_code == 403
        response = client.post(f"/dashboard/users/{victim.pk}/password-reset/")
        assert response.status_code == 403
        victim.refresh_from_db()
        assert victim.is_active
    assert not mail.outbox

    alert = _alert(reader)
    for url in _pages(treasurer, alert):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    # Its menu entry is gone too.
    assert "/dashboard/users/" not in client.get("/dashboard/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(superuser, reader):
    alert = _alert(reader)
    for url in _pages(reader, alert):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dashboard/login/"), url


def test_superusers_still_manage_accounts(superuser, reader):
    client = _signed_in(superuser.email)
    assert "/dashboard/users/" in client.get("/dashboard/").content.decode()
    assert client.get("/dashboard/users/").status_code == 200
    assert client.get(f"/dashboard/users/{reader.pk}/").status_code == 200
    assert client.get("/dashboard/users/alerts/").status_code == 200

    response = client.post(f"/dashboard/users/{reader.pk}/password-reset/")
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[reader.email]]

    response = client.post(
        "/dashboard/users/", {"action": "make_inactive", "selected_user": reader.pk}
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert not reader.is_active
