"""A payment the payer's bank took back (a SEPA debit reversed, a card payment disputed)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Stripe's dispute reasons (the Dispute object's ``reason``), as the treasurer reads them.
REASONS = {
    "bank_cannot_process": _("the bank cannot process the payment"),
    "check_returned": _("cheque returned"),
    "credit_not_processed": _("promised refund not received"),
    "customer_initiated": _("asked by the payer"),
    "debit_not_authorized": _("debit not authorised"),
    "duplicate": _("duplicate payment"),
    "fraudulent": _("fraudulent payment"),
    "general": _("no particular reason"),
    "incorrect_account_details": _("wrong account details"),
    "insufficient_funds": _("insufficient funds"),
    "noncompliant": _("against the network's rules"),
    "product_not_received": _("product not received"),
    "product_unacceptable": _("product unacceptable"),
    "subscription_canceled": _("subscription cancelled"),
    "unrecognized": _("payment not recognised"),
}


class Dispute(models.Model):
    """One of Stripe's disputes, as the site learnt it: kept so that its events, in whatever
    order and number they come, end in one state (a closed dispute is not opened again; a
    gift paid after its dispute was told gets no receipt).

    ``donation`` is None for a dispute on what is not a gift (an order's payment, or only
    the order's part of a payment that also paid a gift).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        WON = "won", _("won: the money came back")
        LOST = "lost", _("lost: the bank kept the money")

    stripe_dispute_id = models.CharField(_("Stripe dispute"), max_length=255, unique=True)
    charge_id = models.CharField(_("Stripe charge"), max_length=255, blank=True)
    payment_intent_id = models.CharField(
        _("Stripe PaymentIntent"), max_length=255, blank=True, db_index=True
    )
    invoice_id = models.CharField(_("Stripe invoice"), max_length=255, blank=True, db_index=True)
    donation = models.ForeignKey(
        "donations.Donation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    amount = models.DecimalField(_("amount taken back"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    # What the gift was before (a debit in progress may be disputed before it is told paid).
    status_before = models.CharField(_("gift's status before"), max_length=16, blank=True)
    cancelled_receipt = models.ForeignKey(
        "donations.Receipt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The receipt in force when the payment was taken back, cancelled since."),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.stripe_dispute_id} ({self.status})"

    @property
    def reason_label(self) -> str:
        """Stripe's reason in the reader's words (its code when it is a new one)."""
        return str(REASONS.get(self.reason, self.reason))
