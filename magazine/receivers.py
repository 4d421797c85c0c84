"""The magazine listens to Oscar: a placed (hence paid) order."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from magazine import services


@receiver(order_placed, dispatch_uid="magazine-fulfil-order")
def fulfil_order(sender, order, **kwargs):
    # Kiosque places an order only once Stripe says it is paid (shop.checkout.services).
    services.fulfil_order(order)


# A new account owns what was bought under its email only once it has verified it:
# accounts.services.confirm_email links them then (see accounts.receivers).
