from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Donations")

    def ready(self):
        # Registered on import: the webhook handlers, the receipts' PDF attachment maker and
        # the receiver of verified emails.
        from donations import payment_handlers, receivers  # noqa: F401
        from donations.services import receipts  # noqa: F401
