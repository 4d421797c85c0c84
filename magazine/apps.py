from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MagazineConfig(AppConfig):
    name = "magazine"
    verbose_name = _("Magazine")

    def ready(self):
        from magazine import line_words, receivers  # noqa: F401  (receivers: Oscar's signals)
        from magazine.catalogue import GIFT_OPTION, PRINT_ISSUE, RENEWS_OPTION
        from shop import line_words as shop_lines
        from shop.shipping import postage

        # Subscriptions include their postage; single print issues pay it.
        postage.charge_postage_for(product_class_slug=PRINT_ISSUE.slug)
        # Gifts and renewals in words on every basket and order line, and what follows.
        shop_lines.describe_option(GIFT_OPTION[0], line_words.describe_gift)
        shop_lines.describe_option(RENEWS_OPTION[0], line_words.describe_renewal)
        shop_lines.add_next_step(line_words.next_step)
