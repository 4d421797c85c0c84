"""The gift added to an order: the donation page's form, without what the order gives."""

from django.utils.translation import gettext_lazy as _

from donations.forms import OTHER, DonationForm

ORDER_PRESET_AMOUNTS = (5, 10, 20)


class OrderGiftForm(DonationForm):
    """How much (5, 10, 20 € or another amount, within DONATION_MIN and DONATION_MAX, checked
    as on the donation page) and the name and address the receipt prints. The email, the
    frequency (once) and the card are the order's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("frequency", "email", "newsletter"):
            del self.fields[name]
        amount = self.fields["amount"]
        amount.choices = [(str(value), f"{value} €") for value in ORDER_PRESET_AMOUNTS] + [
            (OTHER, _("Other amount"))
        ]
        amount.initial = "10"
        amount.label = _("Amount of your gift")

    def donor_details(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "gift_amount"}
