"""Helpers for the magazine's tests: orders placed as Oscar places them, subscriptions."""

from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from magazine.models import Subscription

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")

PRINT_AND_DIGITAL = "ABO-1AN-PAPIER-NUMERIQUE"
PRINT_ONLY = "ABO-1AN-PAPIER"
DIGITAL_ONLY = "ABO-1AN-NUMERIQUE"


def address(**changes) -> ShippingAddress:
    fields = {
        "first_name": "Louise",
        "last_name": "Lectrice",
        "line1": "3 rue de la Paix",
        "line4": "Lyon",
        "postcode": "69001",
        "country": Country.objects.get(iso_3166_1_a2="FR"),
    }
    fields.update(changes)
    return ShippingAddress(**fields)


def place_order(*upcs, user=None, email="louise@example.org", quantity=1, basket=None, **kw):
    """A placed order (Oscar's OrderCreator, so the order_placed signal fires)."""
    if basket is None:
        basket = Basket.objects.create()
        basket.strategy = Selector().strategy()
        for upc in upcs:
            basket.add_product(Product.objects.get(upc=upc), quantity=quantity)
    shipping = kw.pop("shipping_address", None) or address()
    shipping.save()
    return create_order(
        basket=basket,
        user=user,
        shipping_address=shipping,
        guest_email="" if user else email,
        **kw,
    )


def subscription_of(order) -> Subscription:
    return Subscription.objects.get(order_line__order=order)


def basket_of(client) -> Basket:
    """The anonymous reader's basket (Oscar keeps its id in a signed cookie), ready to order."""
    basket_id = client.cookies["oscar_open_basket"].value.split(":")[0]
    basket = Basket.objects.get(pk=int(basket_id))
    basket.strategy = Selector().strategy()
    return basket
