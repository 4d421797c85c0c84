"""Links that Oscar and Django write from the Sites framework (password resets, order emails)
follow SITE_URL: `migrate` sets the current Site from it, so those links are never dead."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from kiosque.models import OutboxEmail


@pytest.mark.django_db
def test_a_password_reset_link_leads_to_site_url(settings, django_user_model):
    settings.SITE_URL = "https://kiosque.example.org"
    settings.EMAIL_BACKEND = "kiosque.mail.OutboxEmailBackend"
    call_command("migrate", verbosity=0)  # what every release runs
    django_user_model.objects.create_user("m", "marie@example.org", "x-long-password")

    Client().post("/password-reset/", {"email": "marie@example.org"})

    (email,) = OutboxEmail.objects.filter(to=["marie@example.org"])
    links = re.findall(r"https?://([^/\s]+)/password-reset/confirm/", email.body)
    assert links == ["kiosque.example.org"]
