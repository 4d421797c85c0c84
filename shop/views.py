from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from shop.checkout import services as checkout_services

Order = get_model("order", "Order")


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount to refund (€)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )


@staff_member_required
@require_POST
def refund_order(request, number):
    """Staff refund an order paid by card, fully or partly, from Oscar's dashboard."""
    order = get_object_or_404(Order, number=number)
    form = RefundForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("amount", []):
            messages.error(request, error)
        return redirect("dashboard:order-detail", number=order.number)
    amount = form.cleaned_data["amount"]
    try:
        checkout_services.refund_order(order, amount)
    except checkout_services.RefundRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(amount)s € refunded to the card through Stripe.") % {"amount": amount},
        )
    return redirect("dashboard:order-detail", number=order.number)
