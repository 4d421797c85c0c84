"""``{% checkout_addons "basket" %}``: the sections other apps add to the basket, the payment
page, the confirmation page and the order email (shop.checkout.addons)."""

from django import template

from shop.checkout import addons

register = template.Library()


@register.simple_tag(takes_context=True)
def checkout_addons(context, place):
    request = context.get("request")
    basket = context.get("basket") or getattr(request, "basket", None)
    return addons.render(place, request=request, basket=basket, order=context.get("order"))
