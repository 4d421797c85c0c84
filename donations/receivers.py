"""Donations listen to the accounts app: an account that verified an email owns its donor."""

from django.dispatch import receiver

from accounts.signals import email_verified
from donations.models import Donor


@receiver(email_verified, dispatch_uid="donations-link-verified-email")
def link_donor(sender, user, email, **kwargs):
    Donor.objects.filter(user__isnull=True, email__iexact=email).update(user=user)
