"""What people type in free-text fields is accepted, invisible control characters are not.

The class: every form of the site's own, and Oscar's forms where people type their names and
addresses (shop.loading), gives each free-text field ``plain_text`` (one line) or
``plain_text_lines`` (a text area); a new form of ours fails this test until it is listed.
"""

import inspect

import pytest
from django import forms
from django.contrib.auth import get_user_model
from oscar.core.loading import get_class

import donations.forms
import donations.order_gift_forms
import magazine.forms
import shop.views
from kiosque.validators import plain_text, plain_text_lines
from shop.loading import PEOPLES_FORMS

pytestmark = pytest.mark.django_db

# Every form class defined by the site's modules, with how to build one.
FORMS = {
    donations.forms.DonationForm: lambda: donations.forms.DonationForm(),
    donations.forms.AssociationForm: lambda: donations.forms.AssociationForm(),
    donations.forms.ReasonForm: lambda: donations.forms.ReasonForm(),
    donations.forms.CancelReceiptForm: lambda: donations.forms.CancelReceiptForm(),
    donations.forms.CorrectReceiptForm: lambda: donations.forms.CorrectReceiptForm(),
    donations.forms.RegisterFilterForm: lambda: donations.forms.RegisterFilterForm(
        statuses=[], kinds=[]
    ),
    donations.forms.DonationFilterForm: lambda: donations.forms.donation_filter_form(None),
    donations.forms.MonthlyGiftFilterForm: lambda: donations.forms.MonthlyGiftFilterForm(),
    donations.forms.YearForm: lambda: donations.forms.YearForm(),
    donations.order_gift_forms.OrderGiftForm: lambda: donations.order_gift_forms.OrderGiftForm(),
    magazine.forms.GiftSubscriptionForm: lambda: magazine.forms.GiftSubscriptionForm(),
    magazine.forms.NewsletterForm: lambda: magazine.forms.NewsletterForm(),
    magazine.forms.IssueForm: lambda: magazine.forms.IssueForm(),
    shop.views.RefundForm: lambda: shop.views.RefundForm(),
}
MODULES = (donations.forms, donations.order_gift_forms, magazine.forms, shop.views)


def a_reader():
    return get_user_model().objects.create_user("lectrice", "lectrice@example.org", "x-long-pw")


# Oscar's forms where people type their names, addresses and delivery notes.
OSCARS = {
    ("customer.forms", "ProfileForm"): lambda form: form(a_reader()),
    ("customer.forms", "UserForm"): lambda form: form(a_reader()),
    ("address.forms", "UserAddressForm"): lambda form: form(a_reader()),
    ("checkout.forms", "ShippingAddressForm"): lambda form: form(),
}
# Searches: their text is looked up, never stored nor shown to anyone else.
SEARCHES = {
    donations.forms.RegisterFilterForm,
    donations.forms.DonationFilterForm,
    donations.forms.MonthlyGiftFilterForm,
}

ONE_LINE = [
    "Zoë Łukasiewicz-Núñez",
    "Françoise d'Aubigné",
    "محمد الأحمد",  # Arabic, right to left
    "דוד כהן",  # Hebrew
    "\u200fمريم\u200f (RLM)",  # right-to-left marks, as RTL keyboards insert them
    "مهرداد\u200cی",  # Persian: the zero-width non-joiner inside a word
    "Famille 👩\u200d👩\u200d👧\u200d👦",  # emoji joined with U+200D
    "👨🏽\u200d💻 et 🏳️\u200d🌈",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Écosse",  # a tag flag
    "東京都 渋谷区",
    "12 rue de l'Église, bât. B",
]
SEVERAL_LINES = [
    "Joyeux anniversaire !\r\nBises de nous deux 👩\u200d❤\ufe0f\u200d👨",
    "Bonne lecture,\nMarie\n\n\tP.-S. : à bientôt",
]
REFUSED = [
    "admin\u202egnp.exe",  # right-to-left override
    "Marie\u202d",  # left-to-right override
    "\u2066Marie\u2069",  # isolates
    "\u202bMarie\u202c",  # embedding
    "Ma\u200brie",  # zero-width space
    "\ufeffMarie",  # byte order mark
    "Ma\x00rie",
    "Marie\x1b[31m",
    "Ma\x7frie",
    "Marie\u0085",  # next line (C1)
    "secret \U000e0069\U000e0067\U000e006e",  # tag letters outside a flag: hidden text
    "\ue000",  # private use
]


def test_every_form_of_the_site_is_listed():
    defined = {
        cls
        for module in MODULES
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    }
    assert defined == set(FORMS)
    assert set(OSCARS) == PEOPLES_FORMS


def free_text_fields(form):
    return {
        name: field
        for name, field in form.fields.items()
        if type(field) is forms.CharField and not isinstance(field.widget, forms.PasswordInput)
    }


@pytest.mark.parametrize(
    "form_class", [cls for cls in FORMS if cls not in SEARCHES], ids=lambda cls: cls.__name__
)
def test_every_free_text_field_checks_what_is_typed(form_class):
    form = FORMS[form_class]()
    for name, field in free_text_fields(form).items():
        expected = plain_text_lines if isinstance(field.widget, forms.Textarea) else plain_text
        assert expected in field.validators, f"{form_class.__name__}.{name}"


@pytest.mark.parametrize("oscar", list(OSCARS), ids="/".join)
def test_oscars_forms_for_names_and_addresses_check_what_is_typed(oscar):
    form = OSCARS[oscar](get_class(*oscar))
    fields = free_text_fields(form)
    assert {"first_name", "last_name"} <= set(fields) or "line1" in fields
    for name, field in fields.items():
        expected = plain_text_lines if isinstance(field.widget, forms.Textarea) else plain_text
        assert expected in field.validators, f"{oscar}.{name}"


@pytest.mark.parametrize("value", ONE_LINE)
def test_what_people_type_on_one_line_is_accepted(value):
    plain_text(value)
    plain_text_lines(value)


@pytest.mark.parametrize("value", SEVERAL_LINES)
def test_line_breaks_are_accepted_where_a_field_has_several_lines(value):
    plain_text_lines(value)
    with pytest.raises(forms.ValidationError):
        plain_text(value)  # a name or an address line is one line


@pytest.mark.parametrize("value", REFUSED)
def test_control_and_bidi_override_characters_are_refused(value):
    for validator in (plain_text, plain_text_lines):
        with pytest.raises(forms.ValidationError) as refused:
            validator(value)
        assert refused.value.code == "control"


def test_a_gift_message_on_two_lines_with_an_emoji_sequence_is_accepted(association):
    data = {
        "name": "Zoë 👩\u200d👩\u200d👧",
        "email": "zoe@example.org",
        "line1": "3 شارع النيل",
        "postcode": "75011",
        "city": "Paris",
        "country": "FR",
        "message": "Joyeux anniversaire !\r\nBises 👨\u200d👩\u200d👧",
    }
    from shop.services import ensure_countries

    ensure_countries()
    form = magazine.forms.GiftSubscriptionForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["message"] == "Joyeux anniversaire !\r\nBises 👨\u200d👩\u200d👧"

    form = magazine.forms.GiftSubscriptionForm(data | {"message": "Bises\u202e !"})
    assert not form.is_valid()
    assert form.errors["message"][0].endswith("caractères de contrôle invisibles.")
