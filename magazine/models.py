from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_storage():
    """Where issues' PDFs live: not under MEDIA_URL (see the download view)."""
    return storages["private"]


class Issue(models.Model):
    """An issue of the magazine. Its product (its editions: print, PDF) points to it by its
    number (``issue_number`` attribute; see magazine.editions)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        PUBLISHED = "published", _("published")

    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    publication_date = models.DateField(_("publication date"))
    summary = models.TextField(
        _("contents"), blank=True, help_text=_("The issue's articles, one per line.")
    )
    cover = models.ImageField(_("cover"), upload_to="issues/", blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="issues/", storage=private_storage, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["number"]

    def __str__(self):
        return f"n°{self.number} — {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Subscription(models.Model):
    """A fixed-term subscription: issues ``first_issue`` to ``last_issue``, to a recipient.

    Created once per order line (and copy, for a quantity above one) when the order is paid.
    """

    class Format(models.TextChoices):
        PRINT = "print", _("print")
        DIGITAL = "digital", _("digital")
        BOTH = "both", _("print + digital")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CANCELLED = "cancelled", _("cancelled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="magazine_subscriptions",
        verbose_name=_("account"),
        help_text=_("The recipient's account, once they have one with the recipient's email."),
    )
    buyer_email = models.EmailField(_("buyer's email"))
    recipient_name = models.CharField(_("recipient"), max_length=255)
    recipient_email = models.EmailField(_("recipient's email"), db_index=True)
    # Delivery address, for print: line1, line2, postcode, city, country (ISO code).
    address = models.JSONField(_("delivery address"), default=dict, blank=True)
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("plan"),
    )
    format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    first_issue = models.PositiveIntegerField(_("first issue"))
    last_issue = models.PositiveIntegerField(_("last issue"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    order_line = models.ForeignKey(
        "order.Line", on_delete=models.PROTECT, related_name="subscriptions"
    )
    copy = models.PositiveIntegerField(_("copy"), default=1)
    renews = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewed_by",
        verbose_name=_("renews"),
    )
    is_gift = models.BooleanField(_("gift"), default=False)
    gift_message = models.TextField(_("gift message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        constraints = [
            # A paid order line makes its subscriptions once, whatever runs twice.
            models.UniqueConstraint(
                fields=["order_line", "copy"], name="one_subscription_per_copy"
            ),
            models.CheckConstraint(
                condition=models.Q(last_issue__gte=models.F("first_issue")),
                name="subscription_issues_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.recipient_name}: n°{self.first_issue} → n°{self.last_issue}"

    @property
    def includes_print(self) -> bool:
        return self.format in (self.Format.PRINT, self.Format.BOTH)

    @property
    def includes_digital(self) -> bool:
        return self.format in (self.Format.DIGITAL, self.Format.BOTH)

    def covers(self, number: int) -> bool:
        return self.status == self.Status.ACTIVE and self.first_issue <= number <= self.last_issue


class ServedIssue(models.Model):
    """An issue a subscription received: recorded when the issue is published."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="served")
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="+")
    served_at = models.DateTimeField(_("served at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issue served")
        verbose_name_plural = _("issues served")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "issue"], name="served_once"),
        ]

    def __str__(self):
        return f"{self.subscription} ← {self.issue}"


class Entitlement(models.Model):
    """The right to download a digital issue, bought singly or through a subscription."""

    email = models.EmailField(_("email"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entitlements",
    )
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="entitlements")
    order_line = models.ForeignKey(
        "order.Line", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digital issue owned")
        verbose_name_plural = _("digital issues owned")
        constraints = [
            models.UniqueConstraint(fields=["email", "issue"], name="one_entitlement_per_reader"),
        ]

    def __str__(self):
        return f"{self.email}: {self.issue}"


class RenewalReminder(models.Model):
    """A renewal reminder sent: one per subscription and stage, never twice."""

    class Stage(models.TextChoices):
        LAST_ISSUE = "last_issue", _("one issue left")
        ENDED = "ended", _("ended")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="reminders"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "stage"], name="one_reminder_per_stage"
            ),
        ]

    def __str__(self):
        return f"{self.subscription}: {self.stage}"


class NewsletterSubscriber(models.Model):
    """Someone on the newsletter's list: confirmed by a link (double opt-in), consent kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    class Source(models.TextChoices):
        FOOTER = "footer", _("sign-up form")
        DONATION = "donation", _("donation form")

    email = models.EmailField(_("email"), unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    requested_at = models.DateTimeField(_("requested at"))
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.email} ({self.status})"
