from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Donations")

    def ready(self):
        # Registered on import: the payment handlers, the receipts' PDF attachment maker, the
        # receiver of verified emails, the receipts' section of the reader's space and the
        # gift added to an order (the shop's checkout add-on).
        from donations import checkout_addon, payment_handlers, reader_space, receivers  # noqa: F401
        from donations.services import receipts  # noqa: F401
