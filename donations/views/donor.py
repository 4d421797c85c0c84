"""The donor's pages: their receipts (signed link or account), stopping a monthly gift."""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.selectors import verified_email
from donations import links, selectors
from donations.models import MonthlyGift, Receipt
from donations.services.monthly import stop_monthly_gift
from donations.services.receipts import receipt_pdf
from payments import gateway

logger = logging.getLogger(__name__)


def receipt_response(receipt: Receipt) -> FileResponse:
    return FileResponse(
        iter([receipt_pdf(receipt)]),
        as_attachment=True,
        filename=f"recu-fiscal-{receipt.number}.pdf",
        content_type="application/pdf",
    )


class DonorReceiptsView(TemplateView):
    """The receipts page a donor reaches from the signed link in their emails."""

    template_name = "donations/donor_receipts.html"

    def dispatch(self, request, *args, **kwargs):
        self.donor = links.donor_of(kwargs["token"])
        if self.donor is None:
            return self.response_class(
                request=request,
                template=["donations/link_expired.html"],
                context={},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["donor"] = self.donor
        context["receipts"] = selectors.receipts_of([self.donor])
        context["token"] = self.kwargs["token"]
        return context


class DonorReceiptDownloadView(DonorReceiptsView):
    def get(self, request, *args, **kwargs):
        receipt = get_object_or_404(selectors.receipts_of([self.donor]), number=kwargs["number"])
        return receipt_response(receipt)


class StopMonthlyGiftView(TemplateView):
    """The link in monthly donors' emails: a confirmation page, then the gift stops."""

    template_name = "donations/stop_monthly_gift.html"

    def dispatch(self, request, *args, **kwargs):
        self.gift = links.monthly_gift_of(kwargs["token"])
        if self.gift is None:
            return self.response_class(
                request=request, template=["donations/link_expired.html"], context={}, status=403
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(gift=self.gift, **kwargs)

    def post(self, request, *args, **kwargs):
        return _stop(request, self.gift, redirect_to=request.path)


def _stop(request, gift: MonthlyGift, *, redirect_to: str):
    try:
        stop_monthly_gift(gift)
    except gateway.StripeUnavailable:
        logger.warning("Could not cancel the subscription of monthly gift %s", gift.pk)
        messages.error(
            request,
            _("Your monthly gift could not be stopped just now. Please try again in a moment."),
        )
    else:
        messages.success(
            request, _("Your monthly gift is stopped: nothing more will be charged. Thank you!")
        )
    return redirect(redirect_to)


class AccountDonationsView(LoginRequiredMixin, TemplateView):
    """The reader's account: their gifts, monthly gifts and receipts."""

    template_name = "donations/account_donations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("My donations")
        context["active_tab"] = "donations"
        user = self.request.user
        context["monthly_gifts"] = gifts = list(selectors.monthly_gifts_of_account(user))
        for gift in gifts:  # its own page, by the signed link its emails carry
            gift.manage_url = links.manage_url(gift)
        context["donations"] = selectors.paid_donations_of_account(user)
        context["receipts"] = selectors.receipts_of_account(user)
        context["email_verified"] = verified_email(self.request.user) is not None
        return context


class AccountReceiptDownloadView(LoginRequiredMixin, View):
    def get(self, request, number):
        receipts = selectors.receipts_of_account(request.user)
        return receipt_response(get_object_or_404(receipts, number=number))


class AccountStopMonthlyGiftView(LoginRequiredMixin, View):
    def post(self, request, pk):
        gift = selectors.monthly_gifts_of_account(request.user).filter(pk=pk).first()
        if gift is None:
            raise Http404
        return _stop(request, gift, redirect_to=reverse("donations:account"))
