"""The magazine listens to Oscar: a placed (hence paid) order, a new account."""

from django.dispatch import receiver
from oscar.apps.customer.signals import user_registered
from oscar.apps.order.signals import order_placed

from magazine import services


@receiver(order_placed, dispatch_uid="magazine-fulfil-order")
def fulfil_order(sender, order, **kwargs):
    # Kiosque places an order only once Stripe says it is paid (shop.checkout.services).
    services.fulfil_order(order)


@receiver(user_registered, dispatch_uid="magazine-link-account")
def link_account(sender, user, **kwargs):
    services.link_to_account(user)
