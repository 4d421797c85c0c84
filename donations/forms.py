import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from donations import identity as identities
from donations import look
from donations.amounts import euros
from donations.models import Association, Donation, Donor, Receipt
from kiosque.validators import guard_free_text

PRESET_AMOUNTS = (20, 50, 100, 200)
OTHER = "other"


class _PrivatePreview:
    """What ClearableFileInput shows of the current file: the staff preview view, not a URL."""

    def __init__(self, file, url):
        self.name, self.url = file.name, url

    def __str__(self):
        return self.name.rsplit("/", 1)[-1]


class SignatureInput(forms.ClearableFileInput):
    """The signature lives in private storage (no URL): link to its staff-only preview."""

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))  # Django's asks for its .url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            preview = reverse("donations-dashboard:signature")
            context["widget"]["value"] = _PrivatePreview(value, preview)
        return context


class AssociationForm(forms.ModelForm):
    class Meta:
        model = Association
        widgets = {
            "signature": SignatureInput,
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
        }
        fields = [
            "name",
            "line1",
            "line2",
            "postcode",
            "city",
            "country",
            "siren",
            "rna",
            "purpose",
            "qualification",
            "qualification_detail",
            "signatory_name",
            "signatory_role",
            "signature",
            "email",
            "monthly_receipts",
            "site_name",
            "logo",
            "primary_colour",
            "accent_colour",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_free_text(self)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return look.clean_logo(logo)  # checked, then drawn again as a plain PNG
        return logo


def parse_euros(text: str) -> Decimal | None:
    """An amount typed by a person ("35", "35,50", "1 000 €"), or None if it is not one: digits
    and at most two decimals only, as the page's script reads them ("1e3", "1e400", "NaN" and
    "0x10" are not amounts; Decimal would take the first three, and 1e400 cannot be rounded)."""
    cleaned = text.replace("€", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.replace(",", ".")
    if not AMOUNT.fullmatch(cleaned):
        return None
    return Decimal(cleaned).quantize(Decimal("0.01"))


AMOUNT = re.compile(r"-?[0-9]{1,9}(\.[0-9]{1,2})?")


class DonationForm(forms.Form):
    """The donation page: how much, how often, and who gives (the receipt needs it all)."""

    frequency = forms.ChoiceField(
        label=_("I give"),
        choices=[("once", _("once")), ("monthly", _("every month"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial="once",
    )
    amount = forms.ChoiceField(
        label=_("Amount"),
        choices=[(str(value), f"{value} €") for value in PRESET_AMOUNTS]
        + [(OTHER, _("Other amount"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial="50",
    )
    other_amount = forms.CharField(
        label=_("Other amount, in euros"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First names"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    line1 = forms.CharField(label=_("Address"), max_length=255)
    line2 = forms.CharField(label=_("Address (continued)"), max_length=255, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20)
    city = forms.CharField(label=_("City"), max_length=120)
    country = forms.CharField(label=_("Country"), max_length=120, initial="France")
    newsletter = forms.BooleanField(
        label=_("I would like to receive the association's newsletter"),
        required=False,
        initial=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    field_autocomplete = {
        "first_name": "given-name",
        "last_name": "family-name",
        "email": "email",
        "line1": "address-line1",
        "line2": "address-line2",
        "postcode": "postal-code",
        "city": "address-level2",
        "country": "country-name",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, token in self.field_autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        guard_free_text(self)

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("amount")
        if choice is None:
            return cleaned
        if choice == OTHER:
            text = cleaned.get("other_amount", "").strip()
            if not text:
                self.add_error("other_amount", _("Enter the amount of your gift."))
                return cleaned
            amount = parse_euros(text)
            if amount is None:
                self.add_error(
                    "other_amount",
                    _("Enter an amount in euros, for example 35 or 35,50."),
                )
                return cleaned
        else:
            amount = Decimal(choice)
        low, high = settings.KIOSQUE_DONATION_MIN, settings.KIOSQUE_DONATION_MAX
        field = "other_amount" if choice == OTHER else "amount"
        if amount < low:
            self.add_error(
                field,
                _("The smallest gift online is %(low)s €.") % {"low": euros(low)},
            )
        elif amount > high:
            self.add_error(
                field,
                _(
                    "Online gifts are limited to %(high)s €. For a larger gift, please "
                    "contact us: we will gladly arrange a bank transfer."
                )
                % {"high": euros(high)},
            )
        else:
            cleaned["gift_amount"] = amount
        return cleaned

    def donor_details(self) -> dict:
        fields = [field.name for field in Donor._meta.fields]
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in fields or name == "newsletter"
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the register and printed on the cancelled receipt."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_free_text(self)


class CancelReceiptForm(ReasonForm):
    """Cancelling says whether the gifts stay eligible: no default, the treasurer chooses."""

    eligible = forms.TypedChoiceField(
        label=_("Do the gifts stay eligible for a tax receipt?"),
        choices=[
            ("yes", _("Yes: a new receipt, with a new number, replaces this one (correction)")),
            ("no", _("No: the gift was not eligible, no receipt will ever be issued for it")),
        ],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
    )


class CorrectReceiptForm(ReasonForm):
    """Cancel a receipt and issue it again with the donor's name or address corrected."""

    first_name = forms.CharField(label=_("First names"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    line1 = forms.CharField(label=_("Address"), max_length=255)
    line2 = forms.CharField(label=_("Address (continued)"), max_length=255, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20)
    city = forms.CharField(label=_("City"), max_length=120)
    country = forms.CharField(label=_("Country"), max_length=120)

    @classmethod
    def for_receipt(cls, receipt):
        """Filled in with the identity the receipt printed (that of the gifts it covers)."""
        donations = list(receipt.donations.select_related("identity", "donor"))
        named = identities.receipt_identity(donations) if donations else receipt.donor
        return cls(prefix="correct", initial=named.identity_fields())

    def donor_details(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "reason"}


FIRST_YEAR = 2000  # the desk knows no gift before


def next_year() -> int:
    return timezone.localdate().year + 1


def civil_year_field() -> forms.IntegerField:
    """A civil year the desk can show: from ``FIRST_YEAR`` to next year (a date can hold
    it, the year before too)."""
    return forms.IntegerField(
        label=_("Civil year"),
        required=False,
        min_value=FIRST_YEAR,
        validators=[MaxValueValidator(next_year)],
    )


class YearForm(forms.Form):
    year = civil_year_field()


def civil_year(value: str | None) -> int:
    """The civil year typed in a query string or a form (this year if none), or a
    ValidationError saying, in the reader's language, why it is not one."""
    form = YearForm({"year": value})
    if not form.is_valid():
        raise ValidationError(
            _("The year “%(value)s” is not valid: %(error)s")
            % {"value": Truncator(value).chars(12), "error": " ".join(form.errors["year"])}
        )
    return form.cleaned_data["year"] or timezone.localdate().year


class RegisterFilterForm(forms.Form):
    """The treasurer's filters, for the lists and for the exports (same query string)."""

    year = civil_year_field()
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    donor = forms.CharField(label=_("Donor (name or email)"), required=False, max_length=100)
    # As many digits as a receipt's amount holds: more cannot be compared with one.
    amount_min = forms.DecimalField(
        label=_("Amount from"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    amount_max = forms.DecimalField(
        label=_("Amount up to"), required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args, statuses, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all statuses")), *statuses]
        self.fields["kind"].choices = [("", _("all kinds")), *kinds]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date comes before the start date."))
        low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The upper amount is below the lower one."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters (an invalid form filters nothing, and says why)."""
        return self.cleaned_data if self.is_valid() else {}

    def description(self) -> str:
        """The filters as the log keeps them."""
        return " ".join(
            f"{name}={value}" for name, value in self.filters().items() if value not in ("", None)
        )


def receipt_filter_form(data) -> RegisterFilterForm:
    return RegisterFilterForm(data, statuses=Receipt.Status.choices, kinds=Receipt.Kind.choices)


METHODS = [
    (Donation.Method.CARD, Donation.Method.CARD.label),
    (Donation.Method.DIRECT_DEBIT, _("SEPA direct debit")),
]


class DonationFilterForm(RegisterFilterForm):
    """The gifts' filters: paid ones by default; the debits in progress, the payments
    refused and those reversed by the bank by their status; the payment method."""

    method = forms.ChoiceField(
        label=_("Payment method"), required=False, choices=[("", _("all methods")), *METHODS]
    )


def donation_filter_form(data) -> DonationFilterForm:
    return DonationFilterForm(
        data,
        statuses=[
            (Donation.Status.PAID, Donation.Status.PAID.label),
            (Donation.Status.REFUNDED, Donation.Status.REFUNDED.label),
            (Donation.Status.PROCESSING, _("debits in progress")),
            (Donation.Status.FAILED, _("payments refused")),
            (Donation.Status.DISPUTED, _("reversed by the bank")),
        ],
        kinds=[("one_off", _("one-off gift")), ("monthly", _("monthly payment"))],
    )


class MonthlyGiftFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("all monthly gifts")),
            ("active", _("active")),
            ("lapsed", _("lapsed (latest payment refused)")),
            ("recovered", _("recovered after a refusal")),
            ("paused", _("paused")),
            ("stopped", _("stopped")),
        ],
    )
    method = DonationFilterForm.base_fields["method"]
    donor = forms.CharField(label=_("Donor (name or email)"), required=False, max_length=100)

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
