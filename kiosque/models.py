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
        # Its table from before the move out of shop/ (kiosque_shop), data kept.
        db_table = "kiosque_shop_outboxemail"
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
