"""The forms of a monthly gift's page: its new amount, a pause."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from donations.amounts import euros
from donations.forms import parse_euros


class MonthlyAmountForm(forms.Form):
    """The donation page's rules: French amounts (parse_euros), the same bounds, the same
    messages."""

    amount = forms.CharField(
        label=_("New monthly amount, in euros"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_amount(self):
        amount = parse_euros(self.cleaned_data["amount"].strip())
        if amount is None:
            raise forms.ValidationError(_("Enter an amount in euros, for example 35 or 35,50."))
        low, high = settings.KIOSQUE_DONATION_MIN, settings.KIOSQUE_DONATION_MAX
        if amount < low:
            raise forms.ValidationError(
                _("The smallest gift online is %(low)s €.") % {"low": euros(low)}
            )
        if amount > high:
            raise forms.ValidationError(
                _(
                    "Online gifts are limited to %(high)s €. For a larger gift, please "
                    "contact us: we will gladly arrange a bank transfer."
                )
                % {"high": euros(high)}
            )
        return amount


class PauseForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Pause for"),
        choices=[
            (1, _("one month")),
            (2, _("two months")),
            (3, _("three months")),
        ],
        coerce=int,
        initial=1,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
