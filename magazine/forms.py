from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from kiosque.validators import guard_free_text
from magazine.models import Issue

Country = get_model("address", "Country")


class GiftSubscriptionForm(forms.Form):
    """Who receives a gift subscription, where, and the buyer's message."""

    name = forms.CharField(label=_("Recipient's name"), max_length=255)
    email = forms.EmailField(
        label=_("Recipient's email"),
        help_text=_("We tell them when it starts; they find it in their account with this email."),
    )
    line1 = forms.CharField(label=_("Address"), max_length=255)
    line2 = forms.CharField(label=_("Address (continued)"), max_length=255, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20)
    city = forms.CharField(label=_("City"), max_length=120)
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.filter(is_shipping_country=True).order_by(
            "-display_order", "printable_name"
        ),
        to_field_name="iso_3166_1_a2",
        empty_label=None,
    )
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, needs_address: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        guard_free_text(self)
        if not needs_address:
            for name in ("line1", "line2", "postcode", "city", "country"):
                del self.fields[name]


class NewsletterForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class IssueForm(forms.ModelForm):
    """The issue, and its editions on sale: with both prices given, saving puts the issue in
    the catalogue (one product, its print and PDF editions; see magazine.editions)."""

    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the issue's page, under its contents."),
    )
    print_price = forms.DecimalField(
        label=_("Price of the print edition (€)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
    )
    print_stock = forms.IntegerField(
        label=_("Print copies on hand"),
        required=False,
        min_value=0,
        help_text=_("Left empty: the number recorded does not change."),
    )
    pdf_price = forms.DecimalField(
        label=_("Price of the PDF edition (€)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
    )

    class Meta:
        model = Issue
        fields = ["number", "title", "publication_date", "summary", "cover", "pdf"]
        widgets = {
            "publication_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # The PDF has no URL to link to (private storage).
            "pdf": forms.FileInput(attrs={"accept": "application/pdf"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_free_text(self)

    def clean(self):
        data = super().clean()
        if (data.get("print_price") is None) != (data.get("pdf_price") is None):
            raise forms.ValidationError(
                _("Give both prices, print and PDF, to put the issue on sale (or neither).")
            )
        return data

    @property
    def on_sale(self) -> bool:
        return self.cleaned_data.get("print_price") is not None
