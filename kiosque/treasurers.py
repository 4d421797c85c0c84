"""Telling the treasury (the staff of the Trésorerie group) something happened that the desk
should look at: a failed debit, a gift stopped. One email each, in the site's language."""

from django.conf import settings
from django.contrib.auth import get_user_model

from kiosque.access import TREASURER_GROUP
from kiosque.services import send_templated_email


def treasurer_emails() -> list[str]:
    """The addresses of the treasury's active staff (those ``treasurer_only`` lets in, but
    superusers outside the group: they did not ask for the treasury's mail)."""
    users = get_user_model().objects.filter(
        is_active=True, is_staff=True, groups__name=TREASURER_GROUP
    )
    return sorted({email for email in users.values_list("email", flat=True) if email})


def tell_treasurers(template: str, *, context: dict) -> None:
    for email in treasurer_emails():
        send_templated_email(template, to=email, language=settings.LANGUAGE_CODE, context=context)
