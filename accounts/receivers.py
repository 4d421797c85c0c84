"""A new account is asked to confirm its email before anything under that email is its."""

from django.dispatch import receiver
from django.utils import translation
from oscar.apps.customer.signals import user_registered

from accounts import services


@receiver(user_registered, dispatch_uid="accounts-confirm-email")
def ask_to_confirm_email(sender, user, **kwargs):
    services.request_email_confirmation(user=user, language=translation.get_language() or "fr")
