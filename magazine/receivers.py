"""The magazine listens to Oscar: a placed (hence paid) order."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from accounts.signals import email_verified
from magazine import services


@receiver(order_placed, dispatch_uid="magazine-fulfil-order")
def fulfil_order(sender, order, **kwargs):
    # Kiosque places an order only once Stripe says it is paid (shop.checkout.services).
    services.fulfil_order(order)


@receiver(email_verified, dispatch_uid="magazine-link-verified-email")
def link_to_account(sender, user, **kwargs):
    # A new account owns what was bought for its email only once it has verified it.
    services.link_to_account(user)
