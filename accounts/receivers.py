"""A new account is welcomed, and asked to confirm its email before anything under that email
is its (one email: the welcome carries the link)."""

from django.dispatch import receiver
from django.utils import translation
from oscar.apps.customer.signals import user_registered

from accounts import services


@receiver(user_registered, dispatch_uid="accounts-confirm-email")
def welcome_and_ask_to_confirm_email(sender, user, **kwargs):
    services.welcome(user=user, language=translation.get_language() or "fr")
