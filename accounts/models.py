from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VerifiedEmail(models.Model):
    """The email an account proved it receives, by following the link sent to it.

    An account owns what was bought, given or received under an email (as a guest, or by
    others) only while its email is the one verified here: ``accounts.selectors``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="verified_email",
    )
    email = models.EmailField(_("email"))
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        verbose_name = _("verified email")
        verbose_name_plural = _("verified emails")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
