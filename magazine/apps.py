from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MagazineConfig(AppConfig):
    name = "magazine"
    verbose_name = _("Magazine")

    def ready(self):
        from magazine import receivers  # noqa: F401  (connects Oscar's signals)
        from magazine.catalogue import PRINT_ISSUE
        from shop.shipping import postage

        # Subscriptions include their postage; single print issues pay it.
        postage.charge_postage_for(product_class_slug=PRINT_ISSUE.slug)
