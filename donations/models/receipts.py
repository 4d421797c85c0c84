"""Tax receipts: their numbering, the receipts themselves, their yearly ZIP archives."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from donations.models.gifts import Donor
from magazine.models import private_storage


class ReceiptSequence(models.Model):
    """The last receipt number used in a civil year; its row lock serialises the numbering."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("receipt numbering")
        verbose_name_plural = _("receipt numbering")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Receipt(models.Model):
    """A tax receipt (Cerfa n°11580), frozen: everything it says is stored with it.

    Never deleted: a refund or a correction cancels it (reason, who, when) and a corrected
    receipt, with a new number, refers to it.
    """

    class Kind(models.TextChoices):
        ONE_OFF = "one_off", _("one-off gift")
        MONTHLY = "monthly", _("monthly payment")
        ANNUAL = "annual", _("annual summary receipt")

    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveIntegerField(_("year of issue"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="receipts")
    issued_at = models.DateTimeField(_("issued at"))

    # What the receipt says, as it was when issued.
    donor_last_name = models.CharField(_("donor's last name"), max_length=150)
    donor_first_names = models.CharField(_("donor's first names"), max_length=150)
    donor_address = models.JSONField(_("donor's address"), default=list)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # [{"date": "2026-03-05", "amount": "10.00", "method": "card"}]
    payments = models.JSONField(_("payments"), default=list)
    period_year = models.PositiveIntegerField(_("year of the gifts"), null=True, blank=True)
    issuer = models.JSONField(_("association's details"), default=dict)
    pdf = models.BinaryField(_("PDF"), blank=True, default=b"", editable=False)

    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces the cancelled receipt"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    gifts_eligible = models.BooleanField(
        _("gifts still eligible"),
        null=True,
        blank=True,
        help_text=_("Said when cancelled: eligible, a corrected receipt replaces it; not, never."),
    )

    class Meta:
        verbose_name = _("tax receipt")
        verbose_name_plural = _("tax receipts")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="receipt_number_in_year"),
        ]

    def __str__(self):
        return self.number

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A tax receipt is never deleted; cancel it instead."))

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class ReceiptArchive(models.Model):
    """A ZIP of every receipt PDF of a civil year, built by a Celery job, kept a while."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    year = models.PositiveIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("receipts"), default=0)
    done = models.PositiveIntegerField(_("receipts done"), default=0)
    file = models.FileField(
        _("file"), upload_to="exports/", storage=private_storage, blank=True, max_length=255
    )
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipts archive")
        verbose_name_plural = _("receipts archives")
        ordering = ["-created_at"]
        constraints = [
            # Two clicks never start two jobs for a year.
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(status__in=["pending", "running"]),
                name="one_running_archive_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.year} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / (self.total or 1))
