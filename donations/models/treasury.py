"""The treasurer's log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TreasuryLog(models.Model):
    """What the treasurer's desk did: every export and every cancellation, who and when;
    and what Stripe told (``user`` None): a payment reversed by the bank, then decided."""

    class Action(models.TextChoices):
        EXPORT_CSV = "export_csv", _("register exported (CSV)")
        EXPORT_XLSX = "export_xlsx", _("register exported (Excel)")
        EXPORT_DONORS = "export_donors", _("donors list exported")
        EXPORT_ZIP = "export_zip", _("receipts archive (ZIP)")
        CANCEL = "cancel", _("receipt cancelled")
        CORRECT = "correct", _("receipt corrected")
        ANNUAL = "annual", _("annual summary receipts issued")
        DISPUTE = "dispute", _("payment reversed by the bank")
        DISPUTE_CLOSED = "dispute_closed", _("reversal closed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    details = models.TextField(_("details"), blank=True, help_text=_("The filter used, or what."))

    class Meta:
        verbose_name = _("treasury log entry")
        verbose_name_plural = _("treasury log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"
