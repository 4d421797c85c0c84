"""The gift added to an order: its form in the basket and on the payment page posts here.

It only ever acts on the basket of the request (Oscar's, from the reader's session or
account): no basket is named in the form, so nobody can attach a gift to another's basket.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from donations.amounts import euros
from donations.checkout_addon import FORM_KEY, PAGES
from donations.order_gift_forms import OrderGiftForm
from donations.services import order_gifts

# Only the fields of the form travel back to the page (never the CSRF token).
KEPT_FIELDS = ("amount", "other_amount", "first_name", "last_name", "line1", "line2",
               "postcode", "city", "country")  # fmt: skip


def _back(request):
    return redirect(PAGES.get(request.POST.get("place"), PAGES["basket"]))


class AddOrderGiftView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        basket = request.basket
        form = OrderGiftForm(data=request.POST)
        if not form.is_valid():
            request.session[FORM_KEY] = {
                "place": request.POST.get("place"),
                "data": {name: request.POST.get(name, "")[:300] for name in KEPT_FIELDS},
            }
            messages.error(request, _("Your gift was not added: please check the form below."))
            return _back(request)
        try:
            gift = order_gifts.add_gift_to_basket(
                basket=basket,
                amount=form.cleaned_data["gift_amount"],
                details=form.donor_details(),
                language=translation.get_language() or "fr",
            )
        except order_gifts.BasketClosed:
            messages.error(
                request, _("Your basket is being paid or is empty: add your gift to a new order.")
            )
            return redirect(PAGES["basket"])
        messages.success(
            request,
            _("Thank you! Your gift of %(amount)s € is added to your order.")
            % {"amount": euros(gift.amount)},
        )
        return _back(request)


class RemoveOrderGiftView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            removed = order_gifts.remove_gift_from_basket(basket=request.basket)
        except order_gifts.BasketClosed:
            messages.error(request, _("Your basket is being paid: its gift cannot change now."))
            return redirect(PAGES["basket"])
        if removed:
            messages.info(request, _("Your gift was removed from your order."))
        return _back(request)
