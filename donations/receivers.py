"""Donations listen to the accounts app (an account that verified an email owns its donor) and
to their own association (its site name names the site in every email), and to their own
disputes (a month taken back stops its monthly gift)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.signals import email_verified
from donations.models import Association, Donor
from donations.services import monthly_disputes
from donations.signals import monthly_gift_disputed
from kiosque.sites import name_site


@receiver(email_verified, dispatch_uid="donations-link-verified-email")
def link_donor(sender, user, email, **kwargs):
    Donor.objects.filter(user__isnull=True, email__iexact=email).update(user=user)


@receiver(post_save, sender=Association, dispatch_uid="donations-name-the-site")
def name_the_site(sender, instance, raw=False, **kwargs):
    # Oscar's emails and ours say Django's Site name: the one the pages' header says.
    if not raw:
        name_site(instance.display_name)


@receiver(monthly_gift_disputed, dispatch_uid="donations-stop-disputed-gift")
def stop_disputed_gift(sender, gift, **kwargs):
    monthly_disputes.stop_disputed_gift(gift=gift)
