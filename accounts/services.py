"""Proving an email: the link sent through the outbox, and what following it does."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_model

from accounts import links, selectors, signals
from accounts.models import VerifiedEmail
from kiosque.services import send_templated_email
from kiosque.sites import site_name

Order = get_model("order", "Order")


class EmailTaken(Exception):
    """Another account has that email (emails are unique whatever their case)."""


def request_email_confirmation(*, user, language: str, email: str | None = None) -> None:
    """Email ``user`` the link that proves they receive ``email`` (default: their own).
    For another email, following the link makes it the account's email."""
    email = (email or user.email).strip()
    send_templated_email(
        "accounts/emails/confirm_email",
        to=email,
        language=language,
        context={
            "confirm_url": links.confirm_url(user, email),
            "days": settings.KIOSQUE_EMAIL_CONFIRM_DAYS,
            "is_change": email.lower() != user.email.strip().lower(),
        },
    )


def welcome(*, user, language: str) -> None:
    """The new account's welcome email: what the account gives, and the link that proves the
    address (the same link as ``request_email_confirmation``'s). It replaces Oscar's one-line
    registration email (OSCAR_SEND_REGISTRATION_EMAIL is off)."""
    with translation.override(language):
        # The reader's space is the magazine's page: reached by its URL name, not imported.
        reader_space_url = f"{settings.SITE_URL}{reverse('magazine:reader-space')}"
    send_templated_email(
        "accounts/emails/welcome",
        to=user.email.strip(),
        language=language,
        context={
            "shop_name": site_name(),
            "confirm_url": links.confirm_url(user, user.email),
            "days": settings.KIOSQUE_EMAIL_CONFIRM_DAYS,
            "reader_space_url": reader_space_url,
            "email": user.email.strip(),
        },
    )


@transaction.atomic
def confirm_email(*, user, email: str) -> str:
    """``user`` proved they receive ``email``: it becomes the account's email (when it was a
    change, the old one is no longer theirs), verified, and what was bought, given or
    received under it becomes theirs. Returns the account's previous email.

    Raises EmailTaken when another account has that email meanwhile.
    """
    original, user = user, get_user_model().objects.select_for_update().get(pk=user.pk)
    email = email.strip().lower()
    previous = user.email
    if previous.strip().lower() != email:
        if selectors.email_taken(email, exclude=user):
            raise EmailTaken(email)
        user.email = email
        user.save(update_fields=["email"])
    VerifiedEmail.objects.update_or_create(
        user=user, defaults={"email": email, "verified_at": timezone.now()}
    )
    selectors.forget(original)
    Order.objects.filter(user__isnull=True, guest_email__iexact=email).update(user=user)
    # The apps above link what was bought, given or received under the email (magazine,
    # donations): they listen, so that accounts imports none of them.
    signals.email_verified.send(sender=confirm_email, user=user, email=email)
    return previous
