"""The association's pages in Oscar's dashboard: its details, and the receipts register."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, UpdateView

from donations import selectors, services
from donations.forms import AssociationForm, CancelReceiptForm, CorrectReceiptForm
from donations.models import Association, Receipt
from donations.views import receipt_response
from shop.access import treasurer_only


@method_decorator(staff_member_required, name="dispatch")
class AssociationUpdateView(UpdateView):
    """The dashboard page where staff keep the association's details up to date."""

    form_class = AssociationForm
    template_name = "donations/dashboard/association_form.html"
    success_url = reverse_lazy("donations-dashboard:association")

    def get_object(self, queryset=None):
        return selectors.get_association() or Association()

    def form_valid(self, form):
        messages.success(self.request, _("The association's details have been saved."))
        return super().form_valid(form)


class TreasurerOnlyMixin:
    @method_decorator(staff_member_required)
    def dispatch(self, request, *args, **kwargs):
        if not treasurer_only(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReceiptListView(TreasurerOnlyMixin, ListView):
    """The register: every receipt ever issued, cancelled ones included, newest first."""

    template_name = "donations/dashboard/receipt_list.html"
    context_object_name = "receipts"
    paginate_by = 50

    def get_queryset(self):
        return selectors.receipt_register(self.request.GET.get("q", ""))


class ReceiptDetailView(TreasurerOnlyMixin, DetailView):
    """One receipt: what it says, its story, and cancelling or correcting it."""

    template_name = "donations/dashboard/receipt_detail.html"
    context_object_name = "receipt"
    slug_field = slug_url_kwarg = "number"

    def get_queryset(self):
        return selectors.receipt_register("")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        receipt = self.object
        context.setdefault("cancel_form", CancelReceiptForm(prefix="cancel"))
        context.setdefault("correct_form", CorrectReceiptForm.for_receipt(receipt))
        return context

    def post(self, request, *args, **kwargs):
        self.object = receipt = self.get_object()
        if receipt.is_cancelled:
            messages.error(request, _("This receipt is already cancelled."))
            return redirect("donations-dashboard:receipt", number=receipt.number)
        if "correct" in request.POST:
            form = CorrectReceiptForm(request.POST, prefix="correct")
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(correct_form=form))
            corrected = services.reissue_receipt(
                receipt,
                reason=form.cleaned_data["reason"],
                by=request.user,
                donor_details=form.donor_details(),
            )
            messages.success(
                request,
                _("Receipt %(old)s is cancelled and replaced by receipt %(new)s.")
                % {"old": receipt.number, "new": corrected.number},
            )
            return redirect("donations-dashboard:receipt", number=corrected.number)
        form = CancelReceiptForm(request.POST, prefix="cancel")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(cancel_form=form))
        services.cancel_receipt(receipt, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(
            request, _("Receipt %(number)s is cancelled.") % {"number": receipt.number}
        )
        return redirect("donations-dashboard:receipt", number=receipt.number)


class ReceiptDownloadView(TreasurerOnlyMixin, DetailView):
    slug_field = slug_url_kwarg = "number"

    def get(self, request, *args, **kwargs):
        return receipt_response(get_object_or_404(Receipt, number=kwargs["number"]))
