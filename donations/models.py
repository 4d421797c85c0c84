from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from donations.identity_models import GiftIdentity, PostalIdentity
from magazine.models import private_storage


class Association(models.Model):
    """The association itself: who issues the tax receipts (Cerfa n°11580).

    There is one row, edited by staff in the dashboard ("Association"). Receipts copy what
    they need from it when they are issued, so a later edit never changes an issued receipt.
    """

    class Qualification(models.TextChoices):
        # The boxes of Cerfa n°11580*05 that a press association may tick.
        GENERAL_INTEREST = "general_interest", _("Charity or organisation of general interest")
        PUBLIC_UTILITY = (
            "public_utility",
            _("Association or foundation recognised as being of public utility"),
        )
        PRESS_PLURALISM = (
            "press_pluralism",
            _("General-interest association taking concrete action for the pluralism of the press"),
        )
        OTHER = "other", _("Other organisation")

    class MonthlyReceipts(models.TextChoices):
        PER_PAYMENT = "per_payment", _("One receipt per payment")
        ANNUAL = "annual", _("One summary receipt per civil year, issued in January")

    name = models.CharField(_("name"), max_length=200)
    line1 = models.CharField(_("address"), max_length=255)
    line2 = models.CharField(_("address (continued)"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=80, default="France")
    siren = models.CharField(
        _("SIREN number"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("A SIREN number has 9 digits."))],
    )
    rna = models.CharField(
        _("RNA number"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^W\d{9}$", _("An RNA number is a W followed by 9 digits."))],
    )
    purpose = models.TextField(
        _("object"), help_text=_("The association's object, stated plainly, as on the receipt.")
    )
    qualification = models.CharField(
        _("qualification"),
        max_length=32,
        choices=Qualification.choices,
        default=Qualification.GENERAL_INTEREST,
    )
    qualification_detail = models.CharField(
        _("qualification details"),
        max_length=255,
        blank=True,
        help_text=_("E.g. the date of the decree of public utility, or the kind of 'other' body."),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=120)
    signatory_role = models.CharField(_("signatory's role"), max_length=120)
    # Private: it signs every tax receipt (read by donations.services.receipts._issuer through the
    # storage; staff preview it through the dashboard's signature view).
    signature = models.ImageField(
        _("signature image"), upload_to="association/", storage=private_storage, blank=True
    )
    email = models.EmailField(_("contact email"), blank=True)
    monthly_receipts = models.CharField(
        _("receipts for monthly gifts"),
        max_length=16,
        choices=MonthlyReceipts.choices,
        default=MonthlyReceipts.ANNUAL,
    )

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("association")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # a single association per site
        super().save(*args, **kwargs)

    def clean(self):
        if not (self.siren or self.rna):
            raise ValidationError(_("Give the SIREN or the RNA number (both if you have them)."))

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (self.line1, self.line2, f"{self.postcode} {self.city}", self.country)
            if line.strip()
        ]


class Donor(PostalIdentity):
    """Someone who gives, known by their email; the name and address of their latest gift
    paid (see ``GiftIdentity``: an unpaid form never changes them).

    Receipts copy the name and address when they are issued: a later gift with another
    address changes this row, never an issued receipt.
    """

    email = models.EmailField(_("email"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donors",
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    newsletter_consent_at = models.DateTimeField(
        _("newsletter consent given at"), null=True, blank=True
    )
    stripe_customer_id = models.CharField(_("Stripe customer"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}>"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class MonthlyGift(models.Model):
    """A monthly donation: a Stripe subscription to a monthly plan of its amount.

    Each paid invoice of the subscription is one ``Donation``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting the card")
        ACTIVE = "active", _("active")
        STOPPED = "stopped", _("stopped")
        FAILED = "failed", _("not started")

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="monthly_gifts")
    amount = models.DecimalField(_("monthly amount"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    identity = models.ForeignKey(
        GiftIdentity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monthly_gifts",
        help_text=_("The name and address given when it was set up: every month's receipt."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("placed by"),
        help_text=_(
            "The account signed in when it was set up: it sees it before verifying its email."
        ),
    )
    stripe_subscription_id = models.CharField(
        _("Stripe subscription"), max_length=255, unique=True, null=True, blank=True
    )
    error_code = models.CharField(_("error code"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly gift")
        verbose_name_plural = _("monthly gifts")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.amount} €/mois, {self.donor} ({self.status})"


class Donation(models.Model):
    """One gift of money, paid once: a one-off gift, or one month of a monthly gift.

    It becomes ``paid`` only on Stripe's word, once per payment: the PaymentIntent (one-off)
    and the invoice (monthly) are unique.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting payment")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        REFUNDED = "refunded", _("refunded")

    class Method(models.TextChoices):
        # Cerfa n°11580 groups these in one box: "virement, prélèvement, carte bancaire".
        CARD = "card", _("Credit card")
        DIRECT_DEBIT = "direct_debit", _("Direct debit")
        TRANSFER = "transfer", _("Bank transfer")

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="donations")
    monthly_gift = models.ForeignKey(
        MonthlyGift,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    amount_refunded = models.DecimalField(
        _("amount refunded"), max_digits=10, decimal_places=2, default=0
    )
    method = models.CharField(
        _("method"), max_length=16, choices=Method.choices, default=Method.CARD
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    identity = models.ForeignKey(
        GiftIdentity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        help_text=_("The name and address given with this gift, as its receipt prints them."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("placed by"),
        help_text=_(
            "The account signed in when it was given: it sees it before verifying its email."
        ),
    )
    payment_intent_id = models.CharField(
        _("Stripe PaymentIntent"), max_length=255, unique=True, null=True, blank=True
    )
    invoice_id = models.CharField(
        _("Stripe invoice"), max_length=255, unique=True, null=True, blank=True
    )
    error_code = models.CharField(_("error code"), max_length=255, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, db_index=True)
    receipt = models.ForeignKey(
        "Receipt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        help_text=_("The receipt in force for this gift (cancelled ones are kept apart)."),
    )
    receipt_eligible = models.BooleanField(
        _("eligible for a tax receipt"),
        default=True,
        help_text=_("Off once a receipt was cancelled because the gift was not eligible."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(receipt_eligible=True) | models.Q(receipt__isnull=True),
                name="no_receipt_for_an_ineligible_gift",
            ),
        ]

    def __str__(self):
        return f"{self.amount} € {self.donor} ({self.status})"

    @property
    def is_monthly(self) -> bool:
        return self.monthly_gift_id is not None

    @property
    def amount_kept(self):
        """What the association keeps, i.e. what a receipt may certify."""
        return self.amount - self.amount_refunded


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


class TreasuryLog(models.Model):
    """What the treasurer's desk did: every export and every cancellation, who and when."""

    class Action(models.TextChoices):
        EXPORT_CSV = "export_csv", _("register exported (CSV)")
        EXPORT_XLSX = "export_xlsx", _("register exported (Excel)")
        EXPORT_DONORS = "export_donors", _("donors list exported")
        EXPORT_ZIP = "export_zip", _("receipts archive (ZIP)")
        CANCEL = "cancel", _("receipt cancelled")
        CORRECT = "correct", _("receipt corrected")
        ANNUAL = "annual", _("annual summary receipts issued")

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
