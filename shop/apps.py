from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    """Kiosque's part of Oscar: the forked checkout and its card payments, shipping, search,
    the dashboard's forks and the orders' refunds."""

    name = "shop"
    label = "kiosque_shop"
    verbose_name = _("Shop")

    def ready(self):
        from shop import payment_handlers  # noqa: F401  (registers the webhook handlers)
