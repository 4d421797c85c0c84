"""Signed links in emails: the signature proves the link came in that email, so the page
needs no login. ``days`` limits how long a link stays good (None: for ever)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse


def signed_url(url_name: str, value: int, salt: str) -> str:
    """The site's absolute URL of ``url_name`` with ``value`` signed as its ``token``."""
    token = signing.TimestampSigner(salt=salt).sign(str(value))
    return f"{settings.SITE_URL}{reverse(url_name, kwargs={'token': token})}"


def unsign(token: str, salt: str, days: int | None) -> int | None:
    """The value a token was made for, or None if it is forged or has expired."""
    max_age = None if days is None else days * 24 * 3600
    try:
        return int(signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age))
    except (signing.BadSignature, ValueError):
        return None
