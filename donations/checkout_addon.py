"""Donations offer "Add a gift to my order" to the shop's checkout (shop.checkout.addons):
the form in the basket and on the payment page, the gift's amount added to the card payment,
the donation recorded when the order is placed, and the gift on the confirmation page and in
the order email. Registered from ``DonationsConfig.ready()``."""

from decimal import Decimal

from django.urls import reverse
from oscar.core.loading import get_class, get_model

from donations.amounts import cost_after_tax_reduction, euros, tax_reduction_script
from donations.forms import OTHER
from donations.order_gift_forms import ORDER_PRESET_AMOUNTS, OrderGiftForm
from donations.services import order_gifts
from shop.checkout import addons

# A refused form comes back once to the page it was sent from, with its errors.
FORM_KEY = "kiosque_order_gift_form"
# Where the gift's form sends the reader back: names, never a URL from the request.
PAGES = {"basket": "basket:summary", "payment": "checkout:payment-details"}

CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")


def _oscar_address(address) -> dict:
    return {
        "first_name": address.first_name,
        "last_name": address.last_name,
        "line1": address.line1,
        "line2": address.line2,
        "postcode": address.postcode,
        "city": address.line4,
        "country": address.country.printable_name if address.country_id else "France",
    }


def _known_identity(request) -> dict:
    """The receipt's name and address as far as the checkout knows them: the shipping
    address given, else the account's default address, else its names."""
    session = CheckoutSessionData(request)
    fields = session.new_shipping_address_fields()
    user = request.user
    if fields:
        country = Country.objects.filter(pk=fields.get("country_id")).first()
        return {
            "first_name": fields.get("first_name", ""),
            "last_name": fields.get("last_name", ""),
            "line1": fields.get("line1", ""),
            "line2": fields.get("line2", ""),
            "postcode": fields.get("postcode", ""),
            "city": fields.get("line4", ""),
            "country": country.printable_name if country else "France",
        }
    if not user.is_authenticated:
        return {}
    address_id = session.shipping_user_address_id()
    addresses = UserAddress.objects.filter(user=user).select_related("country")
    address = (address_id and addresses.filter(pk=address_id).first()) or addresses.filter(
        is_default_for_shipping=True
    ).first()
    if address is not None:
        return _oscar_address(address)
    return {"first_name": user.first_name, "last_name": user.last_name}


def _form_context(request, basket, place) -> dict | None:
    if request is None or basket is None or basket.pk is None or basket.is_empty:
        return None
    gift = order_gifts.gift_of_basket(basket)
    refused = request.session.pop(FORM_KEY, None)
    if refused and refused.get("place") == place:
        form = OrderGiftForm(data=refused["data"])
        form.is_valid()  # shows its errors
    elif gift is not None:
        form = OrderGiftForm(initial=_gift_initial(gift))
    else:
        form = OrderGiftForm(initial=_known_identity(request))
    amount = gift.amount if gift else Decimal("10")
    return {
        "gift": gift,
        "form": form,
        "place": place,
        "cost": euros(cost_after_tax_reduction(amount)),
        "amount": euros(amount),
        # The cost box of the form: none after a refused amount (it follows a valid one only).
        "tax_cost": None
        if refused
        else {"amount": euros(amount), "cost": euros(cost_after_tax_reduction(amount))},
        "tax_reduction": tax_reduction_script(),
        "add_url": reverse("donations:order-gift"),
        "remove_url": reverse("donations:order-gift-remove"),
        "editable": basket.can_be_edited,
    }


def _gift_initial(gift) -> dict:
    """The form as the gift was given, to change it."""
    amount = gift.amount
    if amount == amount.to_integral_value() and int(amount) in ORDER_PRESET_AMOUNTS:
        chosen = {"amount": str(int(amount))}
    else:
        chosen = {"amount": OTHER, "other_amount": euros(amount)}
    return chosen | gift.identity_fields()


def context(*, place, request, basket, order) -> dict | None:
    """Each place's context, None where there is nothing to show."""
    if place in ("basket", "payment"):
        return _form_context(request, basket, place)
    gift = order_gifts.gift_of_order(order)
    if gift is None or gift.donation is None:
        return None
    return {"gift": gift, "donation": gift.donation, "receipt": gift.donation.receipt}


def record(*, order, payment, amount, paid) -> None:
    order_gifts.record_order_gift(order=order, payment=payment, amount=amount, paid=paid)


addons.register(
    addons.AddOn(
        key="donation",
        amount=order_gifts.amount_for_basket,
        placed=record,
        templates={
            "basket": "donations/order_gift_form.html",
            "payment": "donations/order_gift_form.html",
            "confirmation": "donations/order_gift_confirmation.html",
            "email_html": "donations/emails/order_gift.html",
            "email_txt": "donations/emails/order_gift.txt",
        },
        context=context,
    )
)
