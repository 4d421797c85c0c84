from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    """Kiosque's own part of the shop: email outbox, Stripe gateway and webhooks, demo data."""

    name = "shop"
    label = "kiosque_shop"
    verbose_name = _("Shop")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_migrate

        from shop import stripe_handlers  # noqa: F401  (registers the webhook handlers)
        from shop.admin_lookups import restrict_admin_lookups
        from shop.auth import count_failed_sign_in
        from shop.sites import sync_current_site

        post_migrate.connect(sync_current_site, sender=self, dispatch_uid="kiosque-site")
        restrict_admin_lookups()
        user_login_failed.connect(count_failed_sign_in, dispatch_uid="kiosque-login-failures")
