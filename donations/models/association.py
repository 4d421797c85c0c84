"""The association: who issues the tax receipts."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from donations import look
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

    # The site's look (dashboard, Association): shown on every page, checked by donations.look.
    site_name = models.CharField(
        _("site's name"),
        max_length=80,
        blank=True,
        help_text=_("Shown in the header and the pages' titles; empty: the association's name."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to="association/logo/",
        blank=True,
        help_text=_("A PNG, JPEG or WebP image of at most 1 MB; shown 48 pixels high."),
    )
    primary_colour = models.CharField(
        _("main colour"),
        max_length=7,
        default=look.DEFAULT_PRIMARY,
        validators=[look.validate_colour],
        help_text=_("The header's and buttons' colour, as #rrggbb."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=look.DEFAULT_ACCENT,
        validators=[look.validate_colour],
        help_text=_("The donation button's colour, as #rrggbb."),
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
    def display_name(self) -> str:
        return self.site_name or self.name

    @property
    def look_version(self) -> str:
        return look.version(self.primary_colour, self.accent_colour)

    @property
    def dark_header(self) -> bool:
        """Whether the header's colour takes light text (Bootstrap's navbar-dark)."""
        band = look.safe_colour(self.primary_colour, look.DEFAULT_PRIMARY)
        return look.text_on(band) == look.LIGHT_TEXT

    @property
    def logo_version(self) -> str:
        return look.version(self.logo.name) if self.logo else ""

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (self.line1, self.line2, f"{self.postcode} {self.city}", self.country)
            if line.strip()
        ]
