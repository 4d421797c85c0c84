"""Gift subscriptions and renewals read in words on every basket and order line (magazine's
describers through shop.line_words), never as the option's raw JSON; a malformed or forged
value neither breaks the page nor brings HTML into it."""

import json

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from magazine import services
from shop.line_words import words_for
from tests.support.magazine import (
    DIGITAL_ONLY,
    PRINT_AND_DIGITAL,
    PRINT_ONLY,
    Product,
    basket_of,
    place_order,
    subscription_of,
)

Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.usefixtures("demo")

GIFT = {
    "name": "Jean Ami",
    "email": "jean@example.org",
    "line1": "2 quai de la Fosse",
    "line2": "",
    "postcode": "44000",
    "city": "Nantes",
    "country": "FR",
    "message": "Bonne lecture !",
}
GIFT_WORDS = "Abonnement offert à Jean Ami — Nantes"


def basket_with(upc=PRINT_ONLY, *, gift=None, renews=None):
    basket = Basket.objects.create()
    basket.strategy = get_class_strategy()
    services.add_to_basket(basket, Product.objects.get(upc=upc), gift=gift, renews=renews)
    return basket


def get_class_strategy():
    from oscar.core.loading import get_class

    return get_class("partner.strategy", "Selector")().strategy()


def only_line(basket):
    (line,) = basket.all_lines()
    return line


def set_option(line, code, value):
    """The line, read again, with option ``code`` set to ``value`` (as a forged one would be)."""
    assert line.attributes.filter(option__code=code).update(value=value) == 1
    return type(line).objects.get(pk=line.pk)


def test_a_gift_reads_as_its_recipient_and_city():
    line = only_line(basket_with(gift=services.gift_option_value(**GIFT)))

    words = words_for(line)

    assert words.title == line.product.get_title()
    assert words.details == (GIFT_WORDS,)
    assert words.more == (
        "Destinataire : Jean Ami, jean@example.org",
        "Adresse : 2 quai de la Fosse, 44000 Nantes, FR",
        "Message : « Bonne lecture ! »",
    )
    assert "{" not in str(words) and "Abonnement offert =" not in str(words)


def test_a_digital_gift_has_no_city():
    gift = services.gift_option_value(**(GIFT | {"city": "", "line1": "", "postcode": ""}))
    line = only_line(basket_with(DIGITAL_ONLY, gift=gift))
    assert words_for(line).details == ("Abonnement offert à Jean Ami",)


def test_a_renewal_reads_as_the_subscription_and_the_issues_it_brings():
    running = subscription_of(place_order(PRINT_ONLY))  # n°4 to n°7
    line = only_line(basket_with(renews=running.pk))

    assert words_for(line).details == (
        "Renouvellement de votre abonnement n°4–n°7 : numéros n°8 à n°11",  # noqa: RUF001 (an en dash between issue numbers)
    )
    # Once ordered, the words are those of the subscription the order made.
    order = place_order(basket=line.basket, email="louise@example.org")
    (ordered,) = order.lines.all()
    assert words_for(ordered).details == (
        "Renouvellement de votre abonnement n°4–n°7 : numéros n°8 à n°11",  # noqa: RUF001 (an en dash between issue numbers)
    )
    assert words_for(ordered, next_step=True).next_step.text == (
        "Votre abonnement commence au n°8."
    )


def test_a_gift_that_renews_reads_both_without_your():
    running = subscription_of(place_order(PRINT_ONLY, email="jean@example.org"))
    line = only_line(basket_with(gift=services.gift_option_value(**GIFT), renews=running.pk))

    details = words_for(line).details
    assert GIFT_WORDS in details
    assert "Renouvellement de l'abonnement n°4–n°7 : numéros n°8 à n°11" in details  # noqa: RUF001 (an en dash between issue numbers)


def test_an_ordered_gift_says_whose_subscription_starts_when():
    basket = basket_with(PRINT_AND_DIGITAL, gift=services.gift_option_value(**GIFT))
    order = place_order(basket=basket, email="louise@example.org")
    (line,) = order.lines.all()

    words = words_for(line, next_step=True)

    assert words.title == line.title
    assert words.details == (GIFT_WORDS,)
    assert words.next_step.text == "L'abonnement de Jean Ami commence au n°4."


def test_issues_say_where_to_find_them(django_user_model):
    reader = django_user_model.objects.create_user("l", "louise@example.org", "x-long-pass")
    order = place_order("ECHO-001-P", "ECHO-002-N", user=reader)
    steps = {
        line.partner_sku: words_for(line, next_step=True, absolute=True).next_step
        for line in order.lines.all()
    }
    assert steps["ECHO-001-P"].text == "Envoyé par la poste dans les prochains jours."
    assert steps["ECHO-002-N"].text == "Votre PDF vous attend dans votre espace lecteur."
    assert steps["ECHO-002-N"].url == "http://127.0.0.1:8000" + reverse("magazine:reader-space")
    guest = place_order("ECHO-002-N", email="guest@example.org")
    (line,) = guest.lines.all()
    assert words_for(line, next_step=True).next_step.text == (
        "Le lien de téléchargement du PDF vous a été envoyé par email."
    )


FORGED_GIFTS = [
    "pas du JSON",
    "",
    "[1, 2]",
    '"Jean"',
    json.dumps({"name": 5}),
    json.dumps({"name": ""}),
    json.dumps({"name": {"first": "Jean"}}),
    "[" * 50_000,
    json.dumps({"name": "x" * 50_000}),
]


@pytest.mark.parametrize("value", FORGED_GIFTS)
def test_a_malformed_gift_reads_as_the_option_s_name(value):
    line = only_line(basket_with(gift=services.gift_option_value(**GIFT)))
    line = set_option(line, "gift", value)

    assert words_for(line).details == ("Abonnement offert",)


@pytest.mark.parametrize(
    "value",
    [
        json.dumps({"name": "Jean", "address": "Nantes", "email": 3}),
        json.dumps({"name": "Jean", "address": {"city": ["Nantes"]}, "message": {}}),
    ],
)
def test_a_gift_with_odd_fields_reads_with_what_is_text(value):
    line = only_line(basket_with(gift=services.gift_option_value(**GIFT)))
    words = words_for(set_option(line, "gift", value))
    assert words.details == ("Abonnement offert à Jean",)
    assert words.more == ("Destinataire : Jean, —",)


@pytest.mark.parametrize(
    "value", ["abc", "", "-1", "0", "99999999999999999999", "1e3", "999999", ["1"], {"pk": 1}]
)
def test_a_forged_renewal_reads_without_numbers(value):
    running = subscription_of(place_order(PRINT_ONLY))
    line = only_line(basket_with(renews=running.pk))
    line = set_option(line, "renews", value)

    assert words_for(line).details == ("Renouvellement de votre abonnement",)


def test_an_option_no_app_describes_reads_as_name_and_short_value():
    from oscar.core.loading import get_model as model

    Option = model("catalogue", "Option")
    colour = Option.objects.create(name="Couleur", code="colour")
    line = only_line(basket_with())
    line.attributes.create(option=colour, value="bleu")
    assert words_for(type(line).objects.get(pk=line.pk)).details == ("Couleur : bleu",)
    assert words_for(set_option(line, "colour", {"very": "long"})).details == ("Couleur",)


HOSTILE = {
    **GIFT,
    "name": '<script>alert("nom")</script>',
    "city": "<img src=x onerror=alert(1)>",
}


def test_the_basket_page_shows_words_and_escapes_a_hostile_gift(client):
    product = Product.objects.get(upc=PRINT_ONLY)
    form = dict(GIFT)
    assert client.post(reverse("magazine:gift", args=[product.pk]), form).status_code == 302
    page = client.get(reverse("basket:summary")).content.decode()
    assert GIFT_WORDS in page
    assert "&quot;name&quot;" not in page and '{"name"' not in page
    assert "Abonnement offert =" not in page

    set_option(only_line(basket_of(client)), "gift", json.dumps(HOSTILE))
    page = client.get(reverse("basket:summary"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;nom&quot;)&lt;/script&gt;" in html
