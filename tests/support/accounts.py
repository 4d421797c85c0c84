"""Helpers for accounts: the email confirmation link, as a reader follows it."""

import re

from accounts import services
from kiosque.models import OutboxEmail

LINK = re.compile(r"https?://[^/\s]+(/(?:en/)?accounts/email/confirmer/[^/\s]+/)")


def confirmation_path(email: str) -> str:
    """The confirmation link of the latest email sent to ``email`` that has one, as a path."""
    for sent in OutboxEmail.objects.filter(to=[email]).order_by("-pk"):
        match = LINK.search(sent.body)
        if match:
            return match[1]
    raise AssertionError(f"no confirmation link sent to {email}")


def verified(user):
    """``user`` as if they had followed the link sent to their email."""
    services.confirm_email(user=user, email=user.email)
    return user


LOGIN = "/accounts/login/"


def attempt(client, email, password):
    return client.post(
        LOGIN,
        {"login-username": email, "login-password": password, "login_submit": "1"},
    )
