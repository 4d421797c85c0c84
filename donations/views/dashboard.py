"""The association's pages in Oscar's dashboard: its details, and the receipts register."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView, UpdateView

from donations import exports, selectors
from donations.chart import monthly_chart
from donations.forms import (
    AssociationForm,
    CancelReceiptForm,
    CorrectReceiptForm,
    MonthlyGiftFilterForm,
    civil_year,
    donation_filter_form,
    receipt_filter_form,
)
from donations.models import Association, Donor, Receipt, TreasuryLog
from donations.services.annual import issue_annual_receipts
from donations.services.receipts import cancel_receipt, reissue_receipt
from donations.services.treasury import log_treasury
from donations.views.donor import receipt_response
from kiosque.access import treasurer_only
from kiosque.exports import EXCEL, FRENCH_CSV, SpreadsheetView


class TreasurerOnlyMixin:
    """The treasury's pages: the Trésorerie group and superusers (other staff get 403)."""

    @method_decorator(staff_member_required)
    def dispatch(self, request, *args, **kwargs):
        if not treasurer_only(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AssociationUpdateView(TreasurerOnlyMixin, UpdateView):
    """The dashboard page where the treasury keeps the association's details (what a tax
    receipt prints) up to date."""

    form_class = AssociationForm
    template_name = "donations/dashboard/association_form.html"
    success_url = reverse_lazy("donations-dashboard:association")

    def get_object(self, queryset=None):
        return selectors.get_association() or Association()

    def form_valid(self, form):
        messages.success(self.request, _("The association's details have been saved."))
        return super().form_valid(form)


class SignatureView(TreasurerOnlyMixin, View):
    """The association's signature image (private storage), for the Association page."""

    def get(self, request):
        association = selectors.get_association()
        if association is None or not association.signature:
            raise Http404
        name = association.signature.name.rsplit("/", 1)[-1]
        return FileResponse(association.signature.open("rb"), filename=name)


class FilteredListMixin:
    """A list filtered by ``RegisterFilterForm`` (``make_form``, ``select``), with its totals
    (``count``) and the same filter for the exports (the query string)."""

    paginate_by = 50

    def get_queryset(self):
        self.form = self.make_form(self.request.GET or None)
        return self.select(self.form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=self.form, query=query.urlencode(), totals=self.count(self.object_list))
        return context


class ReceiptListView(TreasurerOnlyMixin, FilteredListMixin, ListView):
    """The register: every receipt ever issued, cancelled ones included, in number order."""

    template_name = "donations/dashboard/receipt_list.html"
    context_object_name = "receipts"
    make_form = staticmethod(receipt_filter_form)
    select = staticmethod(selectors.register)
    count = staticmethod(selectors.totals)


class DonationListView(TreasurerOnlyMixin, FilteredListMixin, ListView):
    """Every gift paid (refunded ones included), newest first."""

    template_name = "donations/dashboard/donation_list.html"
    context_object_name = "donations"
    make_form = staticmethod(donation_filter_form)
    select = staticmethod(selectors.donations_list)
    count = staticmethod(selectors.donations_totals)

    def get_context_data(self, **kwargs):
        # Debits in progress, refused, reversed: dated when made, not paid.
        unpaid = self.form.filters().get("status") in selectors.FOLLOW_UP
        return super().get_context_data(unpaid=unpaid, **kwargs)


class MonthlyGiftListView(TreasurerOnlyMixin, FilteredListMixin, ListView):
    """The monthly gifts: how each is paid, and those lapsed or recovered after a refusal."""

    template_name = "donations/dashboard/monthly_gift_list.html"
    context_object_name = "gifts"
    make_form = staticmethod(MonthlyGiftFilterForm)
    select = staticmethod(selectors.monthly_gifts_list)
    count = staticmethod(selectors.monthly_gifts_totals)


class DonorHistoryView(TreasurerOnlyMixin, DetailView):
    template_name = "donations/dashboard/donor_detail.html"
    context_object_name = "donor"
    model = Donor

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["donations"] = selectors.desk_donations_of([self.object])
        context["receipts"] = selectors.receipts_of([self.object]).order_by("-year", "-sequence")
        context["monthly_gifts"] = self.object.monthly_gifts.select_related("mandate")
        context["unpaid"] = selectors.unpaid_donations_of(self.object)
        return context


class YearMixin:
    """A view of one civil year (``year`` in the query string or the form, this year if
    none): a year the desk cannot show is said on the desk's front page, and nothing done."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.year = civil_year(request.GET.get("year") or request.POST.get("year"))
        except ValidationError as error:
            messages.error(request, error.message)
            return redirect("donations-dashboard:treasury")
        return super().dispatch(request, *args, **kwargs)


class TreasuryView(TreasurerOnlyMixin, YearMixin, TemplateView):
    """The desk's front page for a civil year: the chart, the totals, the declaration's
    figures, January's summary receipts, and the ZIP of the year's receipts."""

    template_name = "donations/dashboard/treasury.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.year
        this_year = selectors.gifts_by_month(year)
        chart = monthly_chart(this_year, selectors.gifts_by_month(year - 1))
        declaration = selectors.declaration(year)
        months = [
            {**row, "name": bar.month, "receipts": count, "receipted": amount}
            for row, bar, (_month, count, amount) in zip(
                this_year, chart["bars"], declaration["months"], strict=True
            )
        ]
        context.update(
            year=year,
            years=range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            chart=chart,
            months=months,
            gifts_total=sum(row["one_off"] + row["monthly"] for row in this_year),
            one_off_total=sum(row["one_off"] for row in this_year),
            monthly_total=sum(row["monthly"] for row in this_year),
            declaration=declaration,
            archives=selectors.archives(),
            follow_up=selectors.follow_up_counts(),
        )
        return context


class ExportView(TreasurerOnlyMixin, SpreadsheetView):
    """The register as CSV or Excel, filtered like the list; every export is logged."""

    formats = (FRENCH_CSV, EXCEL)
    LOGGED = {FRENCH_CSV: TreasuryLog.Action.EXPORT_CSV, EXCEL: TreasuryLog.Action.EXPORT_XLSX}

    def spreadsheet(self, format):
        form = receipt_filter_form(self.request.GET or None)
        log_treasury(self.request.user, self.LOGGED[format], form.description())
        filename = "registre-recus-" + (str(form.filters().get("year") or "") or "tous")
        return exports.register(selectors.register(form.filters()), filename)


class DonorsExportView(TreasurerOnlyMixin, YearMixin, SpreadsheetView):
    """The year's donors, one line each with their total, for the thank-you letters."""

    formats = (FRENCH_CSV,)

    def spreadsheet(self, format):
        year = self.year
        log_treasury(self.request.user, TreasuryLog.Action.EXPORT_DONORS, f"year={year}")
        return exports.donors(selectors.donors_of_year(year), f"donateurs-{year}")


class AnnualReceiptsView(TreasurerOnlyMixin, YearMixin, View):
    def post(self, request):
        year = self.year
        run = issue_annual_receipts(year)
        log_treasury(request.user, TreasuryLog.Action.ANNUAL, f"year={year} receipts={run.count}")
        messages.success(
            request,
            ngettext(
                "%(count)d summary receipt issued for %(year)s.",
                "%(count)d summary receipts issued for %(year)s.",
                run.count,
            )
            % {"count": run.count, "year": year},
        )
        return redirect(f"{reverse('donations-dashboard:treasury')}?year={year}")


class TreasuryLogView(TreasurerOnlyMixin, ListView):
    template_name = "donations/dashboard/treasury_log.html"
    context_object_name = "entries"
    paginate_by = 100

    def get_queryset(self):
        return selectors.treasury_log()


class ReceiptDetailView(TreasurerOnlyMixin, DetailView):
    """One receipt: what it says, its story, and cancelling or correcting it."""

    template_name = "donations/dashboard/receipt_detail.html"
    context_object_name = "receipt"
    slug_field = slug_url_kwarg = "number"

    def get_queryset(self):
        return selectors.register({})

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
            corrected = reissue_receipt(
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
        cancelled = cancel_receipt(
            receipt,
            reason=form.cleaned_data["reason"],
            by=request.user,
            eligible=form.cleaned_data["eligible"],
        )
        corrected = getattr(cancelled, "replaced_by", None)  # none if nothing is kept
        if corrected is not None:
            messages.success(
                request,
                _("Receipt %(old)s is cancelled and replaced by receipt %(new)s.")
                % {"old": receipt.number, "new": corrected.number},
            )
            return redirect("donations-dashboard:receipt", number=corrected.number)
        if form.cleaned_data["eligible"]:
            message = _("Receipt %(number)s is cancelled.")
        else:
            message = _("Receipt %(number)s is cancelled; its gifts will never be receipted again.")
        messages.success(request, message % {"number": receipt.number})
        return redirect("donations-dashboard:receipt", number=receipt.number)


class ReceiptDownloadView(TreasurerOnlyMixin, DetailView):
    slug_field = slug_url_kwarg = "number"

    def get(self, request, *args, **kwargs):
        return receipt_response(get_object_or_404(Receipt, number=kwargs["number"]))
