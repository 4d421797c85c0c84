"""SEPA direct-debit mandates: what the donor signed in the page, kept with their gifts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mandate(models.Model):
    """A SEPA mandate the donor accepted online (Stripe keeps the legal record; its reference
    is what the donor's bank statement shows). A new bank account is a new mandate: the gifts
    debited under the old one keep naming it."""

    donor = models.ForeignKey("donations.Donor", on_delete=models.PROTECT, related_name="mandates")
    reference = models.CharField(_("mandate reference"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    account_label = models.CharField(
        _("account"), max_length=64, help_text=_("The IBAN, masked: FR•• •••• •••• 1234.")
    )
    stripe_payment_method_id = models.CharField(_("Stripe payment method"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SEPA mandate")
        verbose_name_plural = _("SEPA mandates")
        ordering = ["-signed_at"]

    def __str__(self):
        return f"{self.reference} ({self.account_label})"
