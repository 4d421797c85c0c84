from oscar.apps.checkout import forms as oscar_forms

from shop.validators import guard_free_text


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    """Oscar's checkout address, with the site's check of free text (shop.validators)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_free_text(self)
