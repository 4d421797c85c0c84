from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeEvent(models.Model):
    """A Stripe webhook event, stored once by its id: a replayed event has no second effect."""

    event_id = models.CharField(_("Stripe event"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=255, db_index=True)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    handled = models.BooleanField(
        _("handled"), default=False, help_text=_("False for the event types Kiosque ignores.")
    )

    class Meta:
        # Its table from before the move out of shop/ (kiosque_shop), data kept.
        db_table = "kiosque_shop_stripeevent"
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class CardAttempt(models.Model):
    """One card form's SetupIntent and who asked for it (client address, email).

    Its client secret lets the page, or a card tester's script, confirm it at Stripe as often
    as they like without the site: Stripe's refusals (``setup_intent.setup_failed``, and
    ``payment_intent.payment_failed`` for the payments charged to its customer) are counted
    here, against the address and the email (payments.card_attempts), and it is cancelled after
    a few.
    """

    setup_intent_id = models.CharField(_("Stripe SetupIntent"), max_length=255, unique=True)
    customer_id = models.CharField(_("Stripe customer"), max_length=255, blank=True, db_index=True)
    client_ip = models.CharField(_("client address"), max_length=64, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    failures = models.PositiveIntegerField(_("refusals"), default=0)
    canceled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        # Its table from before the move out of shop/ (kiosque_shop), data kept.
        db_table = "kiosque_shop_cardattempt"
        verbose_name = _("card attempt")
        verbose_name_plural = _("card attempts")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.setup_intent_id} ({self.failures})"
