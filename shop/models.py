from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CardPayment(models.Model):
    """One attempt to pay a basket by card, with what is needed to place its order.

    It is written before Stripe is asked to charge, so that whichever comes first, the
    reader's browser or Stripe's ``payment_intent.succeeded`` webhook, can place the order
    from it; the row lock and the one-to-one order make that happen once.
    """

    class Status(models.TextChoices):
        STARTED = "started", _("started")
        REQUIRES_ACTION = "requires_action", _("awaiting 3-D Secure")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.PROTECT, related_name="card_payments"
    )
    order_number = models.CharField(_("order number"), max_length=128, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    guest_email = models.EmailField(_("guest email"), blank=True)
    # The unsaved ShippingAddress's fields, or null when nothing is posted.
    shipping_address = models.JSONField(_("shipping address"), null=True, blank=True)
    shipping_method_code = models.CharField(_("shipping method"), max_length=128)
    # What the card is charged: the order's total plus the add-ons' (shop.checkout.addons).
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # The add-ons' amounts in that charge, frozen when it is made: {"donation": "10.00"}.
    # Never the order's: its total, accounts and refunds are the goods' and postage only.
    extras = models.JSONField(_("add-ons"), default=dict, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)

    customer_id = models.CharField(_("Stripe customer"), max_length=255, blank=True)
    setup_intent_id = models.CharField(_("Stripe SetupIntent"), max_length=255, blank=True)
    payment_intent_id = models.CharField(
        _("Stripe PaymentIntent"), max_length=255, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.STARTED
    )
    error_code = models.CharField(_("error code"), max_length=255, blank=True)
    order = models.OneToOneField(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="card_payment",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("card payment")
        verbose_name_plural = _("card payments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.order_number} {self.payment_intent_id or '-'} ({self.status})"

    @property
    def order_amount(self):
        """The part of the charge that pays the order (the rest is the add-ons')."""
        return self.amount - sum((Decimal(part) for part in self.extras.values()), Decimal(0))
