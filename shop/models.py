from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """An email waiting to be delivered, or delivered, by a Celery worker.

    It is written in the same transaction as what it tells about, so a confirmed payment
    always has its email stored, even when the broker or the mail server is down.
    """

    subject = models.CharField(_("subject"), max_length=998)
    from_email = models.CharField(_("from"), max_length=254)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.TextField(_("text body"), blank=True)
    html_body = models.TextField(_("HTML body"), blank=True)
    # [{"filename": ..., "mimetype": ..., "content_b64": ...}]
    attachments = models.JSONField(default=list, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    failed_at = models.DateTimeField(
        _("given up at"),
        null=True,
        blank=True,
        help_text=_("Set when every retry failed; staff must look into it."),
    )

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


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
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


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
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
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


class CardAttempt(models.Model):
    """One card form's SetupIntent and who asked for it (client address, email).

    Its client secret lets the page, or a card tester's script, confirm it at Stripe as often
    as they like without the site: Stripe's refusals (``setup_intent.setup_failed``, and
    ``payment_intent.payment_failed`` for the payments charged to its customer) are counted
    here, against the address and the email (shop.card_attempts), and it is cancelled after
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
        verbose_name = _("card attempt")
        verbose_name_plural = _("card attempts")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.setup_intent_id} ({self.failures})"
