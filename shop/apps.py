from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    """Kiosque's own part of the shop: the email outbox, Stripe (later), demo data."""

    name = "shop"
    label = "kiosque_shop"
    verbose_name = _("Shop")
