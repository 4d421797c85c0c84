"""A monthly gift's new card or bank account, from a signed link (no account needed): after a
refused payment, or to switch between card and SEPA direct debit without stopping the gift."""

from django.views.generic import TemplateView

from donations.views.monthly_manage import SignedMonthlyGiftMixin


class PaymentMethodView(SignedMonthlyGiftMixin, TemplateView):
    template_name = "donations/monthly_payment_method.html"
