"""A gift added to a shop order: paid with the order in one card payment, then a donation
like any other (donor, receipt, register), for the gift's amount only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from donations.models.identity import PostalIdentity


class OrderGift(PostalIdentity):
    """The gift a reader adds to their basket, with the name and address its receipt needs.

    Kept by basket until the order is paid (shop.checkout.addons adds its amount to the
    payment and tells when the order is placed); then ``donation`` is the gift paid and
    ``order`` the order it came with. The order's total never includes it.
    """

    basket = models.OneToOneField(
        "basket.Basket", null=True, on_delete=models.SET_NULL, related_name="kiosque_gift"
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    order = models.OneToOneField(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kiosque_gift",
    )
    # What the order itself was charged in the same payment: a refund counts against it
    # first (donations.services.refunds), so refunding the order leaves the gift alone.
    order_amount = models.DecimalField(
        _("order's part of the payment"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    donation = models.OneToOneField(
        "donations.Donation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_gift",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("gift added to an order")
        verbose_name_plural = _("gifts added to orders")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="an_order_gift_is_more_than_nothing"
            ),
        ]

    def __str__(self):
        return f"{self.amount} € ({self.order_id or self.basket_id})"
