"""Signed links in the magazine's emails: downloads, renewals, the newsletter."""

from django.conf import settings

from kiosque.links import signed_url, unsign
from magazine.models import Entitlement, NewsletterSubscriber, Subscription

DOWNLOAD_SALT = "kiosque.magazine.download"
RENEW_SALT = "kiosque.magazine.renew"
CONFIRM_SALT = "kiosque.newsletter.confirm"
UNSUBSCRIBE_SALT = "kiosque.newsletter.unsubscribe"
NEWSLETTER_CONFIRM_DAYS = 7


def download_url(entitlement: Entitlement) -> str:
    return signed_url("magazine:download-link", entitlement.pk, DOWNLOAD_SALT)


def entitlement_of(token: str) -> Entitlement | None:
    pk = unsign(token, DOWNLOAD_SALT, settings.KIOSQUE_DOWNLOAD_LINK_DAYS)
    return Entitlement.objects.filter(pk=pk).select_related("issue").first() if pk else None


def renew_url(subscription: Subscription) -> str:
    return signed_url("magazine:renew", subscription.pk, RENEW_SALT)


def subscription_to_renew(token: str) -> Subscription | None:
    pk = unsign(token, RENEW_SALT, settings.KIOSQUE_DONOR_LINK_DAYS)
    return Subscription.objects.filter(pk=pk).select_related("product").first() if pk else None


def confirm_url(subscriber: NewsletterSubscriber) -> str:
    return signed_url("magazine:newsletter-confirm", subscriber.pk, CONFIRM_SALT)


def subscriber_to_confirm(token: str) -> NewsletterSubscriber | None:
    pk = unsign(token, CONFIRM_SALT, NEWSLETTER_CONFIRM_DAYS)
    return NewsletterSubscriber.objects.filter(pk=pk).first() if pk else None


def unsubscribe_url(subscriber: NewsletterSubscriber) -> str:
    return signed_url("magazine:newsletter-unsubscribe", subscriber.pk, UNSUBSCRIBE_SALT)


def subscriber_to_unsubscribe(token: str) -> NewsletterSubscriber | None:
    # An unsubscribe link must keep working: it never expires.
    pk = unsign(token, UNSUBSCRIBE_SALT, None)
    return NewsletterSubscriber.objects.filter(pk=pk).first() if pk else None
