"""The signed, expiring link that proves an account receives an email."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "kiosque.accounts.confirm-email"


def confirm_url(user, email: str) -> str:
    """The link for ``user`` to confirm ``email`` (theirs, or the one they are changing to)."""
    token = signing.dumps([user.pk, email.strip().lower()], salt=CONFIRM_SALT, compress=False)
    return f"{settings.SITE_URL}{reverse('accounts:confirm-email', kwargs={'token': token})}"


def confirmation_of(token: str) -> tuple[int, str] | None:
    """(user id, email) a link was made for, or None if it is forged or has expired."""
    max_age = settings.KIOSQUE_EMAIL_CONFIRM_DAYS * 24 * 3600
    try:
        user_id, email = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
        return int(user_id), str(email)
    except (signing.BadSignature, ValueError, TypeError):
        return None
