"""The Content-Security-Policy: present on every page, with the nonce of its inline script."""

import re

import pytest
from django.contrib.auth import get_user_model


@pytest.mark.parametrize("url", ["/", "/catalogue/", "/basket/", "/don/", "/accounts/login/"])
def test_pages_carry_a_strict_policy(client, demo, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)[1]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "<script>" not in response.content.decode()  # no inline script without the nonce


def test_the_dashboard_too(client, demo):
    client.force_login(get_user_model().objects.get(email="tresorier@kiosque.example"))
    response = client.get("/dashboard/treasury/")
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]


def test_stripe_s_addresses_follow_the_settings(client, demo, settings):
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    settings.STRIPE_API_BASE = "https://api.stripe.com"
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert "https://js.stripe.com" in directives["script-src"]
    assert "https://api.stripe.com" in directives["connect-src"]
    assert "https://hooks.stripe.com" in directives["frame-src"]
