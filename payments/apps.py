from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """The door to Stripe: the only app that imports it. The apps above register what they do
    on Stripe's events (payments.webhooks) and call its functions; it imports none of them."""

    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        # Registers its own webhook handler: refused cards count against card testing.
        from payments import card_attempts  # noqa: F401
