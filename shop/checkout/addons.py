"""Add-ons to a checkout: amounts paid with the order in the same card payment but that are
not the shop's to sell (donations' "add a gift to my order").

The shop never imports the apps above it: they register an ``AddOn`` from their ``ready()``
(as magazine.reader_space's sections, payments.webhooks' handlers). The shop then

- shows each add-on's sections in the basket, on the payment page, on the confirmation page
  and in the order email (``{% checkout_addons "basket" %}``, shop.templatetags);
- adds each add-on's amount for the basket to the PaymentIntent, frozen on the CardPayment
  (``CardPayment.extras``) when the card is charged; the order's total stays the goods' and
  postage only, so VAT, shipping, the order's accounts and its refunds never see them;
- tells each add-on, in the transaction that places the paid order, what was paid for it
  (``placed``), once: the CardPayment's row lock makes the browser and the webhook place
  the order once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

PLACES = ("basket", "payment", "confirmation", "email_html", "email_txt")


@dataclass(frozen=True)
class AddOn:
    key: str  # its name in CardPayment.extras, e.g. "donation"
    amount: Callable  # (basket) -> Decimal: what it adds to the payment now (0: nothing)
    placed: Callable  # (*, order, payment, amount, paid) -> None: the order is paid
    templates: dict = field(default_factory=dict)  # place (PLACES) -> template name
    context: Callable | None = None  # (*, place, request, basket, order) -> dict


_addons: dict[str, AddOn] = {}


def register(addon: AddOn) -> None:
    """Called from an app's ``ready()`` (which may run twice: the last one wins)."""
    _addons[addon.key] = addon


def registered() -> list[AddOn]:
    return list(_addons.values())


def amounts_for(basket) -> dict[str, str]:
    """What each add-on adds to the payment of ``basket``, as CardPayment.extras keeps it."""
    extras = {}
    for addon in _addons.values():
        amount = addon.amount(basket)
        if amount is None or amount <= 0:
            continue
        extras[addon.key] = str(Decimal(amount).quantize(Decimal("0.01")))
    return extras


def total(extras: dict[str, str]) -> Decimal:
    return sum((Decimal(amount) for amount in extras.values()), Decimal("0.00"))


def total_for(basket) -> Decimal:
    """What the add-ons add to the payment of ``basket`` now (the payment page's total)."""
    return total(amounts_for(basket))


def order_placed(*, order, payment, paid) -> None:
    """The order a CardPayment paid is placed: each add-on records what was paid for it."""
    for key, amount in payment.extras.items():
        addon = _addons.get(key)
        if addon is None:
            raise LookupError(f"Order {order.number}: no add-on {key!r} for {amount} paid")
        addon.placed(order=order, payment=payment, amount=Decimal(amount), paid=paid)


def render(place: str, *, request=None, basket=None, order=None) -> SafeString:
    """The add-ons' sections for one place of a page or email, in registration order."""
    parts = []
    for addon in _addons.values():
        template = addon.templates.get(place)
        if not template:
            continue
        context = {}
        if addon.context is not None:
            context = addon.context(place=place, request=request, basket=basket, order=order)
            if context is None:
                continue  # nothing to show here
        parts.append(render_to_string(template, context, request=request))
    return mark_safe("".join(parts))  # noqa: S308 (rendered templates, escaped there)
