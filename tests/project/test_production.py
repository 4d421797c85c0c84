"""What production shows when things go wrong, and how its web process listens."""

import os
import shlex
import subprocess

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from donations import context_processors
from magazine import views as magazine_views


@pytest.fixture
def raise_on_home(monkeypatch):
    def broken(self, **kwargs):
        raise RuntimeError("the home page broke")

    monkeypatch.setattr(magazine_views.HomeView, "get_context_data", broken)


def _page(response):
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "title", "text"),
    [
        ("", "Page introuvable", "La page demandée n'existe pas"),
        ("/en", "Page not found", "The page you asked for does not exist"),
    ],
)
def test_not_found_in_the_site_s_look_and_language(prefix, title, text):
    assert not settings.DEBUG
    response = Client().get(f"{prefix}/nulle-part/")
    assert response.status_code == 404
    page = _page(response)
    assert title in page and text in page
    assert "kiosque/css/kiosque.css" in page  # the site's layout, not Django's bare page
    assert "<h1>Not Found</h1>" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "title", "text"),
    [
        ("", "Accès refusé", "Vous n'avez pas accès à cette page."),
        ("/en", "Access refused", "You are not allowed to see this page."),
    ],
)
def test_forbidden_in_the_site_s_look_and_language(django_user_model, prefix, title, text):
    staff = django_user_model.objects.create_user("s", "s@example.org", "x-long-password")
    staff.is_staff = True
    staff.save()
    staff.groups.add(Group.objects.get_or_create(name="Équipe")[0])
    client = Client()
    client.force_login(staff)
    response = client.get(f"{prefix}/dashboard/treasury/")
    assert response.status_code == 403
    page = _page(response)
    assert title in page and text in page
    assert "kiosque/css/kiosque.css" in page
    assert "403 Forbidden" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "title", "text"),
    [
        ("", "Formulaire expiré", "Rechargez la page"),
        ("/en", "Form expired", "Reload the page"),
    ],
)
def test_a_form_without_its_csrf_token_in_the_site_s_look_and_language(prefix, title, text):
    response = Client(enforce_csrf_checks=True).post(f"{prefix}/accounts/login/", {})
    assert response.status_code == 403
    page = _page(response)
    assert title in page and text in page
    assert "kiosque/css/kiosque.css" in page
    assert "DEBUG" not in page  # not Django's bare page


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "title"), [("", "Requête invalide"), ("/en", "Bad request")])
def test_a_bad_request_in_the_site_s_language(prefix, title):
    response = Client(raise_request_exception=False).get(f"{prefix}/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert title in _page(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "lang", "title"),
    [("", "fr", "Erreur du serveur"), ("/en", "en", "Server error")],
)
def test_server_error_in_the_site_s_language(raise_on_home, prefix, lang, title):
    response = Client(raise_request_exception=False).get(f"{prefix}/")
    assert response.status_code == 500
    page = _page(response)
    assert title in page and f'lang="{lang}"' in page
    assert settings.OSCAR_SHOP_NAME in page
    assert f'href="{prefix}/"' in page
    assert "Server Error (500)" not in page


@pytest.mark.django_db
def test_the_server_error_page_needs_no_context_processor_nor_database(
    raise_on_home, monkeypatch, django_assert_num_queries
):
    def failing(request):
        raise RuntimeError("a context processor failed too")

    monkeypatch.setattr(context_processors, "association", failing)
    from kiosque.views import server_error

    with django_assert_num_queries(0):
        response = server_error(None)
    assert response.status_code == 500
    assert "Erreur du serveur" in _page(response)
    assert Client(raise_request_exception=False).get("/").status_code == 500


def _web_bind(**environ):
    """Where Procfile's web process listens, as a shell expands it with this environment."""
    line = next(
        line
        for line in (settings.BASE_DIR / "Procfile").read_text().splitlines()
        if line.startswith("web:")
    )
    words = shlex.split(line.removeprefix("web:"))
    bind = words[words.index("--bind") + 1]
    env = {key: value for key, value in os.environ.items() if key not in ("PORT", "GUNICORN_BIND")}
    return subprocess.run(
        ["sh", "-c", f"printf %s {bind}"],
        env={**env, **environ},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_gunicorn_listens_on_the_loopback_unless_told_otherwise():
    assert _web_bind() == "127.0.0.1:8000"
    assert _web_bind(PORT="5000") == "127.0.0.1:5000"
    assert _web_bind(GUNICORN_BIND="unix:/run/kiosque.sock") == "unix:/run/kiosque.sock"
    assert "0.0.0.0" not in (settings.BASE_DIR / "Procfile").read_text()  # noqa: S104
